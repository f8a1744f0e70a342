//! `keyport`: the command line over Keyport's engine. Every operation the
//! app offers is here too, calling the same engine function.

mod accounts;
mod bundles;
mod exit;
mod instances;
mod keys;
mod output;
mod saas;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use keyport_engine::{Engine, ErrorBody, ErrorCode, Home};

use output::Out;

#[derive(Parser)]
#[command(name = "keyport", version, about = "Create, guard and hand over Commerce Services API keys.")]
struct Cli {
    /// Keyport home folder (default: $KEYPORT_HOME, else ~/.local/share/keyport).
    #[arg(long, global = true, value_name = "DIR")]
    home: Option<PathBuf>,
    /// Print results as JSON (snake_case fields); errors as {"code","message"} on stderr.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// License-holder accounts: create, list, show, edit, switch.
    #[command(subcommand)]
    Account(accounts::AccountCmd),
    /// Merchants of an Ecosystem or Managed Ecosystem account.
    #[command(subcommand)]
    Merchant(accounts::MerchantCmd),
    /// API key pairs: create (with the one-time private-key file), list, revoke.
    #[command(subcommand)]
    Key(keys::KeyCmd),
    /// SaaS projects (each with the data spaces its edition allows).
    #[command(subcommand)]
    Project(saas::ProjectCmd),
    /// Data spaces of the account's SaaS projects.
    #[command(subcommand, name = "dataspace")]
    DataSpace(saas::DataSpaceCmd),
    /// The local Commerce Services sandbox (merchant-registry endpoints).
    #[command(subcommand)]
    Sandbox(saas::SandboxCmd),
    /// Commerce instances and their Commerce Services Connector configuration.
    #[command(subcommand)]
    Instance(instances::InstanceCmd),
    /// Key bundles: hand keys to another workstation in one encrypted file.
    #[command(subcommand)]
    Bundle(bundles::BundleCmd),
    /// This workstation's bundle identity (age1… public key).
    #[command(subcommand)]
    Identity(bundles::IdentityCmd),
    /// The activity log, newest first.
    Activity {
        /// Only this account (id or MageID).
        #[arg(long)]
        account: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// Skip this many newer entries (the next page).
        #[arg(long, default_value_t = 0)]
        offset: u32,
    },
    /// Check the home folder, the database and the OS keychain.
    Doctor,
    /// Print a shell completion script: `keyport completions bash > /etc/bash_completion.d/keyport`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Write the manual pages (keyport.1, keyport-key.1, …) into DIR (the
    /// package build runs this).
    #[command(hide = true)]
    Manpages {
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
}

/// A failure to report: a coded engine error, or bad command-line input.
pub struct Failure(pub ErrorBody);

impl<E: Into<ErrorBody>> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure(e.into())
    }
}

pub fn failure(code: ErrorCode, message: impl Into<String>) -> Failure {
    Failure(ErrorBody::new(code, message))
}

pub type CmdResult = Result<(), Failure>;

/// Runs a change that may need a confirmation. With `--confirm`, the
/// warnings it raises are printed and accepted, and it runs again with them
/// (a warning that appears only then still stops it).
pub async fn confirming<T, F, Fut>(confirm: bool, mut run: F) -> Result<T, keyport_engine::EngineError>
where
    F: FnMut(Vec<String>) -> Fut,
    Fut: std::future::Future<Output = Result<T, keyport_engine::EngineError>>,
{
    match run(Vec::new()).await {
        Err(keyport_engine::EngineError::ConfirmationRequired(warnings)) if confirm => {
            for warning in &warnings {
                eprintln!("confirmed: {warning}");
            }
            run(warnings).await
        }
        other => other,
    }
}

fn main() -> ExitCode {
    let json_requested = std::env::args().any(|a| a == "--json");
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if matches!(e.kind(), clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion) => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            // clap's own report spans several lines; scripts get one coded line.
            let rendered = e.render().to_string();
            let first = rendered.lines().next().unwrap_or("invalid arguments").trim_start_matches("error: ");
            let hint = if json_requested { String::new() } else { " (see keyport --help)".to_string() };
            report(json_requested, &failure(ErrorCode::InvalidArguments, format!("{first}{hint}")));
            return ExitCode::from(2);
        }
    };
    let out = Out::new(cli.json);
    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("tokio runtime");
    match runtime.block_on(run(cli.home, cli.command, &out)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            report(out.json, &failure);
            ExitCode::from(exit::class(failure.0.code).exit_code())
        }
    }
}

/// The `clap` description of the command line (completions, manual pages).
fn command_line() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}

/// One page per command and subcommand, named like git's (`keyport-key-create.1`).
fn write_manpages(out: &std::path::Path) -> CmdResult {
    fn write(cmd: &clap::Command, name: &str, out: &std::path::Path) -> std::io::Result<()> {
        let cmd = cmd.clone().name(name.to_string()).bin_name(name.replace('-', " "));
        let mut page = Vec::new();
        clap_mangen::Man::new(cmd.clone()).render(&mut page)?;
        std::fs::write(out.join(format!("{name}.1")), page)?;
        // Not clap's generated `help` subcommands: `keyport help key` is `keyport key --help`.
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help") {
            write(sub, &format!("{name}-{}", sub.get_name()), out)?;
        }
        Ok(())
    }
    let mut cmd = command_line();
    cmd.build();
    write(&cmd, "keyport", out)
        .map_err(|e| failure(ErrorCode::IoError, format!("Cannot write the manual pages into {}: {e}", out.display())))
}

fn report(json: bool, failure: &Failure) {
    let body = &failure.0;
    if json {
        eprintln!("{}", serde_json::to_string(body).expect("error body serialises"));
    } else {
        eprintln!("error[{}]: {}", body.code, body.message.replace('\n', " "));
    }
}

async fn open(home: Option<PathBuf>) -> Result<Engine, Failure> {
    Ok(Engine::open(Home::resolve(home)?).await?)
}

async fn run(home: Option<PathBuf>, command: Command, out: &Out) -> CmdResult {
    match command {
        Command::Doctor => accounts::doctor(home, out).await,
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut command_line(), "keyport", &mut script);
            // A closed pipe (`keyport completions bash | head`) is not an error.
            let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), &script);
            Ok(())
        }
        Command::Manpages { out: dir } => write_manpages(&dir),
        Command::Key(keys::KeyCmd::Validate { api_key, private_key, gateway }) => {
            keys::validate(home, api_key, private_key, gateway, out).await
        }
        command => {
            let engine = open(home).await?;
            let result = match command {
                Command::Account(cmd) => accounts::account(&engine, cmd, out).await,
                Command::Merchant(cmd) => accounts::merchant(&engine, cmd, out).await,
                Command::Key(cmd) => keys::key(&engine, cmd, out).await,
                Command::Project(cmd) => saas::project(&engine, cmd, out).await,
                Command::DataSpace(cmd) => saas::data_space(&engine, cmd, out).await,
                Command::Sandbox(cmd) => saas::sandbox(&engine, cmd, out).await,
                Command::Instance(cmd) => instances::instance(&engine, cmd, out).await,
                Command::Bundle(cmd) => bundles::bundle(&engine, cmd, out).await,
                Command::Identity(cmd) => bundles::identity(&engine, cmd, out).await,
                Command::Activity { account, limit, offset } => {
                    accounts::activity(&engine, account, limit, offset, out).await
                }
                Command::Doctor | Command::Completions { .. } | Command::Manpages { .. } => {
                    unreachable!("handled above")
                }
            };
            engine.close().await;
            result
        }
    }
}
