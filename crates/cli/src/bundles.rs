//! `keyport bundle …` and `keyport identity …`: key bundles and this
//! workstation's identity. Passphrases are read from a file or standard
//! input (`--passphrase-file -`), never taken on the command line, where
//! other users could read them (`ps`).

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};

use clap::Subcommand;
use keyport_engine::core::bundle;
use keyport_engine::model::{Arrival, BundlePreview, BundleProtection, NewBundle, PastedSecret};
use keyport_engine::{Engine, ErrorCode};
use zeroize::Zeroizing;

use crate::output::{Out, fields, table};
use crate::{CmdResult, Failure, failure};

#[derive(Subcommand)]
pub enum BundleCmd {
    /// Write keys (whose private keys this workstation holds) into an
    /// encrypted bundle for one recipient, or protected by a passphrase.
    Export {
        /// A key (API key or id); repeat for more, all of one account.
        #[arg(long = "key", value_name = "KEY", required = true)]
        keys: Vec<String>,
        /// The recipient's public key (age1…), from their `keyport identity show`.
        #[arg(long, value_name = "AGE1…", conflicts_with = "passphrase_file")]
        recipient: Option<String>,
        /// A file holding the passphrase (its first line); `-` reads standard input.
        #[arg(long, value_name = "FILE")]
        passphrase_file: Option<PathBuf>,
        /// How long it can be imported: 1h to 90d, e.g. 12h, 7d, 2w.
        #[arg(long, default_value = "7d")]
        expires: String,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Show what a bundle holds, without importing anything.
    Inspect {
        file: PathBuf,
        /// For a passphrase bundle: the passphrase's file (`-`: standard input).
        #[arg(long, value_name = "FILE")]
        passphrase_file: Option<PathBuf>,
    },
    /// Import a bundle: all of it or nothing. Keys already here are skipped.
    Import {
        file: PathBuf,
        #[arg(long, value_name = "FILE")]
        passphrase_file: Option<PathBuf>,
        /// Accept the bundle's warnings (keys for one of this workstation's own accounts).
        #[arg(long)]
        confirm: bool,
    },
}

#[derive(Subcommand)]
pub enum IdentityCmd {
    /// This workstation's public key (age1…), created on first use: send it
    /// to a license holder so they can make bundles for you.
    Show,
    /// Create this workstation's identity; replacing one needs --replace
    /// (bundles made for the old one can no longer be opened here).
    New {
        #[arg(long)]
        replace: bool,
    },
}

/// The passphrase in `file` (or standard input for `-`): its first line,
/// without the line break. Refuses an empty one.
pub fn read_passphrase(file: &Path) -> Result<Zeroizing<String>, Failure> {
    // Room for the whole (capped) read up front: no reallocation leaves a copy.
    let mut text = Zeroizing::new(String::with_capacity(8192));
    let read = if file == Path::new("-") && std::io::stdin().is_terminal() {
        // A person at a terminal types it without it being shown.
        rpassword::prompt_password("Passphrase: ").map(|typed| {
            let typed = Zeroizing::new(typed);
            text.push_str(&typed);
            text.len()
        })
    } else if file == Path::new("-") {
        std::io::stdin().lock().take(8192).read_to_string(&mut text)
    } else {
        std::fs::File::open(file).and_then(|f| f.take(8192).read_to_string(&mut text))
    };
    read.map_err(|e| failure(ErrorCode::IoError, format!("Cannot read the passphrase from {}: {e}", file.display())))?;
    let line = Zeroizing::new(text.lines().next().unwrap_or("").to_string());
    if line.is_empty() {
        return Err(failure(ErrorCode::EmptyValue, format!("{} holds no passphrase.", file.display())));
    }
    Ok(line)
}

pub async fn bundle(engine: &Engine, cmd: BundleCmd, out: &Out) -> CmdResult {
    match cmd {
        BundleCmd::Export { keys, recipient, passphrase_file, expires, out: file } => {
            let protection = match (recipient, passphrase_file) {
                (Some(recipient), None) => BundleProtection::Recipient { recipient },
                (None, Some(path)) => {
                    BundleProtection::Passphrase { passphrase: PastedSecret::new(read_passphrase(&path)?.to_string()) }
                }
                _ => {
                    return Err(failure(
                        ErrorCode::InvalidArguments,
                        "Give --recipient age1… or --passphrase-file FILE (one of them).",
                    ));
                }
            };
            let expires_in_hours = bundle::parse_expiry(&expires)?;
            let request = NewBundle { keys, protection, expires_in_hours };
            let exported = engine.export_bundle(request, &file, false).await?;
            out.emit(&exported, || {
                let whom = match &exported.recipient {
                    Some(r) => format!("for {r}"),
                    None => "with the passphrase (tell it by another channel than the file)".into(),
                };
                format!(
                    "Wrote {} key(s) to {} (mode 0600), {whom}; it can be imported until {}.",
                    exported.keys.len(),
                    exported.file,
                    exported.expires_at
                )
            });
        }
        BundleCmd::Inspect { file, passphrase_file } => {
            let passphrase = passphrase_file.as_deref().map(read_passphrase).transpose()?;
            let opened = engine.open_bundle(&file, passphrase.as_deref().map(String::as_str)).await?;
            out.emit(&opened.preview, || show(&opened.preview));
        }
        BundleCmd::Import { file, passphrase_file, confirm } => {
            let passphrase = passphrase_file.as_deref().map(read_passphrase).transpose()?;
            let opened = engine.open_bundle(&file, passphrase.as_deref().map(String::as_str)).await?;
            let preview = show(&opened.preview);
            let warnings = opened.preview.warnings.clone();
            if !warnings.is_empty() && !confirm {
                return Err(keyport_engine::EngineError::ConfirmationRequired(warnings).into());
            }
            for warning in &warnings {
                eprintln!("confirmed: {warning}");
            }
            let imported = engine.import_bundle(opened, &warnings).await?;
            for notice in &imported.notices {
                eprintln!("notice: {notice}");
            }
            out.emit(&imported, || {
                format!(
                    "{preview}\nImported {} key(s) and {} project(s) of {} ({}).",
                    imported.imported.len(),
                    imported.projects_added,
                    imported.account.name,
                    imported.account.mage_id
                )
            });
        }
    }
    Ok(())
}

pub async fn identity(engine: &Engine, cmd: IdentityCmd, out: &Out) -> CmdResult {
    let identity = match cmd {
        IdentityCmd::Show => engine.identity().await?,
        IdentityCmd::New { replace } => engine.new_identity(replace).await?,
    };
    out.emit(&identity, || identity.recipient.clone());
    Ok(())
}

fn arrival(a: Arrival) -> &'static str {
    match a {
        Arrival::New => "new",
        Arrival::Present => "already here",
        Arrival::Renamed => "new, renamed",
        Arrival::Skipped => "skipped",
    }
}

fn show(p: &BundlePreview) -> String {
    let account = &p.account;
    let mut text = fields(&[
        ("Bundle", p.file.clone()),
        ("Protected by", format!("{:?}", p.lock).to_lowercase()),
        ("Made", format!("{} by {}", p.created_at, p.created_by)),
        ("Expires", p.expires_at.clone()),
        (
            "Account",
            format!(
                "{} ({}), {}, {} — {}",
                account.name,
                account.mage_id,
                account.edition.label(),
                account.operating_model.label(),
                if account.arrival == Arrival::New { "new here (a client account)" } else { "known here" }
            ),
        ),
    ]);
    let keys: Vec<Vec<String>> = p
        .keys
        .iter()
        .map(|k| {
            vec![
                k.label.clone(),
                k.environment.to_string(),
                k.api_key.to_string(),
                k.fingerprint.clone(),
                arrival(k.arrival).into(),
            ]
        })
        .collect();
    text.push('\n');
    text.push_str(&table(&["LABEL", "ENV", "API KEY", "FINGERPRINT", "IMPORT"], &keys));
    if !p.projects.is_empty() {
        let projects: Vec<Vec<String>> = p
            .projects
            .iter()
            .map(|pr| {
                let spaces: Vec<String> = pr.data_spaces.iter().map(|d| d.name.clone()).collect();
                vec![pr.name.clone(), spaces.join(", "), arrival(pr.arrival).into()]
            })
            .collect();
        text.push('\n');
        text.push_str(&table(&["PROJECT", "DATA SPACES", "IMPORT"], &projects));
    }
    text
}
