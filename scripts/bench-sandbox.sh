#!/usr/bin/env bash
# The sandbox's speed against RSA's (issue 11): `keyport sandbox serve`
# (release build) under wrk from Debian as a separate process (one thread,
# 32 connections), next to `openssl speed rsa2048` verify on one core, in
# the same run. Prints requests/s with a distinct token per request, with
# one token repeated, and refused without credentials, and the ratios, as
# medians of KEYPORT_BENCH_ROUNDS rounds.
# Run inside scripts/with-keyring.sh (make bench does).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh

seconds=${KEYPORT_BENCH_SECONDS:-4}
tokens=${KEYPORT_BENCH_TOKENS:-150000}
rounds=${KEYPORT_BENCH_ROUNDS:-3}
command -v wrk >/dev/null || { echo "wrk is missing: make deps installs it" >&2; exit 1; }

cargo build --release --quiet -p keyport-cli
cargo build --release --quiet -p keyport-sandbox --example bench_tokens
bin=$(cargo_target_dir)/release
work=$(mktemp -d)
server=
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

home="$work/home"
mkdir "$home"
kp() { "$bin/keyport" --home "$home" "$@"; }
kp account create --mage-id MAG000000001 --name Bench --edition adobe_commerce \
    --operating-model primary_merchant >/dev/null
api_key=$(kp key create --env production --label bench --out "$work/k.pem" --json |
    sed -n 's/.*"api_key": *"\([^"]*\)".*/\1/p')
echo "signing $tokens distinct tokens…"
"$bin/examples/bench_tokens" "$work/k.pem" "$tokens" "$work/tokens"
head -n 1 "$work/tokens" >"$work/one-token"

# One wrk run: prints requests/s. Fails on socket errors, on any refusal
# where every request should pass (or any pass where all should be refused),
# and when the distinct tokens ran out (a repeated token is cheaper).
run() {
    local label=$1 file=$2 expect=$3 line
    line=$(wrk -t1 -c32 -d"${seconds}s" -s scripts/bench/ping.lua "$url" -- "$file" "$api_key" | grep '^KEYPORT ')
    field() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" <<<"$line"; }
    local requests secs non2xx errors wrapped
    requests=$(field requests) secs=$(field seconds) non2xx=$(field non2xx) errors=$(field errors)
    wrapped=$(field wrapped)
    if [ "$errors" != 0 ]; then echo "$label: $errors socket errors" >&2; exit 1; fi
    case $expect in
        pass) [ "$non2xx" = 0 ] || { echo "$label: $non2xx requests refused" >&2; exit 1; } ;;
        refuse) [ "$non2xx" = "$requests" ] || { echo "$label: some requests passed" >&2; exit 1; } ;;
    esac
    if [ "$label" = distinct ] && [ "$wrapped" != 0 ]; then
        echo "distinct: the $tokens tokens ran out; raise KEYPORT_BENCH_TOKENS" >&2
        exit 1
    fi
    awk -v r="$requests" -v s="$secs" 'BEGIN { printf "%.0f", r / s }'
}

# A fresh server per round (so no token is remembered from an earlier
# round), then each run in turn and openssl; the report takes each run's
# median over the rounds, since this machine's rate drifts between runs.
distinct=() repeated=() refused=() verify=()
for round in $(seq "$rounds"); do
    "$bin/keyport" --home "$home" sandbox serve --bind 127.0.0.1:0 >"$work/serve.out" 2>&1 &
    server=$!
    for _ in $(seq 100); do grep -q http "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
    url=$(grep -o 'http://[0-9.:]*/' "$work/serve.out" | head -n 1)
    # Warm-up (connections, the public key's cache), not measured.
    wrk -t1 -c32 -d1s -s scripts/bench/ping.lua "$url" -- "$work/one-token" "$api_key" >/dev/null
    distinct+=("$(run distinct "$work/tokens" pass)")
    repeated+=("$(run repeated "$work/one-token" pass)")
    refused+=("$(run refused "" refuse)")
    kill "$server"; wait "$server" 2>/dev/null || true; server=
    verify+=("$(openssl speed -seconds 3 rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ { print int($NF) }')")
    echo "round $round: distinct ${distinct[-1]}, repeated ${repeated[-1]}, refused ${refused[-1]}, openssl verify ${verify[-1]} /s"
done

median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
d=$(median "${distinct[@]}") r=$(median "${repeated[@]}") n=$(median "${refused[@]}") v=$(median "${verify[@]}")
cat <<REPORT
sandbox (keyport sandbox serve, release) under wrk -t1 -c32, ${seconds}s each, median of $rounds rounds:
  distinct token per request   $d requests/s
  one token repeated           $r requests/s
  refused (no credentials)     $n requests/s
openssl speed rsa2048 verify   $v /s (one core)
distinct / openssl verify      $(ratio "$d" "$v")   (target >= 0.50)
repeated / refused             $(ratio "$r" "$n")   (target >= 1.00)
REPORT
