#!/usr/bin/env bash
# The key grid at 10,000 keys and the Activity Log at 100,000 entries
# (issue 13), measured in the real window of the debug app under Xvfb by
# tests/e2e/bench/grid.mjs. The fixture's 10,000 RSA-2048 public keys are
# generated once into target/bench-fixture/ and reused. Run inside
# scripts/with-keyring.sh (make bench does).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh

(cd ui && npm run --silent build)
cargo build --quiet -p keyport-app -p keyport-cli
cargo build --quiet --release -p keyport-engine --example bench_fixture
target=$(cargo_target_dir)
mkdir -p "$target/bench-fixture"
work=$(mktemp -d)
display=$(scripts/free-display.sh)
Xvfb ":$display" -screen 0 1280x900x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$display" ] && break; sleep 0.1; done

home="$work/home"
mkdir "$home"
"$target/release/examples/bench_fixture" "$home" "$target/bench-fixture/public-keys.pem" 10000 100000
export DISPLAY=":$display" KEYPORT_SANDBOX_BIND=127.0.0.1:0 XDG_CONFIG_HOME="$work/config" \
    XDG_CACHE_HOME="$work/cache" XDG_DATA_HOME="$work/data" XDG_STATE_HOME="$work/state"
(cd tests/e2e && node bench/grid.mjs "$home")
