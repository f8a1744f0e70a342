#!/usr/bin/env bash
# Cold start (issue 13): Keyport against a bare Tauri app built from
# bench/bare-app with the same tauri (one Cargo.lock), both debug builds as
# `make run` uses them, launched alternately under Xvfb, each on a fresh
# Keyport home. Both report their first paint the same way (the page
# invokes `painted` two animation frames after it rendered; the app prints
# a line), timed from exec by scripts/bench/start_time.py. The bare app
# runs twice a round: as built, and with the software rendering Keyport
# picks without a GPU. Prints the medians and the ratios. Run inside scripts/with-keyring.sh (make bench does).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh

pairs=${KEYPORT_BENCH_PAIRS:-10}
(cd ui && npm run --silent build)
cargo build --quiet -p keyport-app -p keyport-bench-bare
bin=$(cargo_target_dir)/debug

work=$(mktemp -d)
display=$(scripts/free-display.sh)
Xvfb ":$display" -screen 0 1280x900x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$display" ] && break; sleep 0.1; done
# One set of WebKit caches and settings for both, away from the user's.
export DISPLAY=":$display" KEYPORT_SANDBOX_BIND=127.0.0.1:0 XDG_CONFIG_HOME="$work/config" \
    XDG_CACHE_HOME="$work/cache" XDG_DATA_HOME="$work/data" XDG_STATE_HOME="$work/state"

keyport() {
    local home
    home=$(mktemp -d "$work/home.XXXX")
    scripts/bench/start_time.py 60 -- "$bin/keyport-app" --home "$home"
}
bare() { scripts/bench/start_time.py 60 -- "$bin/keyport-bench-bare"; }
# Without a GPU Keyport picks WebKit's CPU rasterizer and goes without the
# DMA-BUF renderer (src-tauri's software_rendering_without_gpu); the bare
# app also runs with the same two variables, so the two can be compared
# like for like.
bare_cpu() {
    WEBKIT_SKIA_ENABLE_CPU_RENDERING=1 WEBKIT_DISABLE_DMABUF_RENDERER=1 \
        scripts/bench/start_time.py 60 -- "$bin/keyport-bench-bare"
}

# Warm-up of each (WebKit's caches, the file system), not measured.
keyport >/dev/null
bare >/dev/null
bare_cpu >/dev/null
ours=() theirs=() cpu=()
for pair in $(seq "$pairs"); do
    ours+=("$(keyport)")
    theirs+=("$(bare)")
    cpu+=("$(bare_cpu)")
    echo "round $pair: keyport ${ours[-1]} ms, bare tauri ${theirs[-1]} ms, bare tauri with Keyport's rendering ${cpu[-1]} ms"
done
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
k=$(median "${ours[@]}") b=$(median "${theirs[@]}") c=$(median "${cpu[@]}")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# The machine's speed drifts within minutes; a round's three runs are
# seconds apart, so the median of the rounds' own ratios cancels the drift
# that the ratio of the medians keeps.
round_ratios() {
    local -n num=$1 den=$2
    local i
    for i in "${!num[@]}"; do ratio "${num[$i]}" "${den[$i]}"; echo; done
}
median_ratio() { round_ratios "$1" "$2" | sort -n | awk '{ v[NR] = $1 } END { printf "%.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
cat <<REPORT
cold start to first paint (debug builds, Xvfb, fresh home), median of $pairs alternating rounds:
  keyport-app                            $k ms
  bare Tauri app                         $b ms
  bare Tauri app, Keyport's rendering    $c ms
  keyport / bare                         $(ratio "$k" "$b")   (target <= 1.30)
  keyport / bare, same rendering         $(ratio "$k" "$c")
  median of the rounds' ratios           $(median_ratio ours theirs), with the same rendering $(median_ratio ours cpu)
REPORT
