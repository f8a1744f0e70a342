#!/usr/bin/env bash
# `make run`: set everything up, build, and open the Keyport window.
# Arguments are passed to the app (e.g. --home DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
scripts/deps.sh run
scripts/build.sh
app="${CARGO_TARGET_DIR:-target}/debug/keyport-app"

# No display (a server): give the app a virtual one, and say so.
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    display=$(scripts/free-display.sh)
    Xvfb ":$display" -screen 0 1400x900x24 -nolisten tcp >/dev/null 2>&1 &
    xvfb_pid=$!
    trap 'kill $xvfb_pid 2>/dev/null || true' EXIT
    for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$display" ] && break; sleep 0.1; done
    export DISPLAY=":$display"
    echo "run: no display found; Keyport runs on the virtual display $DISPLAY (Xvfb)."
fi

has_secret_service() {
    [ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] || return 1
    local names
    names=$(dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus.ListNames 2>/dev/null; dbus-send --session --print-reply \
        --dest=org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus.ListActivatableNames 2>/dev/null) || return 1
    grep -q '"org.freedesktop.secrets"' <<<"$names"
}

status=0
if has_secret_service; then
    "$app" "$@" || status=$?
else
    # No OS keychain reachable (a bare machine, a server): run the app in
    # its own D-Bus session with GNOME Keyring, keeping the keyring in a
    # folder of Keyport's so secrets survive restarts.
    export KEYPORT_KEYRING_DIR="${XDG_DATA_HOME:-$HOME/.local/share}/keyport-keyring"
    echo "run: no Secret Service (OS keychain) is running here."
    echo "     Starting Keyport in its own D-Bus session with GNOME Keyring; its keyring is kept in"
    echo "     $KEYPORT_KEYRING_DIR (0700), unlocked with the random password in its file 'password' (0600)."
    echo "     On a desktop with its own keyring, Keyport uses that instead."
    scripts/with-keyring.sh "$app" "$@" || status=$?
fi
exit "$status"
