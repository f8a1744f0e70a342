//! The crash test: the real `keyport` process is killed (`kill -9`) at
//! random points of key creation, the one-time download and revoke, 100
//! times. After each, the next start (`keyport doctor`, which settles what
//! the app's start settles) must leave no private key anywhere but where
//! invariant 9 allows — the file the user saved it to, `pending:<id>` until
//! then, `key:<id>` when kept — and lose no key: a pending key is still
//! pending and downloadable, a delivered key's file is complete.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::Cli;
use keyport_engine::core::Environment;
use keyport_engine::core::keys::KeyPair;
use keyport_engine::model::NewKey;
use keyport_engine::{Engine, Home};

const TRIALS: usize = 100;

/// A small deterministic generator, so a failing trial can be replayed.
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

fn leftovers(folder: &Path) -> Vec<String> {
    std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".keyport-"))
        .collect()
}

/// Runs `args` and kills the process after `delay` (if it still runs), or,
/// with `watch`, as soon as a temporary file appears there: the narrow
/// window between writing a key next to its destination and the rename,
/// which a uniformly random kill almost never hits.
fn run_and_kill(cli: &Cli, args: &[String], delay: Duration, watch: Option<&Path>) -> Duration {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let started = Instant::now();
    let mut child =
        cli.command(&args).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).spawn().unwrap();
    loop {
        if child.try_wait().unwrap().is_some() || started.elapsed() >= delay {
            break;
        }
        match watch {
            Some(folder) if !leftovers(folder).is_empty() => break,
            Some(_) => std::thread::sleep(Duration::from_micros(100)),
            None => std::thread::sleep(Duration::from_millis(2)),
        }
    }
    let _ = child.kill(); // SIGKILL
    let _ = child.wait();
    started.elapsed()
}

fn all_keys() -> keyport_engine::model::KeyQuery {
    keyport_engine::model::KeyQuery { limit: 1000, ..Default::default() }
}

#[tokio::test(flavor = "multi_thread")]
async fn killing_keyport_anywhere_leaves_no_stray_key_and_loses_none() {
    let cli = Cli::new();
    cli.create_account("MAG000000001", "Acme", "primary_merchant");
    let engine = Engine::open(Home::existing(cli.path()).unwrap()).await.unwrap();
    let files = tempfile::tempdir().unwrap();
    let mut dice = Dice(0x9E37_79B9_7F4A_7C15);
    let mut interrupted = 0;
    // Where each delivered key's file should be.
    let mut dest_of: Vec<(String, PathBuf)> = Vec::new();
    // How long each operation takes when left alone, to kill within it.
    let mut took = [Duration::from_millis(600), Duration::from_millis(300), Duration::from_millis(200)];

    for trial in 0..TRIALS {
        let op = trial % 3;
        let out = files.path().join(format!("trial-{trial}.pem"));
        let args: Vec<String> = match op {
            0 => ["key", "create", "--env", "production", "--label", &format!("created {trial}"), "--out"]
                .iter()
                .map(|s| s.to_string())
                .chain([out.display().to_string()])
                .collect(),
            1 => {
                // A key the app created: pending, its private key in the keychain.
                let input = NewKey {
                    environment: Environment::Sandbox,
                    label: format!("pending {trial}"),
                    bits: 2048,
                    scope: None,
                };
                let key = engine.create_key("MAG000000001", input).await.unwrap();
                dest_of.push((key.id.clone(), out.clone()));
                vec!["key".into(), "download".into(), key.id, "--out".into(), out.display().to_string()]
            }
            _ => {
                let active = engine.keys("MAG000000001", &all_keys()).await.unwrap();
                let Some(victim) = active.keys.iter().find(|k| k.status == keyport_engine::core::KeyStatus::Active)
                else {
                    continue;
                };
                vec!["key".into(), "revoke".into(), victim.id.clone(), "--reason".into(), format!("trial {trial}")]
            }
        };
        if op == 0 {
            dest_of.push((String::new(), out.clone()));
        }
        let budget = took[op].as_millis() as u64;
        let delay = Duration::from_millis(dice.below(budget + budget / 5));
        // Every other create and download is killed inside the file window.
        let watch = (op != 2 && trial % 2 == 1).then_some(files.path());
        let delay = if watch.is_some() { Duration::from_secs(30) } else { delay };
        let ran = run_and_kill(&cli, &args, delay, watch);
        if watch.is_none() && ran < delay {
            took[op] = ran; // it finished: kill sooner next time
        }

        // What the kill left, before the next start settles it.
        if !leftovers(files.path()).is_empty() {
            interrupted += 1;
        }
        // The next start.
        let doctor = cli.run(&["doctor"]);
        assert_eq!(doctor.code, 0, "trial {trial}: doctor failed: {}{}", doctor.stdout, doctor.stderr);

        // No copy outside where invariant 9 allows: no temporary or aside file.
        assert_eq!(leftovers(files.path()), Vec::<String>::new(), "trial {trial} ({args:?}, killed at {delay:?})");
        // A file at a destination is always complete: it was renamed into place.
        if out.exists() {
            let text = std::fs::read_to_string(&out).unwrap();
            assert!(KeyPair::from_pem(&text).is_ok(), "trial {trial}: a partial file at {}", out.display());
        }
        // Every key: pending ones are still downloadable, delivered ones have
        // their file, revoked ones have no keychain copy.
        let all = engine.keys("MAG000000001", &all_keys()).await.unwrap();
        for key in &all.keys {
            let pending = engine.secrets().load(&format!("pending:{}", key.id)).await.unwrap();
            let kept = engine.secrets().load(&format!("key:{}", key.id)).await.unwrap();
            assert!(kept.is_none(), "trial {trial}: nothing was kept");
            match (key.status, key.delivered_at.is_some()) {
                (keyport_engine::core::KeyStatus::Revoked, _) => {
                    assert!(pending.is_none(), "trial {trial}: revoked {} still in the keychain", key.label)
                }
                (_, false) => {
                    let pem = pending.unwrap_or_else(|| panic!("trial {trial}: pending {} lost", key.label));
                    let pair = KeyPair::from_pem(pem.expose()).unwrap();
                    assert_eq!(pair.pair.fingerprint(), key.fingerprint);
                }
                (_, true) => {
                    assert!(pending.is_none(), "trial {trial}: delivered {} still pending in the keychain", key.label);
                    if let Some((_, file)) = dest_of.iter().find(|(id, _)| *id == key.id) {
                        let text = std::fs::read_to_string(file).unwrap();
                        assert_eq!(KeyPair::from_pem(&text).unwrap().pair.fingerprint(), key.fingerprint);
                    }
                }
            }
        }
    }
    // The kills did land inside the window the journal guards.
    eprintln!("{interrupted} of {TRIALS} kills left a temporary file behind");
    assert!(interrupted > 0, "no kill landed between writing and renaming a file");
    engine.close().await;
}
