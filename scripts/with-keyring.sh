#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with an unlocked GNOME
# Keyring (the Secret Service), so it uses a real OS keychain without
# touching the user's own keyrings and without a prompt.
#
#   scripts/with-keyring.sh cargo test
#
# By default the keyring lives in a throwaway folder and dies with the
# session (tests). With KEYPORT_KEYRING_DIR set it is kept there (0700) and
# unlocked with a random password kept in KEYPORT_KEYRING_DIR/password (0600)
# or $KEYPORT_KEYRING_PASSWORD (`make run` on a machine without a keychain).
# Always a private session: with DISPLAY set and no session bus, D-Bus would
# autolaunch one and GNOME Keyring would open a GUI prompt and hang.
set -euo pipefail

if [ "${KEYPORT_KEYRING_SESSION:-}" = "1" ]; then
    exec "$@"
fi

for tool in dbus-run-session dbus-send gnome-keyring-daemon; do
    command -v "$tool" >/dev/null || { echo "with-keyring: $tool is missing (run: make deps)" >&2; exit 1; }
done

umask 077
if [ -n "${KEYPORT_KEYRING_DIR:-}" ]; then
    # A kept keyring: its folder is its owner's only, and its password is a
    # random one in a 0600 file next to it (never a published default), unless
    # $KEYPORT_KEYRING_PASSWORD names one.
    mkdir -p "$KEYPORT_KEYRING_DIR"
    chmod 700 "$KEYPORT_KEYRING_DIR"
    password_file="$KEYPORT_KEYRING_DIR/password"
    if [ -z "${KEYPORT_KEYRING_PASSWORD:-}" ]; then
        if [ ! -s "$password_file" ]; then
            if [ -n "$(find "$KEYPORT_KEYRING_DIR/data/keyrings" -name '*.keyring' 2>/dev/null)" ]; then
                # A keyring an older Keyport made with the old default.
                printf '%s' keyport >"$password_file"
                echo "with-keyring: $KEYPORT_KEYRING_DIR was made with the old default password;" \
                    "its password is now in $password_file." >&2
            else
                head -c 32 /dev/urandom | base64 | tr -d '\n/+=' >"$password_file"
            fi
        fi
        chmod 600 "$password_file"
        KEYPORT_KEYRING_PASSWORD=$(cat "$password_file")
    fi
else
    KEYPORT_KEYRING_DIR=$(mktemp -d "${TMPDIR:-/tmp}/keyport-keyring.XXXXXX")
    trap 'rm -rf "$KEYPORT_KEYRING_DIR"' EXIT
    KEYPORT_KEYRING_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -d '\n/+=')
fi
export KEYPORT_KEYRING_DIR KEYPORT_KEYRING_PASSWORD

# shellcheck disable=SC2016
dbus-run-session -- bash -c '
    set -e
    # The daemon keeps its keyrings under its own HOME/XDG_DATA_HOME; the
    # command keeps the real ones.
    printf "%s" "$KEYPORT_KEYRING_PASSWORD" | HOME="$KEYPORT_KEYRING_DIR" XDG_DATA_HOME="$KEYPORT_KEYRING_DIR/data" \
        gnome-keyring-daemon --unlock --components=secrets >/dev/null
    # Wait until the daemon owns the Secret Service name, so the first
    # client does not race it into a D-Bus activated second daemon.
    for _ in $(seq 50); do
        dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
            org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q true && break
        sleep 0.1
    done
    export KEYPORT_KEYRING_SESSION=1
    exec "$@"
' keyport-keyring "$@"
