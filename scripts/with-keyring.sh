#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with an unlocked GNOME
# Keyring (the Secret Service), so tests use the real OS keychain without
# touching the user's own keyrings or prompting.
#
#   scripts/with-keyring.sh cargo test
#
# The keyring lives in a throwaway folder and dies with the session. Always
# use a private session: with DISPLAY set and no session bus, D-Bus would
# autolaunch one and GNOME Keyring would open a GUI prompt and hang.
set -euo pipefail

if [ "${KEYPORT_KEYRING_SESSION:-}" = "1" ]; then
    exec "$@"
fi

for tool in dbus-run-session gnome-keyring-daemon keyctl; do
    command -v "$tool" >/dev/null || { echo "with-keyring: $tool is missing (run: make deps)" >&2; exit 1; }
done

keyring_home=$(mktemp -d "${TMPDIR:-/tmp}/keyport-keyring.XXXXXX")
trap 'rm -rf "$keyring_home"' EXIT
export KEYPORT_KEYRING_HOME="$keyring_home"

# shellcheck disable=SC2016
dbus-run-session -- keyctl session - bash -c '
    set -e
    # The daemon keeps its keyrings under its own HOME/XDG_DATA_HOME; the
    # command under test keeps the real ones.
    printf "keyport-test" | HOME="$KEYPORT_KEYRING_HOME" XDG_DATA_HOME="$KEYPORT_KEYRING_HOME/data" \
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
