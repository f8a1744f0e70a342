//! Where the app's log goes. Started from a desktop entry, the app has no
//! terminal, so besides standard error it writes a daily file in the XDG
//! state folder (`~/.local/state/keyport/logs/keyport.YYYY-MM-DD.log`, the
//! newest 7 kept). Nothing Keyport logs is a secret: messages name keys by
//! id or label, files by path, never their content.

use std::path::PathBuf;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::Layer as _;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// Days of logs kept.
const KEPT: usize = 7;

pub struct Logging {
    /// The folder of the log files, when one could be made.
    pub dir: Option<PathBuf>,
    /// Flushes the file writer when the app ends.
    _guard: Option<WorkerGuard>,
}

impl Logging {
    /// Today's file (the appender names files by the UTC date).
    pub fn current_file(&self) -> Option<PathBuf> {
        let today = time::OffsetDateTime::now_utc().date();
        self.dir.as_ref().map(|dir| dir.join(format!("keyport.{today}.log")))
    }
}

fn log_dir() -> Option<PathBuf> {
    let base = dirs::state_dir().or_else(dirs::data_local_dir)?;
    let dir = base.join("keyport").join("logs");
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(&dir).ok()?;
    Some(dir)
}

/// Standard error at `KEYPORT_LOG` (default `warn`); the file at
/// `KEYPORT_FILE_LOG` (default `info`). Panics are logged too.
pub fn init() -> Logging {
    let filter = |var: &str, default: &str| EnvFilter::try_from_env(var).unwrap_or_else(|_| EnvFilter::new(default));
    let stderr =
        tracing_subscriber::fmt::layer().with_writer(std::io::stderr).with_filter(filter("KEYPORT_LOG", "warn"));
    let appender = log_dir().and_then(|dir| {
        RollingFileAppender::builder()
            .rotation(Rotation::DAILY)
            .filename_prefix("keyport")
            .filename_suffix("log")
            .max_log_files(KEPT)
            .build(&dir)
            .ok()
            .map(|appender| (dir, appender))
    });
    let (dir, file, guard) = match appender {
        Some((dir, appender)) => {
            let (writer, guard) = tracing_appender::non_blocking(appender);
            let layer = tracing_subscriber::fmt::layer()
                .with_ansi(false)
                .with_writer(writer)
                .with_filter(filter("KEYPORT_FILE_LOG", "info"));
            (Some(dir), Some(layer), Some(guard))
        }
        None => (None, None, None),
    };
    tracing_subscriber::registry().with(stderr).with(file).init();
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        tracing::error!("panic: {info}");
        default_hook(info);
    }));
    Logging { dir, _guard: guard }
}
