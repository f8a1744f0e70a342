# Sourced by the other scripts. Finds the Rust toolchain (and tauri-driver,
# installed next to it) where the login profile that puts ~/.cargo/bin on
# PATH did not run — CI, cron, a plain `sh -c`.
cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
if ! command -v cargo >/dev/null 2>&1 && [ -x "$cargo_bin/cargo" ]; then
    export PATH="$cargo_bin:$PATH"
fi
unset cargo_bin
