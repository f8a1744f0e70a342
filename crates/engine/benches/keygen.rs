//! Key generation benchmark (a bench binary, not a timed test):
//!
//!   make bench            (runs this in a release build, with a private keyring)
//!
//! Prints the median RSA generation time per key size; RSA-2048 generation
//! side by side with `openssl genpkey` (issue 13: within 1.5x), interleaved,
//! median and spread of `KEYPORT_BENCH_PAIRS` (default 31) runs each; and the time from
//! "Add New" to the one-time download dialog — `Engine::create_key`, which is
//! what the dialog waits for — with the key pool warm (a pair ready, as in
//! the app) and cold (generated on demand).
//! `KEYPORT_BENCH_SAMPLES=n` overrides the number of samples per size.

use std::process::Command;
use std::time::{Duration, Instant};

use keyport_engine::core::keys::{KEY_SIZES, KeyPair};
use keyport_engine::core::{Edition, Environment, OperatingModel};
use keyport_engine::model::{NewAccount, NewKey};
use keyport_engine::{Engine, Home};

fn samples_for(bits: u32) -> usize {
    if let Some(n) = std::env::var("KEYPORT_BENCH_SAMPLES").ok().and_then(|v| v.parse().ok()) {
        return n;
    }
    match bits {
        2048 => 21,
        3072 => 9,
        _ => 5,
    }
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// The 10th and 90th percentile of sorted times.
fn spread(sorted: &[Duration]) -> (Duration, Duration) {
    let at = |q: f64| sorted[((sorted.len() - 1) as f64 * q).round() as usize];
    (at(0.1), at(0.9))
}

/// One `openssl genpkey` RSA-2048 run as a process, the way a person makes
/// a key by hand (its ~2 ms of process start included).
fn openssl_genpkey() -> Duration {
    let start = Instant::now();
    let status = Command::new("openssl")
        .args(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "/dev/null"])
        .stderr(std::process::Stdio::null()) // its progress dots
        .status()
        .expect("openssl runs");
    assert!(status.success(), "openssl genpkey failed");
    start.elapsed()
}

fn versus_openssl() {
    let n: usize = std::env::var("KEYPORT_BENCH_PAIRS").ok().and_then(|v| v.parse().ok()).unwrap_or(31);
    let (mut ours, mut theirs) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for _ in 0..n {
        let start = Instant::now();
        KeyPair::generate(2048).unwrap();
        ours.push(start.elapsed());
        theirs.push(openssl_genpkey());
    }
    ours.sort();
    theirs.sort();
    let (ours_median, theirs_median) = (median(ours.clone()), median(theirs.clone()));
    let ((o10, o90), (t10, t90)) = (spread(&ours), spread(&theirs));
    println!(
        "RSA-2048 generation, {n} runs each, interleaved (prime search is random: median and 10th-90th percentile)"
    );
    println!("| generator | median | p10 | p90 | min | max |");
    println!("|---|---|---|---|---|---|");
    let row = |name: &str, m: Duration, p10: Duration, p90: Duration, all: &[Duration]| {
        println!("| {name} | {} | {} | {} | {} | {} |", ms(m), ms(p10), ms(p90), ms(all[0]), ms(all[all.len() - 1]));
    };
    row("Keyport (AWS-LC)", ours_median, o10, o90, &ours);
    row("openssl genpkey (process)", theirs_median, t10, t90, &theirs);
    println!(
        "Keyport / openssl (medians): {:.2}   (target <= 1.50)",
        ours_median.as_secs_f64() / theirs_median.as_secs_f64()
    );
    println!();
}

#[tokio::main]
async fn main() {
    versus_openssl();
    println!("RSA key generation (AWS-LC), median of N runs");
    println!("| size | samples | median | min | max |");
    println!("|---|---|---|---|---|");
    for bits in KEY_SIZES {
        let n = samples_for(bits);
        let times: Vec<Duration> = (0..n)
            .map(|_| {
                let start = Instant::now();
                KeyPair::generate(bits).unwrap();
                start.elapsed()
            })
            .collect();
        let (min, max) = (*times.iter().min().unwrap(), *times.iter().max().unwrap());
        println!("| {bits} | {n} | {} | {} | {} |", ms(median(times)), ms(min), ms(max));
    }

    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(Home::existing(dir.path()).unwrap()).await.unwrap();
    engine
        .create_account(NewAccount {
            mage_id: "MAG000000001".into(),
            name: "Bench".into(),
            edition: Edition::AdobeCommerce,
            operating_model: OperatingModel::PrimaryMerchant,
        })
        .await
        .unwrap();
    // A second engine on the same home keeps its own (absent) pool.
    let pooled = Engine::open(Home::existing(dir.path()).unwrap()).await.unwrap().with_key_pool();
    let mut label = 0;
    let mut add_new = |engine: Engine, bits: u32| {
        label += 1;
        let input = NewKey { environment: Environment::Production, label: format!("bench {label}"), bits, scope: None };
        async move {
            let start = Instant::now();
            let key = engine.create_key("MAG000000001", input).await.unwrap();
            let elapsed = start.elapsed();
            engine.discard_pending_key(&key.id).await.unwrap();
            elapsed
        }
    };

    println!();
    println!("\"Add New\" to the download dialog (Engine::create_key: key pair, keychain, SQLite), median");
    println!("| size | pool warm | cold (no pool) |");
    println!("|---|---|---|");
    for bits in KEY_SIZES {
        let n = samples_for(bits).min(7);
        let mut warm = Vec::new();
        for _ in 0..n {
            // Wait until the pool has this size ready, as it is when a user clicks.
            while !pooled.key_sizes().iter().any(|s| s.bits == bits && s.ready) {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            warm.push(add_new(pooled.clone(), bits).await);
        }
        let mut cold = Vec::new();
        for _ in 0..n {
            cold.push(add_new(engine.clone(), bits).await);
        }
        println!("| {bits} | {} | {} |", ms(median(warm)), ms(median(cold)));
    }
}
