#!/usr/bin/env bash
# Checks the Debian package make package built, as installed: lintian
# finds no errors; its control fields, files, menu entry, manual pages and
# completions are there; unpacked into a throwaway root (dpkg -x), the
# installed CLI runs. Each check is one result; the last line is
# "package: N passed, N failed". Leaves the root at $1 (the end-to-end
# tests open the installed app from it).
#   scripts/package-check.sh DEB ROOT
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
deb=$1
root=$2
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

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
contents=$(dpkg-deb --contents "$deb" | awk '{ print $NF }' | sed -E 's|^\./||; s|^|/|; s|/$||')
echo "== contents of $deb"
echo "$contents"
has() {
    local path
    for path in "$@"; do
        grep -qx "$path" <<<"$contents" || { echo "missing: $path"; return 1; }
    done
}
field() { dpkg-deb --field "$deb" "$1"; }

lintian_clean() {
    # Errors fail the check; warnings and notes are shown.
    lintian --info --display-level '>=info' --fail-on error "$deb"
}
check "lintian: no errors" lintian_clean

control_ok() {
    field Package | grep -qx keyport &&
        field Version | grep -qx "$version" &&
        field Depends | grep -q 'libwebkit2gtk-4.1-0' &&
        field Depends | grep -q 'libgtk-3-0' &&
        field Depends | grep -q 'libc6' &&
        field Recommends | grep -qx 'gnome-keyring' &&
        field Maintainer | grep -q '<.*@.*>' &&
        field Section | grep -qx utils
}
check "control: package, version, Depends (WebKitGTK 4.1, GTK 3), Recommends gnome-keyring" control_ok

check "files: the app and the CLI in /usr/bin" has /usr/bin/keyport-app /usr/bin/keyport
icons() {
    local size
    for size in 16 22 24 32 48 64 128 256 512; do has "/usr/share/icons/hicolor/${size}x$size/apps/keyport-app.png" || return 1; done
    has /usr/share/icons/hicolor/scalable/apps/keyport-app.svg
}
check "files: the icon in every hicolor size and as SVG" icons
check "files: manual pages" has /usr/share/man/man1/keyport.1.gz /usr/share/man/man1/keyport-app.1.gz \
    /usr/share/man/man1/keyport-key-create.1.gz /usr/share/man/man1/keyport-instance-export.1.gz
check "files: completions for bash, zsh and fish" has /usr/share/bash-completion/completions/keyport \
    /usr/share/zsh/vendor-completions/_keyport /usr/share/fish/vendor_completions.d/keyport.fish
check "files: copyright and changelog" has /usr/share/doc/keyport/copyright /usr/share/doc/keyport/changelog.gz

rm -rf "$root"
mkdir -p "$root"
check "dpkg -x unpacks it" dpkg -x "$deb" "$root"

desktop=$root/usr/share/applications/Keyport.desktop
desktop_ok() {
    desktop-file-validate "$desktop" &&
        grep -qx 'Name=Keyport' "$desktop" &&
        grep -q '^Comment=.' "$desktop" &&
        grep -q '^Categories=.*Development;' "$desktop" &&
        grep -q '^Keywords=.*API key' "$desktop" &&
        grep -qx 'Exec=keyport-app' "$desktop" &&
        grep -qx 'Icon=keyport-app' "$desktop" &&
        # The window's WM_CLASS is the binary's name (the E2E test checks the window).
        grep -qx 'StartupWMClass=keyport-app' "$desktop"
}
check "menu entry: valid, with Name, Comment, Categories, Keywords, StartupWMClass" desktop_ok

cli_runs() {
    local out
    out=$("$root/usr/bin/keyport" --version)
    if [ "$out" != "keyport $version" ]; then
        echo "got: ${out:-nothing}"
        return 1
    fi
    local home
    home=$(mktemp -d)
    "$root/usr/bin/keyport" --home "$home" account create --mage-id MAG000000001 --name Installed \
        --edition adobe_commerce --operating-model primary_merchant >/dev/null &&
        "$root/usr/bin/keyport" --home "$home" account list | grep -q Installed
    local rc=$?
    rm -rf "$home"
    return $rc
}
check "the installed keyport --version and a first command run" cli_runs

manpages_ok() {
    local page
    for page in "$root"/usr/share/man/man1/*.1.gz; do
        if ! gzip -t "$page" || ! zcat "$page" | grep -q '^\.TH'; then
            echo "bad page: $page"
            return 1
        fi
    done
    zcat "$root/usr/share/man/man1/keyport-key-create.1.gz" | grep -q -- 'label'
}
check "manual pages: gzip, roff, one per command" manpages_ok
completions_ok() {
    bash -n "$root/usr/share/bash-completion/completions/keyport" &&
        grep -q 'validate' "$root/usr/share/zsh/vendor-completions/_keyport" &&
        grep -q 'complete -c keyport' "$root/usr/share/fish/vendor_completions.d/keyport.fish"
}
check "completions: bash parses its script; zsh and fish name the commands" completions_ok

echo "package: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
