//! The sandbox under hostile local clients, over real sockets: oversized
//! methods and paths in the log, DNS-rebinding hosts and foreign origins,
//! idle and half-sent connections, slow bodies. Any local process can
//! connect, so none of this may cost the app its descriptors, memory or
//! ability to answer.

mod common;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use keyport_engine::core::{Edition, Environment, OperatingModel};
use keyport_engine::model::{ApiKeyInfo, NewAccount, NewKey};
use keyport_engine::{Engine, ErrorCode, Home};
use keyport_sandbox::{Limits, Sandbox};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use common::{connector_token, key_with_pem};

struct Setup {
    home: tempfile::TempDir,
    engine: Engine,
    key: ApiKeyInfo,
    pem: String,
}

async fn setup() -> Setup {
    let home = tempfile::tempdir().unwrap();
    let engine = Engine::open(Home::existing(home.path()).unwrap()).await.unwrap();
    let account = NewAccount {
        mage_id: "MAG000000001".into(),
        name: "Acme".into(),
        edition: Edition::AdobeCommerce,
        operating_model: OperatingModel::PrimaryMerchant,
    };
    engine.create_account(account).await.unwrap();
    let (key, pem) = key_with_pem(&engine, "MAG000000001", Environment::Production, "ci", None).await;
    Setup { home, engine, key, pem }
}

/// Sends raw bytes and reads the answer until the server closes or `wait` passes.
async fn raw(addr: SocketAddr, request: &[u8], wait: Duration) -> String {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(request).await.unwrap();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(wait, stream.read_to_end(&mut answer)).await;
    String::from_utf8_lossy(&answer).into_owned()
}

fn status_line(answer: &str) -> &str {
    answer.lines().next().unwrap_or_default()
}

async fn ping(s: &Setup, sandbox: &Sandbox) -> reqwest::Result<reqwest::StatusCode> {
    reqwest::Client::new()
        .get(format!("{}merchant-registry/v1/ping", sandbox.gateway_url()))
        .header("x-api-key", s.key.api_key.as_str())
        .header("x-gw-signature", connector_token(&s.pem))
        .timeout(Duration::from_secs(5))
        .send()
        .await
        .map(|r| r.status())
}

fn open_descriptors() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}

#[tokio::test]
async fn the_log_keeps_known_methods_and_cut_clean_paths_only() {
    let s = setup().await;
    let sandbox = Sandbox::start(s.engine.clone(), "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let addr = sandbox.addr();
    // A custom method of 100 KB to an endpoint that needs no key.
    let method = "X".repeat(100_000);
    let answer =
        raw(addr, format!("{method} /nope HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").as_bytes(), Duration::from_secs(2))
            .await;
    assert!(status_line(&answer).contains("404"), "{}", status_line(&answer));
    let long_path = format!("/{}", "a".repeat(8_000));
    let answer =
        raw(addr, format!("GET {long_path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").as_bytes(), Duration::from_secs(2))
            .await;
    assert!(status_line(&answer).contains("404"), "{}", status_line(&answer));
    sandbox.stop().await;

    let log = s.engine.sandbox_requests(10).await.unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(log[1].method, "OTHER");
    assert_eq!(log[0].method, "GET");
    assert!(log[0].path.chars().count() <= 201, "{} characters", log[0].path.chars().count());
    let db = std::fs::metadata(s.home.path().join("keyport.db")).unwrap().len()
        + std::fs::metadata(s.home.path().join("keyport.db-wal")).map(|m| m.len()).unwrap_or(0);
    assert!(db < 2 * 1024 * 1024, "the database grew to {db} bytes");
}

#[tokio::test]
async fn foreign_hosts_and_origins_are_refused() {
    let s = setup().await;
    let sandbox = Sandbox::start(s.engine.clone(), "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let addr = sandbox.addr();
    let token = connector_token(&s.pem);
    let request = |host: &str, origin: Option<&str>| {
        let origin = origin.map(|o| format!("Origin: {o}\r\n")).unwrap_or_default();
        format!(
            "GET /merchant-registry/v1/ping HTTP/1.1\r\nHost: {host}\r\n{origin}x-api-key: {}\r\nx-gw-signature: {token}\r\nConnection: close\r\n\r\n",
            s.key.api_key
        )
    };
    let wait = Duration::from_secs(5);
    let port = addr.port();
    for (host, origin, expected) in [
        (format!("127.0.0.1:{port}"), None, "200"),
        (format!("localhost:{port}"), Some(format!("http://localhost:{port}")), "200"),
        (format!("[::1]:{port}"), None, "200"),
        // DNS rebinding: an attacker's name that resolves to 127.0.0.1.
        (format!("rebind.attacker.example:{port}"), None, "403"),
        (format!("127.0.0.1:{port}"), Some("https://attacker.example".to_string()), "403"),
        (format!("127.0.0.1:{port}"), Some("null".to_string()), "403"),
    ] {
        let answer = raw(addr, request(&host, origin.as_deref()).as_bytes(), wait).await;
        assert!(status_line(&answer).contains(expected), "{host} {origin:?}: {}", status_line(&answer));
        if expected == "403" {
            let code = if origin.is_some() { ErrorCode::OriginNotAllowed } else { ErrorCode::HostNotAllowed };
            assert!(answer.contains(code.as_str()), "{answer}");
        }
    }
    // No Host at all (HTTP/1.0) is refused too.
    let answer = raw(addr, b"GET /merchant-registry/v1/ping HTTP/1.0\r\n\r\n", wait).await;
    assert!(answer.contains("host_not_allowed"), "{answer}");
    sandbox.stop().await;
}

#[tokio::test]
async fn idle_and_half_sent_connections_cannot_exhaust_the_app() {
    let s = setup().await;
    let limits = Limits {
        header_read: Duration::from_secs(1),
        idle: Duration::from_secs(2),
        request: Duration::from_secs(2),
        connections: 32,
    };
    let sandbox = Sandbox::start_with(s.engine.clone(), "127.0.0.1:0".parse().unwrap(), limits).await.unwrap();
    let addr = sandbox.addr();
    let before = open_descriptors();

    // 400 connections that never send a byte, and 50 that send half a request.
    let mut idle = Vec::new();
    for _ in 0..400 {
        idle.push(TcpStream::connect(addr).await.unwrap());
    }
    for _ in 0..50 {
        let mut c = TcpStream::connect(addr).await.unwrap();
        c.write_all(b"GET /merchant-registry/v1/ping HTTP/1.1\r\nHost: 127.0.0.1\r\n").await.unwrap();
        idle.push(c);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    // The server holds at most its cap: the rest were closed on accept.
    let held = open_descriptors() - before - idle.len();
    assert!(held <= limits.connections + 8, "the server holds {held} descriptors");

    // Meanwhile the app's own work goes on: a key is generated and delivered to a file.
    let dir = tempfile::tempdir().unwrap();
    let input = NewKey { environment: Environment::Sandbox, label: "during the flood".into(), bits: 2048, scope: None };
    s.engine.create_key_to_file("MAG000000001", input, &dir.path().join("k.pem"), false).await.unwrap();

    // Within the timeouts the idle ones are closed and the sandbox answers again.
    let started = Instant::now();
    loop {
        if let Ok(status) = ping(&s, &sandbox).await
            && status.is_success()
        {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "the sandbox never answered again");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // A connection that sent half its headers was closed (by the header
    // timeout, or at once when over the cap): its read ends in an answer, an
    // end of file or a reset, never a wait.
    let mut closed = 0;
    for c in idle.iter_mut().rev().take(50) {
        let mut buf = [0u8; 256];
        if tokio::time::timeout(Duration::from_secs(3), c.read(&mut buf)).await.is_ok() {
            closed += 1;
        }
    }
    assert_eq!(closed, 50, "half-sent requests are closed");
    drop(idle);
    sandbox.stop().await;
}

#[tokio::test]
async fn a_request_whose_body_never_comes_times_out() {
    let s = setup().await;
    let limits = Limits {
        header_read: Duration::from_secs(5),
        idle: Duration::from_secs(10),
        request: Duration::from_secs(1),
        connections: 8,
    };
    let sandbox = Sandbox::start_with(s.engine.clone(), "127.0.0.1:0".parse().unwrap(), limits).await.unwrap();
    let request = format!(
        "POST /keyport/v1/authorize HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: {}\r\nx-gw-signature: {}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"method\"",
        s.key.api_key,
        connector_token(&s.pem)
    );
    let started = Instant::now();
    let answer = raw(sandbox.addr(), request.as_bytes(), Duration::from_secs(5)).await;
    assert!(status_line(&answer).contains("408"), "{}", status_line(&answer));
    assert!(answer.contains("request_timeout"), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(4));
    sandbox.stop().await;
}
