//! Writes COUNT distinct connector-style JWTs signed with a private key, one
//! per line, for `scripts/bench-sandbox.sh` (wrk sends each once).
//!
//!   bench_tokens PRIVATE_KEY.pem COUNT OUT

use std::io::Write;

use aws_lc_rs::signature::{RSA_PKCS1_SHA256, RsaKeyPair};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use keyport_engine::core::jwt;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, pem, count, out] = args.as_slice() else {
        eprintln!("usage: bench_tokens PRIVATE_KEY.pem COUNT OUT");
        std::process::exit(2);
    };
    // PKCS#8 PEM → DER: the base64 between the armour lines.
    let body: String =
        std::fs::read_to_string(pem).expect("read the key").lines().filter(|l| !l.starts_with("-----")).collect();
    let pair = RsaKeyPair::from_pkcs8(&STANDARD.decode(body).expect("PEM base64")).expect("a PKCS#8 RSA key");
    let rng = aws_lc_rs::rand::SystemRandom::new();
    let count: usize = count.parse().expect("COUNT is a number");
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    // Each thread signs every `threads`-th token; `jti` makes each distinct.
    let parts: Vec<Vec<String>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                let (pair, rng) = (&pair, &rng);
                scope.spawn(move || {
                    (t..count)
                        .step_by(threads)
                        .map(|i| {
                            let mut claims = jwt::connector_claims(now);
                            claims["jti"] = format!("bench-{i}").into();
                            // The same form as core's jwt::sign: RS256, compact.
                            let header = URL_SAFE_NO_PAD.encode(br#"{"typ":"JWT","alg":"RS256"}"#);
                            let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
                            let signed = format!("{header}.{payload}");
                            let mut signature = vec![0; pair.public_modulus_len()];
                            pair.sign(&RSA_PKCS1_SHA256, rng, signed.as_bytes(), &mut signature).expect("sign");
                            format!("{signed}.{}", URL_SAFE_NO_PAD.encode(signature))
                        })
                        .collect()
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().expect("signer")).collect()
    });
    let mut file = std::io::BufWriter::new(std::fs::File::create(out).expect("create OUT"));
    for token in parts.iter().flatten() {
        writeln!(file, "{token}").expect("write OUT");
    }
}
