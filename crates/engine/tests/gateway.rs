//! The Connector-protocol client against gateways Keyport does not run.
//! Adobe's gateways cannot be reached from the test machine, so a stub
//! stands in for one: a loopback socket that answers one canned HTTP reply.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::Arc;

use keyport_engine::core::ErrorCode;
use keyport_engine::core::keys::KeyPair;
use keyport_engine::gateway::GatewayClient;
use keyport_engine::{EngineError, SystemClock};

fn stub_gateway(reply: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        if let Ok((mut socket, _)) = listener.accept() {
            let mut request = [0u8; 8192];
            let _ = socket.read(&mut request);
            let _ = socket.write_all(reply.as_bytes());
        }
    });
    url
}

fn client(url: &str) -> GatewayClient {
    let pair = KeyPair::generate(2048).unwrap();
    GatewayClient::new(Arc::new(SystemClock), url, "0a1b2c3d4e5f60718293a4b5c6d7e8f9", pair).unwrap()
}

#[tokio::test]
async fn a_code_keyport_does_not_know_stays_readable_in_the_message() {
    let body = r#"{"code":"rate_limited","message":"Slow down."}"#;
    let reply = Box::leak(
        format!("HTTP/1.1 429 Too Many Requests\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len())
            .into_boxed_str(),
    );
    let err = client(&stub_gateway(reply)).ping().await.unwrap_err();
    match &err {
        EngineError::GatewayRefused { status, code, message } => {
            assert_eq!((*status, *code), (429, ErrorCode::GatewayRefused));
            assert!(message.contains("Slow down.") && message.contains("gateway code: rate_limited"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_known_code_passes_through_and_garbage_is_a_refusal_not_a_panic() {
    let revoked = r#"{"code":"key_revoked","message":"This API key is revoked."}"#;
    let reply = Box::leak(
        format!("HTTP/1.1 403 Forbidden\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{revoked}", revoked.len())
            .into_boxed_str(),
    );
    assert_eq!(client(&stub_gateway(reply)).ping().await.unwrap_err().code(), ErrorCode::KeyRevoked);

    let garbage = "HTTP/1.1 200 OK\r\ncontent-length: 9\r\nconnection: close\r\n\r\nnot json!";
    assert_eq!(client(&stub_gateway(garbage)).registry().await.unwrap_err().code(), ErrorCode::GatewayRefused);

    // Nothing listens: unreachable, with the gateway named.
    let closed = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let err = client(&format!("http://{closed}/")).ping().await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::GatewayUnreachable);
}
