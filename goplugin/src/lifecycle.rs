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

/// How often [`shutdown_with_parent`] looks at the parent.
pub const PARENT_POLL: Duration = Duration::from_millis(200);

/// Triggers `shutdown` when the process that launched the plugin exits, so a plugin whose
/// host crashed or was killed does not keep running and listening: it stops as on SIGTERM
/// and its socket is removed. Must run inside the runtime.
///
/// How: a task compares `getppid()` with the parent seen at start every [`PARENT_POLL`].
/// When a process exits, the kernel gives its children to init (or to the nearest
/// subreaper) at once, so a different parent id is proof the host is gone.
/// Considered and not used:
/// - `prctl(PR_SET_PDEATHSIG)` fires when the *thread* that forked the plugin exits, not
///   the process: a Go host forks from whatever OS thread runs the goroutine, and the Go
///   runtime may end that thread while the host lives on, which would kill a healthy
///   plugin. It is also racy (the parent may die between fork and prctl, so it needs a
///   `getppid()` check anyway), Linux-only, and arrives as a signal to route back here.
/// - A pidfd on the parent (`pidfd_open`) reports the exit at once, but it is Linux 5.3+
///   only, needs the same `getppid()` re-check against pid reuse, and the other Unixes
///   (macOS hosts) would still need this loop.
///
/// One `getppid()` five times a second costs nothing measurable, works on every Unix and
/// stops the plugin within ~0.2 s of its host (plus [`GRACE`] for calls in flight).
/// The one blind spot: a parent that died before this runs (the first milliseconds of the
/// plugin's life) leaves init as the parent seen at start.
pub fn shutdown_with_parent(shutdown: Shutdown) {
    #[cfg(unix)]
    {
        let parent = std::os::unix::process::parent_id();
        tokio::spawn(watch_parent(
            parent,
            std::os::unix::process::parent_id,
            PARENT_POLL,
            shutdown,
        ));
    }
    #[cfg(not(unix))]
    let _ = shutdown;
}

/// Polls `current` every `every` until it stops returning `parent` (then triggers
/// `shutdown`) or shutdown starts for another reason.
async fn watch_parent(parent: u32, current: impl Fn() -> u32, every: Duration, shutdown: Shutdown) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = tick.tick() => {
                let now = current();
                if now != parent {
                    crate::log::info!(
                        "the host process (pid {parent}) has exited, shutting down"
                    );
                    shutdown.trigger();
                    return;
                }
            }
            _ = shutdown.wait() => return,
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

    #[tokio::test(start_paused = true)]
    async fn a_new_parent_means_the_host_is_gone() {
        use std::sync::atomic::AtomicU32;
        let parent = Arc::new(AtomicU32::new(4242));
        let s = Shutdown::new();
        let seen = parent.clone();
        let watcher = tokio::spawn(watch_parent(
            4242,
            move || seen.load(Ordering::SeqCst),
            PARENT_POLL,
            s.clone(),
        ));
        tokio::time::sleep(PARENT_POLL * 5).await;
        assert!(!s.is_triggered(), "the parent is still there");
        // Reparented to init: the host has exited.
        parent.store(1, Ordering::SeqCst);
        tokio::time::sleep(PARENT_POLL * 2).await;
        assert!(s.is_triggered());
        watcher.await.unwrap();
    }

    #[tokio::test(start_paused = true)]
    async fn the_watch_ends_with_the_plugin() {
        let s = Shutdown::new();
        let watcher = tokio::spawn(watch_parent(7, || 7, PARENT_POLL, s.clone()));
        s.trigger();
        tokio::time::timeout(Duration::from_secs(5), watcher)
            .await
            .expect("the watcher stops on shutdown")
            .unwrap();
    }
}
