#!/usr/bin/env bash
# Supply-chain checks of make test: cargo-deny's advisories, licences, bans
# and sources against Cargo.lock (deny.toml), and npm audit of the UI's
# production dependencies against its lock file. Each is one result; the
# last line is "supply-chain: N passed, N failed".
#
# The RustSec database lives on github.com. When it cannot be fetched (as
# on this project's machines), the dated copy in supply-chain/advisory-db
# is used, with its real date, so cargo-deny's staleness limit still means
# something. The npm registry mirror here refuses audit requests (HTTP 405):
# that is reported as not checked, never as passed.
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

# Where deny.toml's db-path has cargo-deny look for the default database.
dbs=target/advisory-dbs
db=$dbs/advisory-db-3157b0e258782691
vendored=supply-chain/advisory-db

# Every crate of every target, so that the offline run finds them all.
cargo fetch --locked --quiet || { echo "FAIL cargo fetch"; failed=$((failed + 1)); }

# cargo-deny runs git in the database's folder: a folder that is not a
# repository of its own would make git find (and reset!) this project's.
export GIT_CEILING_DIRECTORIES="$PWD/$dbs"
advisory_db() {
    rm -rf "$db"
    mkdir -p "$dbs"
    if timeout 20 git ls-remote --exit-code https://github.com/rustsec/advisory-db HEAD >/dev/null 2>&1 &&
        timeout 120 cargo deny fetch db >/dev/null 2>&1; then
        echo "advisories: the live RustSec database"
        return
    fi
    local taken
    taken=$(sed -n 's/^Taken: \([0-9-]*\).*/\1/p' "$vendored/README.md")
    echo "advisories: github.com is out of reach; the copy in $vendored taken $taken"
    rm -rf "$db"
    mkdir -p "$db"
    cp -r "$vendored/crates" "$db/"
    # A repository of its own, dated when the copy was taken: cargo-deny
    # reads the database's age from it.
    git -C "$db" init -q
    git -C "$db" add -A
    GIT_AUTHOR_DATE="${taken}T00:00:00Z" GIT_COMMITTER_DATE="${taken}T00:00:00Z" \
        git -C "$db" -c user.name=keyport -c user.email=keyport@localhost commit -q -m "RustSec advisories taken $taken"
    touch -d "$taken" "$db/.git/FETCH_HEAD" "$db/.git/HEAD"
}
advisory_db
check "cargo deny: advisories, licenses, bans, sources" \
    cargo deny --offline check --show-stats --hide-inclusion-graph advisories licenses bans sources

npm_audit() {
    local dir=$1 out rc
    out=$(cd "$dir" && npm audit --omit=dev --audit-level=low 2>&1)
    rc=$?
    if [ $rc -ne 0 ] && grep -qE '405|ENOTFOUND|ECONNREFUSED|audit endpoint returned an error' <<<"$out"; then
        echo "skip npm audit --omit=dev ($dir): the registry does not serve audits here (not checked)"
        return 0
    fi
    echo "$out"
    if [ $rc -eq 0 ]; then
        echo "ok   npm audit --omit=dev ($dir)"
        passed=$((passed + 1))
    else
        echo "FAIL npm audit --omit=dev ($dir)"
        failed=$((failed + 1))
    fi
}
npm_audit ui

echo "supply-chain: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
