//! Throughput of the sandbox's entitlement check (`GET …/ping`), next to
//! what OpenSSL verifies per second on the same machine in the same run.
//!
//!   make bench
//!
//! The server runs in-process on a loopback port with its real engine
//! (SQLite lookups of key status and account standing on every request);
//! the client sends requests over keep-alive connections with bounded
//! concurrency, for a bounded number of requests. Client and server share
//! the machine's cores, as they would on a developer's workstation.
//! `KEYPORT_BENCH_REQUESTS=n` overrides the number of requests per run.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use keyport_engine::core::keys::KeyPair;
use keyport_engine::core::{Edition, Environment, OperatingModel, jwt};
use keyport_engine::model::{NewAccount, NewKey};
use keyport_engine::{Engine, Home};
use keyport_sandbox::Sandbox;
use tokio::sync::Semaphore;

const CONCURRENCY: usize = 32;

fn requests() -> usize {
    std::env::var("KEYPORT_BENCH_REQUESTS").ok().and_then(|v| v.parse().ok()).unwrap_or(6000)
}

/// Sends one request per token and returns requests per second.
async fn run(url: &str, api_key: &str, tokens: Arc<Vec<String>>) -> f64 {
    let client = reqwest::Client::builder().pool_max_idle_per_host(CONCURRENCY).build().unwrap();
    let limit = Arc::new(Semaphore::new(CONCURRENCY));
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(tokens.len());
    for i in 0..tokens.len() {
        let permit = limit.clone().acquire_owned().await.unwrap();
        let (client, url, api_key, tokens) = (client.clone(), url.to_string(), api_key.to_string(), tokens.clone());
        tasks.push(tokio::spawn(async move {
            let response = client
                .get(&url)
                .header("x-api-key", api_key)
                .header("x-gw-signature", &tokens[i])
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 200, "{}", response.text().await.unwrap_or_default());
            drop(permit);
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    tokens.len() as f64 / started.elapsed().as_secs_f64()
}

/// `openssl speed rsa2048` verify/s, measured now, on this machine.
fn openssl_verify_per_second() -> Option<f64> {
    let out = std::process::Command::new("openssl").args(["speed", "-seconds", "3", "rsa2048"]).output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    // "rsa 2048 bits 0.000643s 0.000019s   1555.6  52358.1" — verify/s is last.
    let line = text.lines().find(|l| l.trim_start().starts_with("rsa") && l.contains("2048 bits"))?;
    line.split_whitespace().last()?.parse().ok()
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    runtime.block_on(async {
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
        let file = dir.path().join("k.pem");
        let key = engine
            .create_key_to_file(
                "MAG000000001",
                NewKey { environment: Environment::Production, label: "bench".into(), bits: 2048, scope: None },
                &file,
                false,
            )
            .await
            .unwrap()
            .key;
        let pair = Arc::new(KeyPair::from_pem(&std::fs::read_to_string(&file).unwrap()).unwrap().pair);
        let sandbox = Sandbox::start(engine.clone(), "127.0.0.1:0".parse::<SocketAddr>().unwrap()).await.unwrap();
        let url = format!("{}merchant-registry/v1/ping", sandbox.gateway_url());
        let n = requests();

        // Unique tokens are signed before the clock starts (signing is the
        // client's cost, not the server's): each gets a distinct claim.
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let unique: Vec<String> = (0..n)
            .map(|i| {
                let mut claims = jwt::connector_claims(now);
                claims["jti"] = serde_json::json!(i);
                jwt::sign(&pair, &claims)
            })
            .collect();
        let repeated = vec![jwt::sign(&pair, &jwt::connector_claims(now)); n];

        // Warm up connections and caches.
        run(&url, key.api_key.as_str(), Arc::new(repeated[..200].to_vec())).await;
        let unique_rps = run(&url, key.api_key.as_str(), Arc::new(unique)).await;
        let repeated_rps = run(&url, key.api_key.as_str(), Arc::new(repeated)).await;

        // The bare verification cost in this process, for reference.
        let token = jwt::sign(&pair, &jwt::connector_claims(now));
        let public = pair.public_key();
        let started = Instant::now();
        let mut verified = 0;
        while started.elapsed() < Duration::from_secs(2) {
            jwt::verify(&token, &public, now).unwrap();
            verified += 1;
        }
        let verify_rps = verified as f64 / started.elapsed().as_secs_f64();
        let openssl = openssl_verify_per_second();
        sandbox.stop().await;

        println!(
            "Sandbox GET /merchant-registry/v1/ping, {n} requests, {CONCURRENCY} concurrent, {} cores",
            std::thread::available_parallelism().map_or(0, |n| n.get())
        );
        println!("| what | per second |");
        println!("|---|---|");
        println!("| ping, a new JWT every request | {unique_rps:.0} |");
        println!("| ping, the same JWT repeated | {repeated_rps:.0} |");
        println!("| Keyport JWT verify (one thread, in-process) | {verify_rps:.0} |");
        match openssl {
            Some(v) => println!("| `openssl speed rsa2048` verify (one thread) | {v:.0} |"),
            None => println!("| `openssl speed rsa2048` verify | (openssl not available) |"),
        }
    });
}
