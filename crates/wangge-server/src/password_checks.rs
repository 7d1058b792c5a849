//! The password checkers: a few long-lived threads run every argon2 check, each in its
//! own 19 MiB of working memory kept from one check to the next, and a semaphore with one
//! permit per thread admits logins to them.
//!
//! Why a bound: with a thread per login, 300 logins at once took 6.6 GiB. Why kept memory:
//! with argon2 allocating and freeing its 19 MiB per check, glibc's per-thread arenas kept
//! the freed blocks (other threads' small allocations split them), so resident memory grew
//! with every check even two at a time: 380 MB after the flood test's 300 logins, never
//! given back. Reused, it stays at threads × 19 MiB (57 MB in that test). Why our own
//! threads: the memory has to live with a thread, and tokio's blocking pool starts and
//! ends its threads at will.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// A checker's argon2 working memory, kept from one check to the next.
pub(crate) type Memory = Vec<argon2::Block>;

type Job = Box<dyn FnOnce(&mut Memory) + Send>;

pub(crate) struct PasswordChecks {
    permits: Arc<Semaphore>,
    jobs: Sender<Job>,
}

/// A free checker, reserved. Dropped unused, it frees the checker again.
pub(crate) struct Permit {
    _held: OwnedSemaphorePermit,
}

impl PasswordChecks {
    /// Starts `threads` checker threads. They end when this is dropped.
    pub(crate) fn start(threads: usize) -> std::io::Result<PasswordChecks> {
        let (jobs, queue) = channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for i in 0..threads {
            let queue = queue.clone();
            std::thread::Builder::new().name(format!("password-check-{i}")).spawn(move || work(&queue))?;
        }
        Ok(PasswordChecks { permits: Arc::new(Semaphore::new(threads)), jobs })
    }

    /// Waits up to `wait` for a free checker.
    pub(crate) async fn reserve(&self, wait: Duration) -> Option<Permit> {
        let permit = tokio::time::timeout(wait, self.permits.clone().acquire_owned()).await;
        // The semaphore is never closed, so the inner error cannot happen.
        permit.ok()?.ok().map(|held| Permit { _held: held })
    }

    /// Runs `check` on a checker thread, with that thread's memory. The permit is held
    /// until the check is done, even if the caller stops waiting (a client that hangs up
    /// does not stop the thread), so there are never more checks running than threads.
    /// `None` if the check panicked.
    pub(crate) async fn run<T, F>(&self, permit: Permit, check: F) -> Option<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Memory) -> T + Send + 'static,
    {
        let (answer, answered) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move |memory| {
            let out = check(memory);
            drop(permit);
            let _ = answer.send(out);
        });
        self.jobs.send(job).ok()?;
        answered.await.ok()
    }
}

fn work(queue: &Mutex<Receiver<Job>>) {
    let mut memory = Memory::new();
    loop {
        // The lock is held only while waiting for the next job, never while running one.
        let next = queue.lock().unwrap_or_else(PoisonError::into_inner).recv();
        match next {
            // A panicking check answers nothing (its caller sees `None`); the thread lives on.
            Ok(job) => drop(catch_unwind(AssertUnwindSafe(|| job(&mut memory)))),
            Err(_) => return, // `PasswordChecks` was dropped: the server is gone.
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn no_more_checks_run_than_threads_and_the_rest_wait_or_give_up() {
        let checks = PasswordChecks::start(2).unwrap();
        let (a, b) = (checks.reserve(Duration::ZERO).await.unwrap(), checks.reserve(Duration::ZERO).await.unwrap());
        assert!(checks.reserve(Duration::from_millis(20)).await.is_none(), "both checkers taken");
        assert_eq!(checks.run(a, |_| 2 + 2).await, Some(4));
        let c = checks.reserve(Duration::from_secs(5)).await.expect("a finished check frees its checker");
        drop((b, c));
        let d = checks.reserve(Duration::ZERO).await.unwrap();
        let name = checks.run(d, |_| std::thread::current().name().map(String::from)).await.flatten();
        assert!(name.unwrap().starts_with("password-check-"), "run on a checker thread");
    }
}
