#!/usr/bin/env bash
# House style, checked: Rust formatting and clippy (warnings are errors),
# and ESLint, Prettier and tsc for the UI and the end-to-end tests. Each
# check is one result; the last line is "lint: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
. scripts/env.sh

passed=0
failed=0
check() {
    local name=$1; shift
    if "$@"; then
        echo "ok   $name"
        passed=$((passed + 1))
    else
        echo "FAIL $name"
        failed=$((failed + 1))
    fi
}

# clippy compiles the app, which embeds the built UI.
[ -d ui/dist ] || (cd ui && npm run --silent build) >/dev/null

check "cargo fmt" cargo fmt --all --check
check "cargo clippy" cargo clippy --workspace --all-targets --quiet -- -D warnings
check "ui: tsc" bash -c 'cd ui && npx --no-install tsc --noEmit'
check "ui: eslint" bash -c 'cd ui && npx --no-install eslint --max-warnings 0 .'
check "ui: prettier" bash -c 'cd ui && npx --no-install prettier --check --log-level warn .'
check "e2e: eslint" bash -c 'cd tests/e2e && npx --no-install eslint --max-warnings 0 .'
check "e2e: prettier" bash -c 'cd tests/e2e && npx --no-install prettier --check --log-level warn .'
check "shellcheck" shellcheck scripts/*.sh .ci/run

echo "lint: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
