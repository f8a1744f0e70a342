//! `keyport project …`, `keyport dataspace …`, `keyport sandbox …`.

use std::net::SocketAddr;

use clap::Subcommand;
use keyport_engine::model::Project;
use keyport_engine::{Engine, ErrorCode};
use keyport_sandbox::Sandbox;

use crate::accounts::target;
use crate::output::{Out, table};
use crate::{CmdResult, failure};

#[derive(Subcommand)]
pub enum ProjectCmd {
    /// The account's SaaS projects and their data spaces.
    List {
        #[arg(long)]
        account: Option<String>,
    },
    /// Create a project with the data spaces the account's edition allows.
    Create {
        #[arg(long)]
        name: String,
        #[arg(long)]
        account: Option<String>,
    },
    /// Rename a project (named by id or current name).
    Rename {
        project: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        account: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum DataSpaceCmd {
    /// The data spaces of the account's projects (or of one project).
    List {
        #[arg(long)]
        project: Option<String>,
        #[arg(long)]
        account: Option<String>,
    },
    /// Rename a data space (by id).
    Rename {
        data_space: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        account: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum SandboxCmd {
    /// Serve the local Commerce Services gateway until interrupted.
    Serve {
        /// Address to listen on (loopback by default).
        #[arg(long, default_value = keyport_sandbox::DEFAULT_BIND)]
        bind: SocketAddr,
    },
    /// The sandbox's request log, newest first.
    Log {
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
}

fn projects_table(projects: &[Project]) -> String {
    let rows: Vec<Vec<String>> = projects
        .iter()
        .flat_map(|p| {
            p.data_spaces.iter().map(move |d| {
                vec![p.name.clone(), p.id.clone(), d.name.clone(), d.data_space_type.to_string(), d.id.clone()]
            })
        })
        .collect();
    if rows.is_empty() {
        "No projects yet. Create one: keyport project create --name NAME".into()
    } else {
        table(&["PROJECT", "PROJECT ID", "DATA SPACE", "TYPE", "DATA SPACE ID"], &rows)
    }
}

pub async fn project(engine: &Engine, cmd: ProjectCmd, out: &Out) -> CmdResult {
    match cmd {
        ProjectCmd::List { account } => {
            let account = target(engine, account).await?;
            let projects = engine.projects(&account.id).await?;
            out.emit(&projects, || projects_table(&projects));
        }
        ProjectCmd::Create { name, account } => {
            let account = target(engine, account).await?;
            let project = engine.create_project(&account.id, &name).await?;
            out.emit(&project, || {
                format!("Created project {}.\n{}", project.name, projects_table(std::slice::from_ref(&project)))
            });
        }
        ProjectCmd::Rename { project, name, account } => {
            let account = target(engine, account).await?;
            let project = engine.rename_project(&account.id, &project, &name).await?;
            out.emit(&project, || format!("Renamed the project to {}.", project.name));
        }
    }
    Ok(())
}

pub async fn data_space(engine: &Engine, cmd: DataSpaceCmd, out: &Out) -> CmdResult {
    match cmd {
        DataSpaceCmd::List { project, account } => {
            let account = target(engine, account).await?;
            let projects = match project {
                Some(p) => vec![engine.project(&account.id, &p).await?],
                None => engine.projects(&account.id).await?,
            };
            let spaces: Vec<_> = projects.iter().flat_map(|p| p.data_spaces.clone()).collect();
            out.emit(&spaces, || projects_table(&projects));
        }
        DataSpaceCmd::Rename { data_space, name, account } => {
            let account = target(engine, account).await?;
            let space = engine.rename_data_space(&account.id, &data_space, &name).await?;
            out.emit(&space, || format!("Renamed the data space to {}.", space.name));
        }
    }
    Ok(())
}

pub async fn sandbox(engine: &Engine, cmd: SandboxCmd, out: &Out) -> CmdResult {
    match cmd {
        SandboxCmd::Serve { bind } => {
            let sandbox = Sandbox::start(engine.clone(), bind)
                .await
                .map_err(|e| failure(ErrorCode::BindFailed, format!("Cannot listen on {bind}: {e}")))?;
            if !bind.ip().is_loopback() {
                eprintln!("warning: the sandbox listens on {bind}, reachable from other machines.");
            }
            let url = sandbox.gateway_url();
            // So `keyport key validate` finds this sandbox and can check it is this home's.
            sandbox.publish()?;
            out.emit(&serde_json::json!({ "gateway_url": url }), || {
                format!("Serving the Commerce Services sandbox at {url}\nSet this as the gateway URL of a Commerce instance. Ctrl-C stops it.")
            });
            wait_for_signal().await;
            sandbox.stop().await;
        }
        SandboxCmd::Log { limit } => {
            let log = engine.sandbox_requests(limit).await?;
            out.emit(&log, || {
                let rows: Vec<Vec<String>> = log
                    .iter()
                    .map(|r| {
                        vec![
                            r.at.clone(),
                            r.method.clone(),
                            r.path.clone(),
                            r.key_label.clone().unwrap_or_default(),
                            r.status.to_string(),
                            r.code.map(|c| c.to_string()).unwrap_or_default(),
                        ]
                    })
                    .collect();
                if rows.is_empty() {
                    "No requests yet.".into()
                } else {
                    table(&["AT", "METHOD", "PATH", "KEY", "STATUS", "CODE"], &rows)
                }
            });
        }
    }
    Ok(())
}

/// Ctrl-C or SIGTERM.
async fn wait_for_signal() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}
