//! Stopping: one shutdown signal shared by the controller service, SIGTERM and the serving
//! loop, and a cancellation flag that in-flight work polls.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

/// How long in-flight calls may finish after shutdown starts; go-plugin hosts kill the
/// plugin 2 s after `Shutdown`, and the brief is to be gone within one second.
pub const GRACE: Duration = Duration::from_millis(700);

/// Cloneable handle: trigger once, wait anywhere.
#[derive(Clone)]
pub struct Shutdown {
    tx: Arc<watch::Sender<bool>>,
    cancel: Arc<AtomicBool>,
}

impl Default for Shutdown {
    fn default() -> Self {
        Shutdown::new()
    }
}

impl Shutdown {
    pub fn new() -> Shutdown {
        Shutdown {
            tx: Arc::new(watch::channel(false).0),
            cancel: Arc::new(AtomicBool::new(false)),
        }
    }

    pub fn trigger(&self) {
        self.tx.send_replace(true);
    }

    pub fn is_triggered(&self) -> bool {
        *self.tx.borrow()
    }

    /// Resolves once [`Shutdown::trigger`] was called (immediately if it already was).
    pub async fn wait(&self) {
        let mut rx = self.tx.subscribe();
        let _ = rx.wait_for(|v| *v).await;
    }

    /// Set when the grace period is over: work still running must stop.
    pub fn cancel_flag(&self) -> Arc<AtomicBool> {
        self.cancel.clone()
    }

    pub fn cancel_all(&self) {
        self.cancel.store(true, Ordering::SeqCst);
    }
}

/// go-plugin plugins ignore SIGINT: Ctrl-C reaches the whole process group and the host
/// decides what to do (plugin-protocol.md §1.5).
pub fn ignore_sigint() {
    #[cfg(unix)]
    // SAFETY: installing SIG_IGN for SIGINT has no preconditions.
    unsafe {
        libc::signal(libc::SIGINT, libc::SIG_IGN);
    }
}

/// Triggers `shutdown` on SIGTERM. Must run inside the runtime.
pub fn shutdown_on_sigterm(shutdown: Shutdown) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::spawn(async move {
                    if term.recv().await.is_some() {
                        crate::log::info!("SIGTERM received, shutting down");
                        shutdown.trigger();
                    }
                });
            }
            Err(e) => crate::log::warning!("cannot watch SIGTERM: {e}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn wait_resolves_after_trigger() {
        let s = Shutdown::new();
        assert!(!s.is_triggered());
        let s2 = s.clone();
        let waiter = tokio::spawn(async move { s2.wait().await });
        s.trigger();
        tokio::time::timeout(Duration::from_secs(5), waiter)
            .await
            .unwrap()
            .unwrap();
        // Waiting after the fact returns at once.
        tokio::time::timeout(Duration::from_secs(5), s.wait())
            .await
            .unwrap();
        assert!(s.is_triggered());
    }
}
