//! Multi-step actions that finish even when the request that started them goes away.
//!
//! A server function's future is dropped when the browser disconnects (a closed tab, a
//! reload, a lost network). Dropped between two upstream calls, an action would be cut in
//! half: the post deleted but the author not banned, and the action record left `running`.
//! [`Detached::run`] runs the work in its own task, which the request only waits for, so
//! it finishes either way and records every step; [`Detached::drain`] lets a shutdown wait
//! for tasks still running.

use std::{future::Future, sync::Arc, time::Duration};
use tokio::sync::RwLock;

/// Runs work in tasks of their own and knows when they are done. Cheap to clone.
#[derive(Clone, Default)]
pub struct Detached {
    /// Each running task holds a read guard; [`Detached::drain`] waits for the write lock.
    gate: Arc<RwLock<()>>,
}

/// A detached task panicked or was cancelled by the runtime.
#[derive(Debug, thiserror::Error)]
#[error("the detached task stopped: {0}")]
pub struct Stopped(String);

impl Detached {
    /// Runs `work` in its own task and waits for its answer. Dropping the returned future
    /// (the request went away) does not stop `work`.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl Future<Output = T> + Send + 'static,
    ) -> Result<T, Stopped> {
        let guard = self.gate.clone().read_owned().await;
        let task = tokio::spawn(async move {
            let answer = work.await;
            drop(guard);
            answer
        });
        task.await.map_err(|e| Stopped(e.to_string()))
    }

    /// Waits up to `limit` for every running task; `false` when some were still running.
    pub async fn drain(&self, limit: Duration) -> bool {
        tokio::time::timeout(limit, self.gate.write()).await.is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[tokio::test]
    async fn work_finishes_after_its_caller_is_dropped_and_drain_waits_for_it() {
        let detached = Detached::default();
        let steps = Arc::new(AtomicU32::new(0));
        let work = {
            let steps = steps.clone();
            async move {
                for _ in 0..3 {
                    tokio::time::sleep(Duration::from_millis(30)).await;
                    steps.fetch_add(1, Ordering::SeqCst);
                }
            }
        };
        // The caller gives up after the first step, as a server fn does when the browser goes.
        let gave_up = tokio::time::timeout(Duration::from_millis(45), detached.run(work)).await;
        assert!(gave_up.is_err(), "the caller stopped waiting");
        assert!(steps.load(Ordering::SeqCst) < 3);
        assert!(detached.drain(Duration::from_secs(2)).await, "drain waits for the task");
        assert_eq!(steps.load(Ordering::SeqCst), 3, "every step ran");
    }

    #[tokio::test]
    async fn drain_reports_a_task_that_outlives_the_limit() {
        let detached = Detached::default();
        let slow = detached.clone();
        let running = tokio::spawn(async move {
            slow.run(tokio::time::sleep(Duration::from_millis(500))).await.expect("runs")
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert!(!detached.drain(Duration::from_millis(50)).await);
        running.await.expect("the caller's task");
        assert!(detached.drain(Duration::from_millis(50)).await);
    }
}
