//! One capacity [`Analysis`] per check instead of one per capacity rule.
//!
//! Seven rules (NET070–NET076) start from `capacity::analyze` of the same model and
//! assumptions; on a large plan each analysis takes milliseconds, so computing it seven
//! times was most of the rules' time. The rules only see a [`crate::rules::Context`], so
//! the analysis is shared through a registry instead: [`crate::rules::run`] opens a
//! [`Scope`] for its model and assumptions, and [`analysis`] computes the analysis at most
//! once inside it (other threads asking meanwhile wait for that result).
//!
//! Entries are keyed by the addresses of the model and the assumptions. That is sound
//! because a [`Scope`] borrows both: while it exists they can be neither changed nor freed,
//! so an address cannot come to stand for other contents. Outside any scope (a rule called
//! on its own, as in unit tests), [`analysis`] simply computes.

use std::marker::PhantomData;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use super::{analyze, Analysis};
use crate::config::Assumptions;
use crate::model::Model;

type Key = (usize, usize);

struct Entry {
    key: Key,
    /// Open scopes with this key (two checks of the same model may run at once).
    scopes: usize,
    analysis: Arc<OnceLock<Arc<Analysis>>>,
}

static REGISTRY: Mutex<Vec<Entry>> = Mutex::new(Vec::new());

fn registry() -> MutexGuard<'static, Vec<Entry>> {
    // The registry holds no invariant a panicking thread could break halfway.
    REGISTRY.lock().unwrap_or_else(|e| e.into_inner())
}

fn key(model: &Model, assume: &Assumptions) -> Key {
    (
        model as *const Model as usize,
        assume as *const Assumptions as usize,
    )
}

/// While this lives, [`analysis`] of `model` under `assume` is computed once.
pub struct Scope<'a> {
    key: Key,
    _borrows: PhantomData<(&'a Model, &'a Assumptions)>,
}

/// Open a scope for one run of the rules over `model` under `assume`.
pub fn scope<'a>(model: &'a Model, assume: &'a Assumptions) -> Scope<'a> {
    let key = key(model, assume);
    let mut entries = registry();
    match entries.iter_mut().find(|e| e.key == key) {
        Some(e) => e.scopes += 1,
        None => entries.push(Entry {
            key,
            scopes: 1,
            analysis: Arc::default(),
        }),
    }
    Scope {
        key,
        _borrows: PhantomData,
    }
}

impl Drop for Scope<'_> {
    fn drop(&mut self) {
        let mut entries = registry();
        if let Some(i) = entries.iter().position(|e| e.key == self.key) {
            entries[i].scopes -= 1;
            if entries[i].scopes == 0 {
                entries.swap_remove(i);
            }
        }
    }
}

/// `capacity::analyze(model, assume)`, computed once per open [`Scope`].
pub fn analysis(model: &Model, assume: &Assumptions) -> Arc<Analysis> {
    let key = key(model, assume);
    let cell = registry()
        .iter()
        .find(|e| e.key == key)
        .map(|e| Arc::clone(&e.analysis));
    match cell {
        // The registry lock is released before computing: only this cell waits.
        Some(cell) => Arc::clone(cell.get_or_init(|| Arc::new(analyze(model, assume)))),
        None => Arc::new(analyze(model, assume)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn computed_once_inside_a_scope_and_fresh_outside() {
        let model = Model::default();
        let assume = Assumptions::default();
        let outside = (analysis(&model, &assume), analysis(&model, &assume));
        assert!(!Arc::ptr_eq(&outside.0, &outside.1), "no scope: no sharing");
        {
            let _scope = scope(&model, &assume);
            let a = analysis(&model, &assume);
            let b = std::thread::scope(|s| s.spawn(|| analysis(&model, &assume)).join().unwrap());
            assert!(
                Arc::ptr_eq(&a, &b),
                "one analysis per scope, across threads"
            );
            let other = Assumptions {
                awsvpc_trunking: Some(true),
                ..Assumptions::default()
            };
            assert!(
                !Arc::ptr_eq(&a, &analysis(&model, &other)),
                "other assumptions"
            );
        }
        assert!(
            !registry().iter().any(|e| e.key == key(&model, &assume)),
            "the scope's entry is gone with it"
        );
    }
}
