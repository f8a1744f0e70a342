//! What a sandbox on a local port refuses before anything else: a `Host`
//! that does not name it (DNS rebinding: a web page whose own host name
//! resolves to 127.0.0.1 could otherwise talk to it), a browser request from
//! a foreign `Origin`, and requests that take too long.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::header::{HOST, ORIGIN};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use keyport_engine::ErrorCode;

use crate::routes::Refusal;

#[derive(Clone, Copy)]
pub(crate) struct Guard {
    pub bound: SocketAddr,
    pub request_timeout: Duration,
}

/// `localhost`, a loopback address, or the address the sandbox was bound to
/// (any address literal when bound to all of them). Host names never: a
/// name is what DNS rebinding controls.
fn host_allowed(host: &str, bound: SocketAddr) -> bool {
    let name = match host.strip_prefix('[') {
        Some(v6) => match v6.split_once(']') {
            Some((addr, rest)) if rest.is_empty() || rest.starts_with(':') => addr,
            _ => return false,
        },
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    match name.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback() || ip == bound.ip() || bound.ip().is_unspecified(),
        Err(_) => false,
    }
}

/// A browser's `Origin` must be the sandbox itself (`http://HOST:PORT`); the
/// app's window never calls it, and no web page may.
fn origin_allowed(origin: &str, bound: SocketAddr) -> bool {
    let Some(authority) = origin.strip_prefix("http://") else { return false };
    let port_ok = match authority.rsplit_once(':') {
        Some((_, port)) if !port.ends_with(']') => port.parse::<u16>().ok() == Some(bound.port()),
        _ => bound.port() == 80,
    };
    port_ok && host_allowed(authority, bound)
}

pub(crate) async fn guard(State(guard): State<Guard>, request: Request, next: Next) -> Response {
    let headers = request.headers();
    let header = |name| headers.get(name).map(|v| v.to_str().unwrap_or(""));
    let (host_ok, origin_ok) = (
        header(HOST).is_some_and(|h| host_allowed(h, guard.bound)),
        header(ORIGIN).is_none_or(|o| origin_allowed(o, guard.bound)),
    );
    if !host_ok {
        return Refusal::new(
            ErrorCode::HostNotAllowed,
            "The Host header must name this sandbox by a loopback address, localhost or the address it listens on.",
        )
        .into_response();
    }
    if !origin_ok {
        return Refusal::new(ErrorCode::OriginNotAllowed, "Requests from web pages of other origins are refused.")
            .into_response();
    }
    match tokio::time::timeout(guard.request_timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => Refusal::new(
            ErrorCode::RequestTimeout,
            format!("The request took longer than {} s.", guard.request_timeout.as_secs()),
        )
        .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_and_origins() {
        let loopback: SocketAddr = "127.0.0.1:9393".parse().unwrap();
        for ok in ["127.0.0.1:9393", "127.0.0.1", "localhost:9393", "LOCALHOST", "[::1]:9393", "127.0.0.2:1"] {
            assert!(host_allowed(ok, loopback), "{ok}");
        }
        for bad in ["evil.example:9393", "evil.example", "192.168.1.5:9393", "", "[::1", "localhost.evil.example"] {
            assert!(!host_allowed(bad, loopback), "{bad}");
        }
        let lan: SocketAddr = "192.168.1.5:9393".parse().unwrap();
        assert!(host_allowed("192.168.1.5:9393", lan));
        assert!(!host_allowed("192.168.1.6:9393", lan));
        let all: SocketAddr = "0.0.0.0:9393".parse().unwrap();
        assert!(host_allowed("10.0.0.7:9393", all));
        assert!(!host_allowed("shop.example:9393", all));

        assert!(origin_allowed("http://127.0.0.1:9393", loopback));
        assert!(origin_allowed("http://localhost:9393", loopback));
        for bad in
            ["null", "https://127.0.0.1:9393", "http://127.0.0.1:9394", "http://evil.example:9393", "tauri://localhost"]
        {
            assert!(!origin_allowed(bad, loopback), "{bad}");
        }
    }
}
