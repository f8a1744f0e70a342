//! Pre-generated key pairs, so "Add New" opens the download dialog at once
//! even for 4096-bit keys (which take seconds to generate). One pair per
//! size waits in memory — never on disk — and a single background thread
//! at the lowest CPU priority refills one size at a time (2048 first), as
//! soon as its pair is taken, so it never competes with the window.

use std::collections::HashMap;
use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use keyport_core::keys::{KEY_SIZES, KeyPair};

#[derive(Clone)]
pub struct KeyPool {
    ready: Arc<Mutex<HashMap<u32, KeyPair>>>,
    requests: Sender<u32>,
}

impl KeyPool {
    /// Starts the refill thread and queues one pair of every size; `None`
    /// (keys are then generated on demand) if the thread cannot start.
    pub fn start() -> Option<KeyPool> {
        let ready: Arc<Mutex<HashMap<u32, KeyPair>>> = Arc::default();
        let (requests, queue) = channel::<u32>();
        let shelf = Arc::clone(&ready);
        let spawned = std::thread::Builder::new().name("keyport-keypool".into()).spawn(move || {
            lowest_priority();
            for bits in queue {
                if lock(&shelf).contains_key(&bits) {
                    continue;
                }
                match KeyPair::generate(bits) {
                    Ok(pair) => {
                        lock(&shelf).insert(bits, pair);
                    }
                    Err(e) => tracing::warn!("key pool: {e}"),
                }
            }
        });
        if let Err(e) = spawned {
            tracing::warn!("key pool: cannot start its thread ({e}); keys are generated on demand");
            return None;
        }
        let pool = KeyPool { ready, requests };
        for bits in KEY_SIZES {
            pool.refill(bits);
        }
        Some(pool)
    }

    /// The waiting pair of this size, if one is ready; queues its successor.
    pub fn take(&self, bits: u32) -> Option<KeyPair> {
        let pair = lock(&self.ready).remove(&bits);
        self.refill(bits);
        pair
    }

    pub fn is_ready(&self, bits: u32) -> bool {
        lock(&self.ready).contains_key(&bits)
    }

    fn refill(&self, bits: u32) {
        // The thread only stops with the process; a send cannot fail before.
        let _ = self.requests.send(bits);
    }
}

/// Nice 19 for this thread only (on Linux a thread has its own priority).
fn lowest_priority() {
    #[cfg(target_os = "linux")]
    if let Err(e) = rustix::process::setpriority_process(Some(rustix::thread::gettid()), 19) {
        tracing::debug!("key pool: cannot lower its priority: {e}");
    }
}

// The shelf only ever holds complete pairs, so a poisoned lock is still usable.
fn lock(shelf: &Mutex<HashMap<u32, KeyPair>>) -> MutexGuard<'_, HashMap<u32, KeyPair>> {
    shelf.lock().unwrap_or_else(PoisonError::into_inner)
}
