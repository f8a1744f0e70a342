#!/usr/bin/env bash
# `make package`: a release .deb of the app and the CLI, built with the
# Tauri bundler (@tauri-apps/cli from ui's npm packages): /usr/bin/keyport-app
# and /usr/bin/keyport, the menu entry, the icon in every hicolor size
# (rendered from icons/icon.svg), manual pages (clap_mangen, through the
# built CLI), bash/zsh/fish completions (clap_complete), copyright and
# changelog. Depends are what dpkg-shlibdeps finds the binaries need.
# Prints the path of the .deb on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
[ "${KEYPORT_DEPS_DONE:-}" = 1 ] || scripts/deps.sh package

(cd ui && npm run --silent build)
cargo build --release --locked -p keyport-app -p keyport-cli
target=$(cargo_target_dir)
bin=$target/release
extra=$target/deb-extra
rm -rf "$extra" "$bin/bundle/deb"
mkdir -p "$extra/man" "$extra/icons" "$extra/completions"

# Manual pages: one per command of the CLI, and the app's own.
"$bin/keyport" manpages --out "$extra/man"
cp src-tauri/linux/keyport-app.1 "$extra/man/"
gzip -9n "$extra"/man/*.1
"$bin/keyport" completions bash >"$extra/completions/keyport"
"$bin/keyport" completions zsh >"$extra/completions/_keyport"
"$bin/keyport" completions fish >"$extra/completions/keyport.fish"
gzip -9n <src-tauri/linux/changelog >"$extra/changelog.gz"
sizes=(16 22 24 32 48 64 128 256 512)
for size in "${sizes[@]}"; do
    rsvg-convert --width "$size" --height "$size" icons/icon.svg --output "$extra/icons/$size.png"
done

# The shared libraries the binaries link, as Debian package versions.
shlibs=$(mktemp -d)
mkdir "$shlibs/debian" && : >"$shlibs/debian/control"
depends=$(cd "$shlibs" && dpkg-shlibdeps -O -e "$bin/keyport-app" -e "$bin/keyport" 2>/dev/null |
    sed -n 's/^shlibs:Depends=//p')
rm -rf "$shlibs"
[ -n "$depends" ] || { echo "package: dpkg-shlibdeps found no dependencies" >&2; exit 1; }

# The package's files beyond what Tauri adds itself (relative paths are to
# src-tauri/, where the bundler runs).
config=$(DEPENDS="$depends" SIZES="${sizes[*]}" BIN="$bin" EXTRA="$extra" python3 - <<'PY'
import json, os
bin, extra = os.environ["BIN"], os.environ["EXTRA"]
files = {
    "/usr/bin/keyport": f"{bin}/keyport",
    "/usr/share/doc/keyport/copyright": "linux/copyright",
    "/usr/share/doc/keyport/changelog.gz": f"{extra}/changelog.gz",
    "/usr/share/man/man1": f"{extra}/man",
    "/usr/share/bash-completion/completions/keyport": f"{extra}/completions/keyport",
    "/usr/share/zsh/vendor-completions/_keyport": f"{extra}/completions/_keyport",
    "/usr/share/fish/vendor_completions.d/keyport.fish": f"{extra}/completions/keyport.fish",
    "/usr/share/icons/hicolor/scalable/apps/keyport-app.svg": "../icons/icon.svg",
}
for size in os.environ["SIZES"].split():
    files[f"/usr/share/icons/hicolor/{size}x{size}/apps/keyport-app.png"] = f"{extra}/icons/{size}.png"
depends = [d.strip() for d in os.environ["DEPENDS"].split(",") if d.strip()]
print(json.dumps({"bundle": {"linux": {"deb": {"depends": depends, "files": files}}}}))
PY
)
# Bundles the binaries built above (no second build); keeps them unpatched.
TAURI_APP_PATH=src-tauri TAURI_FRONTEND_PATH=ui CI=true \
    ui/node_modules/.bin/tauri bundle --bundles deb --no-binary-patching --config "$config"
deb=$(ls "$bin"/bundle/deb/*.deb)
echo "package: $deb"
