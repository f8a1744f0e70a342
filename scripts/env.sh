# shellcheck shell=bash
# Sourced by the other scripts. Puts rustup's toolchain (and tauri-driver,
# installed next to it) first on PATH: CI, cron or a plain `sh -c` may not
# have run the login profile that does it, and a distribution cargo found
# first would be too old.
cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
if [ -x "$cargo_bin/cargo" ]; then
    case ":$PATH:" in
        ":$cargo_bin:"*) ;;
        *) export PATH="$cargo_bin:$PATH" ;;
    esac
fi
unset cargo_bin

# Cargo's target folder, wherever CARGO_TARGET_DIR or a config puts it.
cargo_target_dir() {
    cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p'
}
