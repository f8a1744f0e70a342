#!/usr/bin/env bash
# `make test`: set everything up and run every test — Rust tests of all
# crates, UI unit tests, and end-to-end tests of the real app window — with
# the real OS keychain (GNOME Keyring in a private D-Bus session) and a
# virtual display. Ends with one line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
. scripts/env.sh
root=$(pwd)
out="$root/test-output"
logs="$out/logs"

if [ "${KEYPORT_KEYRING_SESSION:-}" != "1" ]; then
    scripts/deps.sh test || { echo "test: installing dependencies failed"; echo "0 passed, 1 failed"; exit 1; }
    rm -rf "$out" && mkdir -p "$logs"
    exec scripts/with-keyring.sh "$0" "$@"
fi

passed=0
failed=0
add() { passed=$((passed + $1)); failed=$((failed + $2)); }

# A stage that breaks before its runner reports counts as one failure.
stage() {
    local name=$1 log="$logs/$1.log"; shift
    echo "== $name"
    "$@" 2>&1 | tee "$log"
    return "${PIPESTATUS[0]}"
}

# 1. Build: the UI first (the app embeds ui/dist), then the binaries.
if ! stage build scripts/build.sh; then
    echo "test: the build failed; see $logs/build.log"
    echo "0 passed, 1 failed"
    exit 1
fi

# 2. House style: formatting, clippy, ESLint, Prettier, tsc (one result each).
stage lint scripts/lint.sh
rc=$?
read -r p f < <(sed -nE 's/^lint: ([0-9]+) passed, ([0-9]+) failed$/\1 \2/p' "$logs/lint.log")
add "${p:-0}" "${f:-0}"
[ "$rc" -ne 0 ] && [ "${f:-0}" -eq 0 ] && add 0 1

# 3. Rust tests of every crate (on real SQLite files and the real keychain).
stage rust cargo test --workspace --no-fail-fast
rc=$?
read -r p f < <(awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
    END { print p + 0, f + 0 }' "$logs/rust.log")
add "${p:-0}" "${f:-0}"
[ "$rc" -ne 0 ] && [ "${f:-0}" -eq 0 ] && add 0 1

# 4. UI unit tests.
stage ui bash -c 'cd ui && npx vitest run'
rc=$?
line=$(grep -E '^\s+Tests\s' "$logs/ui.log" | tail -1)
p=$(sed -nE 's/.* ([0-9]+) passed.*/\1/p' <<<"$line")
f=$(sed -nE 's/.* ([0-9]+) failed.*/\1/p' <<<"$line")
add "${p:-0}" "${f:-0}"
[ "$rc" -ne 0 ] && [ "${f:-0}" -eq 0 ] && add 0 1

# 5. Supply chain: advisories, licences, bans and sources of Cargo.lock; npm audit.
stage supply-chain scripts/supply-chain.sh
rc=$?
read -r p f < <(sed -nE 's/^supply-chain: ([0-9]+) passed, ([0-9]+) failed$/\1 \2/p' "$logs/supply-chain.log")
add "${p:-0}" "${f:-0}"
[ "$rc" -ne 0 ] && [ "${f:-0}" -eq 0 ] && add 0 1

# 6. The Debian package: built (release), checked with lintian and as
# installed into a throwaway root, whose app the end-to-end tests open.
installed="$out/installed"
if stage package-build env KEYPORT_DEPS_DONE=1 scripts/package.sh; then
    deb=$(sed -n 's/^package: \(.*\.deb\)$/\1/p' "$logs/package-build.log" | tail -n 1)
    stage package scripts/package-check.sh "$deb" "$installed"
    rc=$?
    read -r p f < <(sed -nE 's/^package: ([0-9]+) passed, ([0-9]+) failed$/\1 \2/p' "$logs/package.log")
    add "${p:-0}" "${f:-0}"
    [ "$rc" -ne 0 ] && [ "${f:-0}" -eq 0 ] && add 0 1
else
    echo "test: building the package failed; see $logs/package-build.log"
    add 0 1
fi

# 7. End-to-end: the real app under Xvfb, driven by tauri-driver + WebKitWebDriver.
display=$(scripts/free-display.sh)
Xvfb ":$display" -screen 0 1280x900x24 -nolisten tcp >"$logs/xvfb.log" 2>&1 &
xvfb_pid=$!
trap 'kill $xvfb_pid 2>/dev/null' EXIT
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$display" ] && break; sleep 0.1; done
e2e_env=$(mktemp -d)
# The app's WebKit caches and settings go to a throwaway place, not $HOME.
# The app's in-process sandbox takes a free port, never one a developer uses.
stage e2e env DISPLAY=":$display" KEYPORT_SANDBOX_BIND=127.0.0.1:0 KEYPORT_INSTALLED_ROOT="$installed" XDG_CONFIG_HOME="$e2e_env/config" XDG_CACHE_HOME="$e2e_env/cache" \
    XDG_DATA_HOME="$e2e_env/data" XDG_STATE_HOME="$e2e_env/state" bash -c 'cd tests/e2e && node --test --test-concurrency=1 --test-timeout=180000 --test-reporter=tap specs/'
rc=$?
p=$(sed -nE 's/^# pass ([0-9]+)$/\1/p' "$logs/e2e.log" | tail -1)
f=$(sed -nE 's/^# fail ([0-9]+)$/\1/p' "$logs/e2e.log" | tail -1)
add "${p:-0}" "${f:-0}"
[ "$rc" -ne 0 ] && [ "${f:-0}" -eq 0 ] && add 0 1
rm -rf "$e2e_env"

echo "Screenshots: $out/e2e/   Logs: $logs/"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
