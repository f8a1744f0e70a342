//! The request log: handlers never wait for it. Records go through a
//! bounded channel to one thread that writes them in batches (one SQLite
//! transaction per batch, on a connection of its own), so logging never
//! serialises requests and costs them no trip through sqlx.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::thread::JoinHandle;
use std::time::Duration;

use keyport_engine::clock::{Clock, format_timestamp};
use keyport_engine::model::SandboxRequestRecord;
use keyport_engine::{Engine, SandboxLogWriter};

const QUEUE: usize = 10_000;
const BATCH: usize = 5_000;
/// How long a batch gathers records before it is written.
const WINDOW: Duration = Duration::from_millis(100);

/// Cheap to clone (a middleware's state is cloned for every request).
#[derive(Clone)]
pub struct RequestLog {
    tx: SyncSender<SandboxRequestRecord>,
    clock: Arc<dyn Clock>,
}

pub struct Writer {
    thread: JoinHandle<()>,
}

impl RequestLog {
    pub fn start(engine: Engine) -> std::io::Result<(RequestLog, Writer)> {
        let (tx, rx) = sync_channel::<SandboxRequestRecord>(QUEUE);
        let writer = engine.sandbox_log_writer();
        let thread = std::thread::Builder::new().name("sandbox-log".into()).spawn(move || match writer {
            Ok(writer) => write_batches(writer, rx),
            Err(e) => {
                tracing::warn!(code = %e.code(), "sandbox request log: {e}; requests are not logged");
                while rx.recv().is_ok() {}
            }
        })?;
        Ok((RequestLog { tx, clock: engine.clock() }, Writer { thread }))
    }

    /// Now, by the engine's clock, for a record's time.
    pub fn timestamp(&self) -> String {
        format_timestamp(self.clock.now())
    }

    /// Queues a record; when the queue is full the record is dropped rather
    /// than slowing the request down.
    pub fn record(&self, record: SandboxRequestRecord) {
        if let Err(TrySendError::Disconnected(_)) = self.tx.try_send(record) {
            tracing::debug!("sandbox request log: the writer has stopped");
        }
    }
}

/// Until every sender is gone: after a first record, sleeps for [`WINDOW`]
/// and takes what arrived meanwhile (at most [`BATCH`]), so a busy sandbox
/// wakes this thread once per batch, not once per request.
fn write_batches(mut writer: SandboxLogWriter, rx: Receiver<SandboxRequestRecord>) {
    let mut batch = Vec::with_capacity(BATCH);
    while let Ok(first) = rx.recv() {
        batch.push(first);
        std::thread::sleep(WINDOW);
        batch.extend(rx.try_iter().take(BATCH - 1));
        if let Err(e) = writer.write(&batch) {
            tracing::warn!(code = %e.code(), "sandbox request log: {e}");
        }
        batch.clear();
    }
}

impl Writer {
    /// Waits until every queued record is written (all senders dropped).
    pub async fn finish(self) {
        let _ = tokio::task::spawn_blocking(move || self.thread.join()).await;
    }
}
