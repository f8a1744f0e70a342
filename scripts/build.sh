#!/usr/bin/env bash
# Builds the UI (ui/dist, embedded into the app) and the debug binaries:
# the app and the keyport CLI.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
(cd ui && npm run --silent build)
cargo build -p keyport-app -p keyport-cli
