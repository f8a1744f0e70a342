//! The request log: handlers never wait for it. Records go through a
//! bounded channel to one task that writes them in batches (one SQLite
//! transaction per batch), so logging never serialises requests.

use std::time::Duration;

use keyport_engine::Engine;
use keyport_engine::model::SandboxRequestRecord;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

const QUEUE: usize = 10_000;
const BATCH: usize = 500;

#[derive(Clone)]
pub struct RequestLog {
    tx: mpsc::Sender<SandboxRequestRecord>,
    engine: Engine,
}

pub struct Writer {
    task: JoinHandle<()>,
}

impl RequestLog {
    pub fn start(engine: Engine) -> (RequestLog, Writer) {
        let (tx, mut rx) = mpsc::channel::<SandboxRequestRecord>(QUEUE);
        let log = RequestLog { tx, engine: engine.clone() };
        let task = tokio::spawn(async move {
            let mut batch = Vec::with_capacity(BATCH);
            while let Some(first) = rx.recv().await {
                batch.push(first);
                // Gather what else arrives within a short window.
                let deadline = tokio::time::sleep(Duration::from_millis(100));
                tokio::pin!(deadline);
                while batch.len() < BATCH {
                    tokio::select! {
                        next = rx.recv() => match next { Some(r) => batch.push(r), None => break },
                        _ = &mut deadline => break,
                    }
                }
                if let Err(e) = engine.record_sandbox_requests(&batch).await {
                    tracing::warn!(code = %e.code(), "sandbox request log: {e}");
                }
                batch.clear();
            }
        });
        (log, Writer { task })
    }

    /// Now, by the engine's clock, for a record's time.
    pub fn timestamp(&self) -> String {
        self.engine.timestamp()
    }

    /// Queues a record; when the queue is full the record is dropped rather
    /// than slowing the request down.
    pub fn record(&self, record: SandboxRequestRecord) {
        let _ = self.tx.try_send(record);
    }
}

impl Writer {
    /// Waits until every queued record is written (all senders dropped).
    pub async fn finish(self) {
        let _ = self.task.await;
    }
}
