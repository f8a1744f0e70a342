//! Key generation benchmark (a bench binary, not a timed test):
//!
//!   make bench            (runs this in a release build, with a private keyring)
//!
//! Prints the median RSA generation time per key size, and the time from
//! "Add New" to the one-time download dialog — `Engine::create_key`, which is
//! what the dialog waits for — with the key pool warm (a pair ready, as in
//! the app) and cold (generated on demand).
//! `KEYPORT_BENCH_SAMPLES=n` overrides the number of samples per size.

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

#[tokio::main]
async fn main() {
    println!("RSA key generation (rsa crate, OsRng), median of N runs");
    println!("| size | samples | median | min | max |");
    println!("|---|---|---|---|---|");
    for bits in KEY_SIZES {
        let n = samples_for(bits);
        let times: Vec<Duration> = (0..n)
            .map(|_| {
                let start = Instant::now();
                KeyPair::generate(bits, &mut rand::rngs::OsRng).unwrap();
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
    let pooled = engine.clone().with_key_pool();
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
