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
