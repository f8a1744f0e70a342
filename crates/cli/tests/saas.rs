//! `keyport project|dataspace|sandbox` and `key validate` through the real
//! binary, against a real sandbox process on a loopback port.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};

use common::{Cli, Run, bin};

fn cli_with_account(edition: &str) -> Cli {
    let cli = Cli::new();
    cli.run(&[
        "account",
        "create",
        "--mage-id",
        "MAG000000001",
        "--name",
        "Acme",
        "--edition",
        edition,
        "--operating-model",
        "primary_merchant",
    ])
    .ok();
    cli
}

#[test]
fn projects_and_data_spaces_from_the_cli() {
    let cli = cli_with_account("adobe_commerce");
    let project = cli.run(&["project", "create", "--name", "Storefront", "--json"]).ok().json();
    assert_eq!(project["data_spaces"].as_array().unwrap().len(), 3);
    let id = project["id"].as_str().unwrap();
    let testing = project["data_spaces"][1]["id"].as_str().unwrap();
    assert_eq!(project["data_spaces"][1]["type"], "testing");

    cli.run(&["project", "rename", "storefront", "--name", "Storefront EU"]).ok();
    let renamed = cli.run(&["dataspace", "rename", testing, "--name", "Staging", "--json"]).ok().json();
    assert_eq!(renamed["name"], "Staging");
    let listed = cli.run(&["project", "list", "--json"]).ok().json();
    assert_eq!(listed[0]["name"], "Storefront EU");
    assert_eq!(listed[0]["id"], id);
    let spaces = cli.run(&["dataspace", "list", "--project", id, "--json"]).ok().json();
    let names: Vec<_> = spaces.as_array().unwrap().iter().map(|d| d["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Production", "Staging", "Testing 2"]);
    assert!(cli.run(&["project", "list"]).ok().stdout.contains("Storefront EU"));
}

#[test]
fn bad_project_input_is_refused_and_changes_nothing() {
    let cli = cli_with_account("magento_open_source");
    let project = cli.run(&["project", "create", "--name", "Shop", "--json"]).ok().json();
    assert_eq!(project["data_spaces"].as_array().unwrap().len(), 1, "Open Source: one production data space");
    let space = project["data_spaces"][0]["id"].as_str().unwrap().to_string();
    let before = cli.run(&["project", "list", "--json"]).ok().stdout;
    let long = "n".repeat(65);
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["project", "create", "--name", ""], "empty_value"),
        (vec!["project", "create", "--name", &long], "value_too_long"),
        (vec!["project", "create", "--name", "SHOP"], "name_taken"),
        (vec!["project", "create"], "invalid_arguments"),
        (vec!["project", "rename", "nope", "--name", "X"], "project_not_found"),
        (vec!["project", "rename", "Shop", "--name", " "], "empty_value"),
        (vec!["dataspace", "rename", "nope", "--name", "X"], "data_space_not_found"),
        (vec!["dataspace", "rename", &space, "--name", ""], "empty_value"),
        (vec!["dataspace", "list", "--project", "nope"], "project_not_found"),
        (vec!["project", "list", "--account", "MAG999999999"], "account_not_found"),
    ];
    for (args, code) in cases {
        assert_eq!(cli.run(&args).error_code(), code, "{args:?}");
    }
    assert_eq!(cli.run(&["project", "list", "--json"]).ok().stdout, before);
}

/// A `keyport sandbox serve` process on a free loopback port.
struct Server {
    child: Child,
    url: String,
    /// Kept open: the server's output pipe stays readable for its lifetime.
    _stdout: BufReader<std::process::ChildStdout>,
}

impl Server {
    fn start(cli: &Cli) -> Server {
        let mut child = cli
            .command(&["sandbox", "serve", "--bind", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        stdout.read_line(&mut line).unwrap();
        let url = line.trim().rsplit(' ').next().unwrap().to_string();
        assert!(url.starts_with("http://127.0.0.1:"), "{line}");
        Server { child, url, _stdout: stdout }
    }

    /// SIGTERM: the server finishes requests and flushes its log.
    fn stop(mut self) {
        Command::new("kill").arg("-TERM").arg(self.child.id().to_string()).status().unwrap();
        assert!(self.child.wait().unwrap().success());
    }
}

fn validate(args: &[&str]) -> Run {
    Command::new(bin()).args(["key", "validate"]).args(args).output().unwrap().into()
}

/// `key validate` with `input` on its standard input.
fn validate_stdin(args: &[&str], input: &[u8]) -> Run {
    let mut child = Command::new(bin())
        .args(["key", "validate"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The child may stop reading early (an oversized input): a broken pipe is fine.
    let _ = child.stdin.take().unwrap().write_all(input);
    child.wait_with_output().unwrap().into()
}

#[test]
fn key_validate_against_a_running_sandbox() {
    let cli = cli_with_account("adobe_commerce");
    let dir = tempfile::tempdir().unwrap();
    let pem = dir.path().join("k.pem");
    let key = cli
        .run(&["key", "create", "--env", "sandbox", "--label", "ci", "--out", pem.to_str().unwrap(), "--json"])
        .ok()
        .json();
    let api_key = key["api_key"].as_str().unwrap();
    let other = dir.path().join("other.pem");
    cli.run(&["key", "create", "--env", "sandbox", "--label", "other", "--out", other.to_str().unwrap()]).ok();
    std::fs::write(dir.path().join("junk.pem"), "not a key").unwrap();
    let server = Server::start(&cli);
    let gw = server.url.as_str();

    let ok = validate(&["--api-key", api_key, "--private-key", pem.to_str().unwrap(), "--gateway", gw, "--json"])
        .ok()
        .json();
    assert_eq!(ok["status"], 200);
    let text = validate(&["--api-key", api_key, "--private-key", pem.to_str().unwrap(), "--gateway", gw]).ok().stdout;
    assert!(text.starts_with("Valid:"), "{text}");
    // `--private-key -`: the key on standard input, and bad input there.
    let from_stdin = ["--api-key", api_key, "--private-key", "-", "--gateway", gw];
    assert_eq!(validate_stdin(&from_stdin, &std::fs::read(&pem).unwrap()).ok().stdout, text);
    for input in [b"not a key".to_vec(), Vec::new(), vec![b'A'; 70_000]] {
        let refused = validate_stdin(&from_stdin, &input);
        assert_eq!((refused.code, refused.error_code().as_str()), (2, "private_key_not_pem"), "{} bytes", input.len());
    }

    let junk = dir.path().join("junk.pem");
    let missing = dir.path().join("missing.pem");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["--api-key", api_key, "--private-key", other.to_str().unwrap(), "--gateway", gw], "jwt_signature"),
        (
            vec!["--api-key", "kp_sbox_nope", "--private-key", pem.to_str().unwrap(), "--gateway", gw],
            "api_key_malformed",
        ),
        (vec!["--api-key", api_key, "--private-key", junk.to_str().unwrap(), "--gateway", gw], "private_key_not_pem"),
        (
            vec!["--api-key", api_key, "--private-key", missing.to_str().unwrap(), "--gateway", gw],
            "private_key_unreadable",
        ),
        (
            vec!["--api-key", api_key, "--private-key", pem.to_str().unwrap(), "--gateway", "http://127.0.0.1:1/"],
            "gateway_unreachable",
        ),
        (vec!["--api-key", api_key, "--gateway", gw], "invalid_arguments"),
    ];
    for (args, code) in cases {
        let run = validate(&args);
        assert_eq!(run.error_code(), code, "{args:?}");
        // Exit codes by class (README: Exit codes).
        let class = match code {
            "jwt_signature" => 4,
            "api_key_malformed" | "private_key_not_pem" | "invalid_arguments" => 2,
            "private_key_unreadable" => 1,
            "gateway_unreachable" => 5,
            other => panic!("no class expected for {other}"),
        };
        assert_eq!(run.code, class, "{args:?}");
    }
    // Revoked mid-session: refused at once, with the gateway's own code.
    cli.run(&["key", "revoke", api_key, "--reason", "rotated"]).ok();
    let revoked = validate(&["--api-key", api_key, "--private-key", pem.to_str().unwrap(), "--gateway", gw]);
    assert_eq!((revoked.code, revoked.error_code().as_str()), (4, "key_revoked"));

    server.stop();
    let log = cli.run(&["sandbox", "log", "--json"]).ok().json();
    let statuses: Vec<_> = log.as_array().unwrap().iter().map(|r| r["status"].as_u64().unwrap()).collect();
    assert_eq!(statuses, [403, 401, 200, 200, 200]);
    assert_eq!(log[0]["key_label"], "ci");
    assert_eq!(log[0]["code"], "key_revoked");
}

#[test]
fn sandbox_serve_on_a_busy_port_fails_with_a_code() {
    let cli = cli_with_account("adobe_commerce");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    assert_eq!(cli.run(&["sandbox", "serve", "--bind", &addr]).error_code(), "bind_failed");
    assert_eq!(cli.run(&["sandbox", "serve", "--bind", "not-an-address"]).error_code(), "invalid_arguments");
}

/// A program squatting a port: answers every HTTP request with 200 and a
/// made-up proof, and keeps what it received.
struct Squatter {
    addr: String,
    received: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Squatter {
    fn on(addr: &str) -> Squatter {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind(addr).expect("the squatter takes the port");
        let received = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = std::sync::Arc::clone(&received);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut buf = [0u8; 8192];
                let n = stream.read(&mut buf).unwrap_or(0);
                log.lock().unwrap().push(String::from_utf8_lossy(&buf[..n]).into_owned());
                let body = format!("{{\"proof\":\"{}\"}}", "0".repeat(64));
                let _ = write!(
                    stream,
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            }
        });
        Squatter { addr: addr.to_string(), received }
    }
}

/// Port squatting: `key validate` without `--gateway` goes to the sandbox
/// this home recorded, once it proves it is that one; a program that took
/// its port gets no API key and no token.
#[test]
fn key_validate_finds_this_homes_sandbox_and_refuses_a_squatter() {
    use std::os::unix::fs::PermissionsExt;
    let cli = cli_with_account("adobe_commerce");
    let dir = tempfile::tempdir().unwrap();
    let pem = dir.path().join("k.pem");
    let key = cli
        .run(&["key", "create", "--env", "sandbox", "--label", "ci", "--out", pem.to_str().unwrap(), "--json"])
        .ok()
        .json();
    let api_key = key["api_key"].as_str().unwrap();
    let args = ["key", "validate", "--api-key", api_key, "--private-key", pem.to_str().unwrap()];
    let served = cli.path().join("sandbox.json");

    // No sandbox serves the home yet.
    let none = cli.run(&args);
    assert_eq!(none.error_code(), "no_home_sandbox");
    assert!(none.stderr.contains("keyport sandbox serve"), "{}", none.stderr);

    // A running sandbox is found wherever it listens, and proves itself.
    let server = Server::start(&cli);
    let mode = std::fs::metadata(&served).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "sandbox.json holds the attestation secret");
    let ok = cli.run(&[&args[..], &["--json"]].concat()).ok().json();
    assert_eq!(ok["status"], 200);
    assert_eq!(ok["gateway"], server.url.as_str());
    // A stopped sandbox withdraws its record.
    server.stop();
    assert!(!served.exists(), "sandbox.json is removed when the sandbox stops");
    assert_eq!(cli.run(&args).error_code(), "no_home_sandbox");

    // A sandbox killed outright leaves its record; while its port is free
    // nothing answers, and once another program takes the port it cannot
    // prove itself and receives nothing but the challenge.
    let mut server = Server::start(&cli);
    let addr = server.url.trim_start_matches("http://").trim_end_matches('/').to_string();
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    assert!(served.exists());
    let stale = cli.run(&args);
    assert_eq!(stale.error_code(), "no_home_sandbox");
    assert!(stale.stderr.contains("nothing answers"), "{}", stale.stderr);
    let squatter = Squatter::on(&addr);
    let refused = cli.run(&args);
    assert_eq!(refused.error_code(), "gateway_unattributed");
    assert!(refused.stderr.contains(&squatter.addr), "{}", refused.stderr);
    let received = squatter.received.lock().unwrap().join("\n---\n").to_lowercase();
    assert!(received.contains("post /keyport/v1/attest"), "{received}");
    assert!(!received.contains(&api_key.to_lowercase()), "the API key reached the squatter: {received}");
    assert!(!received.contains("x-gw-signature"), "a token reached the squatter: {received}");
    // Named explicitly, the gateway is the person's choice (and this one
    // answers 200 to anything).
    cli.run(&[&args[..], &["--gateway", &format!("http://{addr}/")]].concat()).ok();

    // A damaged or foreign record is refused the same way, nothing sent.
    for damaged in ["", "{not json", "{\"gateway_url\":\"http://127.0.0.1:1/\",\"pid\":1,\"secret\":\"xyz\"}"] {
        std::fs::write(&served, damaged).unwrap();
        assert_eq!(cli.run(&args).error_code(), "no_home_sandbox", "{damaged:?}");
    }
}
