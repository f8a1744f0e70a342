#!/usr/bin/env bash
# Installs what Keyport needs on Debian/Ubuntu, skipping what is present.
#   scripts/deps.sh run    build and run the app
#   scripts/deps.sh test   also everything the tests need
#   scripts/deps.sh package  also what make package needs (dpkg-dev, lintian, rsvg-convert)
#   scripts/deps.sh bench  also wrk, for make bench
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
mode=${1:-run}

# Build: Tauri on Linux (WebKitGTK 4.1, GTK 3, librsvg), the Secret Service
# client (libdbus), rfd's GTK dialogs; run: the keyring fallback (dbus,
# gnome-keyring) and Xvfb for machines without a display.
packages=(build-essential pkg-config curl file libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev
          libxdo-dev libdbus-1-dev dbus dbus-x11 gnome-keyring xvfb)
if [ "$mode" = test ]; then
    # E2E (WebDriver under Xvfb), the real keychain, GTK dialog automation,
    # and the independent tools tests check results with.
    # php-cli and php-symfony-console run the Magento export's tests (php -l,
    # and a bin/magento stand-in on Symfony's real console parser); age is the
    # reference tool the key-bundle interop tests encrypt and decrypt with;
    # fusefat and dosfstools give the tests a real FAT file system (a USB
    # stick: no hard links, no Unix modes) without root mounts.
    # python3 sends a window manager's close request in the window-state test;
    # xwd (x11-apps) takes the screenshots from the X server.
    packages+=(webkit2gtk-driver keyutils xdotool libsecret-tools sqlite3 openssl shellcheck php-cli
               php-symfony-console age fusefat dosfstools python3 x11-apps)
fi
# make package (and make test, which builds and checks the package):
# dpkg-shlibdeps (dpkg-dev) for Depends, rsvg-convert for the icons, lintian
# and desktop-file-validate to check the result, python3 for the bundle config.
if [ "$mode" = package ] || [ "$mode" = test ]; then
    packages+=(dpkg-dev librsvg2-bin lintian desktop-file-utils python3)
fi
# make bench: wrk (the sandbox's load), and what the window benchmarks need
# (Xvfb, WebKitWebDriver, python3 for the start timer).
[ "$mode" = bench ] && packages+=(wrk webkit2gtk-driver keyutils python3)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    missing+=(nodejs npm)
fi
if [ ${#missing[@]} -gt 0 ]; then
    echo "deps: installing ${missing[*]}"
    if [ "$(id -u)" -eq 0 ]; then sudo=(); elif command -v sudo >/dev/null; then sudo=(sudo); else
        echo "deps: need root or sudo to install: ${missing[*]}" >&2; exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -q
    "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null; then
    echo "deps: Rust is missing. Install it with rustup (https://rustup.rs), then run make again." >&2
    exit 1
fi
rust_minor=$(rustc --version | sed -E 's/^rustc 1\.([0-9]+).*/\1/')
if [ "${rust_minor:-0}" -lt 90 ]; then
    echo "deps: $(rustc --version) is too old; Keyport needs Rust 1.90 or newer (rustup update)." >&2
    exit 1
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 18 ]; then
    echo "deps: Node.js $(node --version) is too old; Keyport's UI build needs Node.js 18 or newer." >&2
    exit 1
fi

# npm packages, from the lock files; reinstalled when a lock file changes.
for dir in ui $( { [ "$mode" = test ] || [ "$mode" = bench ]; } && echo tests/e2e ); do
    stamp="$dir/node_modules/.keyport-lock"
    if [ ! -f "$stamp" ] || ! cmp -s "$dir/package-lock.json" "$stamp"; then
        echo "deps: npm ci in $dir"
        # npm ci insists the lock lists every platform's optional binaries; if a
        # registry mirror lacks one, install from the lock without rewriting it.
        (cd "$dir" && { npm ci --no-audit --no-fund --loglevel=error ||
                        npm install --no-save --no-audit --no-fund --loglevel=error; })
        cp "$dir/package-lock.json" "$stamp"
    fi
done

if { [ "$mode" = test ] || [ "$mode" = bench ]; } && ! command -v tauri-driver >/dev/null; then
    echo "deps: cargo install tauri-driver"
    cargo install tauri-driver --locked
fi
# The supply-chain checks (scripts/supply-chain.sh).
if [ "$mode" = test ] && ! cargo deny --version >/dev/null 2>&1; then
    echo "deps: cargo install cargo-deny"
    cargo install cargo-deny --locked --version 0.20.2
fi
