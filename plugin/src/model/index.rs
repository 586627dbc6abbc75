//! O(1) address lookups for [`super::Model`]'s finders (`model.service(addr)`, ...).
//!
//! The index is built lazily on the first lookup. Model fields stay public (rules' tests
//! build models by hand and may push entities later), so every hit is verified against
//! the vector and a stale index falls back to a scan instead of answering wrongly.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::plan::SeededHash;

/// Positions of one entity vector: its length when indexed, and address → position (with
/// the plan's seeded fast hash: rules look entities up by address thousands of times).
pub(crate) type Positions = (usize, HashMap<String, usize, SeededHash>);

/// [`Positions`] per entity vector, by field name (`"services"`, ...).
pub(crate) type PositionsByField = HashMap<&'static str, Positions, SeededHash>;

/// Address → position, per entity vector (by field name).
#[derive(Debug, Clone, Default)]
pub struct AddressIndex {
    cell: OnceLock<PositionsByField>,
}

impl AddressIndex {
    /// Find an entity by address in `items` (the vector called `field`), building the
    /// whole index with `build` on first use.
    pub(crate) fn find<'m, T>(
        &self,
        field: &'static str,
        items: &'m [T],
        address: &str,
        addr_of: impl Fn(&T) -> &str,
        build: impl FnOnce() -> PositionsByField,
    ) -> Option<&'m T> {
        let map = self.cell.get_or_init(build);
        match map.get(field) {
            Some((len, positions)) => match positions.get(address) {
                Some(&i) => match items.get(i) {
                    Some(e) if addr_of(e) == address => Some(e),
                    _ => items.iter().find(|e| addr_of(e) == address),
                },
                // A miss is trusted only while the vector has the length it was indexed at.
                None if *len == items.len() => None,
                None => items.iter().find(|e| addr_of(e) == address),
            },
            None => items.iter().find(|e| addr_of(e) == address),
        }
    }
}

/// Positions of one entity vector.
pub(crate) fn positions<T>(items: &[T], addr_of: impl Fn(&T) -> &str) -> Positions {
    let mut m = HashMap::with_capacity_and_hasher(items.len(), SeededHash::default());
    for (i, e) in items.iter().enumerate() {
        // First entity wins for duplicate addresses (several plans), like the scan does.
        m.entry(addr_of(e).to_string()).or_insert(i);
    }
    (items.len(), m)
}

/// One value per service of [`super::Model::services`], computed on first use and kept:
/// what several rules ask of every service (its network mode) is worked out once. A clone
/// starts empty, and a service that is not an element of the vector the memo was sized
/// for (a model changed after the first use, a service built elsewhere) is not memoised.
pub struct PerService<T> {
    cell: OnceLock<Box<[OnceLock<T>]>>,
}

impl<T> Default for PerService<T> {
    fn default() -> Self {
        PerService {
            cell: OnceLock::new(),
        }
    }
}

impl<T> Clone for PerService<T> {
    fn clone(&self) -> Self {
        PerService::default()
    }
}

impl<T> std::fmt::Debug for PerService<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PerService")
    }
}

impl<T> PerService<T> {
    /// The value for `svc`, computed by `make` the first time; `make` runs every time when
    /// `svc` is not at a position of `services` that the memo covers.
    pub(crate) fn get_or<S, R>(
        &self,
        services: &[S],
        svc: &S,
        make: impl FnOnce() -> T,
        read: impl FnOnce(&T) -> R,
    ) -> R {
        let size = std::mem::size_of::<S>().max(1);
        let base = services.as_ptr() as usize;
        let at = (svc as *const S as usize).wrapping_sub(base);
        let slots = self
            .cell
            .get_or_init(|| (0..services.len()).map(|_| OnceLock::new()).collect());
        let slot = (at.is_multiple_of(size) && slots.len() == services.len())
            .then(|| at / size)
            .filter(|&i| services.get(i).is_some_and(|s| std::ptr::eq(s, svc)))
            .and_then(|i| slots.get(i));
        match slot {
            Some(s) => read(s.get_or_init(make)),
            None => read(&make()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::PerService;
    use std::cell::Cell;

    #[test]
    fn a_service_value_is_made_once_and_only_for_the_memoised_vector() {
        let services = vec!["a".to_string(), "b".to_string()];
        let memo: PerService<String> = PerService::default();
        let made = Cell::new(0);
        let value = |s: &String| {
            memo.get_or(
                &services,
                s,
                || {
                    made.set(made.get() + 1);
                    format!("{s}!")
                },
                |v| v.clone(),
            )
        };
        assert_eq!(value(&services[1]), "b!");
        assert_eq!(value(&services[1]), "b!");
        assert_eq!(value(&services[0]), "a!");
        assert_eq!(made.get(), 2, "each service's value is made once");
        // A service that is not an element of the vector (an equal copy) is not memoised.
        let elsewhere = services[0].clone();
        assert_eq!(value(&elsewhere), "a!");
        assert_eq!(value(&elsewhere), "a!");
        assert_eq!(made.get(), 4);
        // A clone starts empty.
        let copy = memo.clone();
        assert_eq!(
            copy.get_or(&services, &services[0], || "new".into(), |v| v.clone()),
            "new"
        );
    }

    #[test]
    fn a_vector_of_another_length_is_not_memoised() {
        let mut services = vec![1u64, 2];
        let memo: PerService<u64> = PerService::default();
        assert_eq!(memo.get_or(&services, &services[0], || 10, |v| *v), 10);
        services.push(3);
        // Sized for two services: the third, and the others now, are made afresh.
        assert_eq!(memo.get_or(&services, &services[0], || 11, |v| *v), 11);
        assert_eq!(memo.get_or(&services, &services[2], || 12, |v| *v), 12);
    }
}
