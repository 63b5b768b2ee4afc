#!/usr/bin/env bash
# Release packages (make dist). Writes into dist/ (or $1):
#   mediadesk-<version>-windows-amd64.zip    mediadesk.exe (GUI subsystem: no console
#                                             window; icon and version info) + docs
#   mediadesk-<version>-linux-amd64.tar.xz   binary, .desktop file, icons, docs
#   mediadesk-<version>-linux-arm64.tar.xz   the same for arm64 (信创 machines); only
#                                             when the arm64 cross toolchain is installed
#                                             (scripts/deps.sh arm64), else skipped with a note
#   SHA256SUMS
# Each package carries THIRD_PARTY_NOTICES.txt (scripts/notices.sh): the
# licences of Go and of every linked module, as they ask.
# Version: FyneApp.toml's Version; the build number is the number of commits.
# FyneApp.toml is read, never written.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/usr/local/go/bin:$PATH

out=${1:-dist}
version=$(sed -n 's/^ *Version *= *"\(.*\)"/\1/p' FyneApp.toml)
build=$(git rev-list --count HEAD 2>/dev/null || echo 0)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
full="$version+$build.$commit"
ldflags="-s -w -X mediadesk/app/cli.Version=$full"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; rm -f rsrc_windows_amd64.syso' EXIT
mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -f "$out"/mediadesk-* "$out"/SHA256SUMS
scripts/notices.sh "$tmp/THIRD_PARTY_NOTICES.txt" # licences of Go and every linked module

docs() { # copy what a user gets beside the program into $1
  mkdir -p "$1"
  cp README.md "$tmp/THIRD_PARTY_NOTICES.txt" "$1/"
  cp ui/theme/fonts/*LICENSE* "$1/" 2>/dev/null || true
  if [ -d docs ]; then
    mkdir -p "$1/docs"
    cp docs/*.md "$1/docs/"
    [ -d docs/images ] && cp -r docs/images "$1/docs/" || true
  fi
}

linux() { # linux <goarch> <cc>
  local arch=$1 cc=$2 name="mediadesk-$version-linux-$1"
  local dir="$tmp/$name"
  mkdir -p "$dir/icons"
  CGO_ENABLED=1 GOOS=linux GOARCH=$arch CC=$cc go build -trimpath -ldflags "$ldflags" -o "$dir/mediadesk" .
  cp icons/mediadesk.png icons/mediadesk.svg "$dir/icons/"
  cat >"$dir/mediadesk.desktop" <<EOF
[Desktop Entry]
Type=Application
Name=新媒体工作台
Name[en]=Media Desk
GenericName=平安汤阴 新媒体工作台
Comment=起草、审核、报备与同步 / draft, review, file and sync
Exec=mediadesk
Icon=mediadesk
Terminal=false
Categories=Office;
EOF
  cat >"$dir/install.sh" <<'EOF'
#!/bin/sh
# Installs Media Desk for the current user (or system-wide as root).
set -e
cd "$(dirname "$0")"
if [ "$(id -u)" = 0 ]; then bin=/usr/local/bin share=/usr/local/share; else bin=$HOME/.local/bin share=$HOME/.local/share; fi
mkdir -p "$bin" "$share/applications" "$share/icons/hicolor/512x512/apps" "$share/icons/hicolor/scalable/apps"
install -m 755 mediadesk "$bin/mediadesk"
sed "s|^Exec=.*|Exec=$bin/mediadesk|" mediadesk.desktop >"$share/applications/mediadesk.desktop"
install -m 644 icons/mediadesk.png "$share/icons/hicolor/512x512/apps/mediadesk.png"
install -m 644 icons/mediadesk.svg "$share/icons/hicolor/scalable/apps/mediadesk.svg"
echo "installed: $bin/mediadesk"
EOF
  chmod +x "$dir/install.sh"
  docs "$dir"
  tar -C "$tmp" -cJf "$out/$name.tar.xz" "$name"
}

windows() {
  local name="mediadesk-$version-windows-amd64"
  local dir="$tmp/$name"
  mkdir -p "$dir"
  # Icon and version information, compiled into a COFF object that the Go
  # linker picks up from the main package's folder (rsrc_*.syso).
  convert icons/mediadesk.png -define icon:auto-resize=256,128,64,48,32,16 "$tmp/mediadesk.ico"
  IFS=. read -r major minor patch <<<"${version%%-*}"
  cat >"$tmp/mediadesk.rc" <<EOF
#include <winver.h>
1 ICON "$tmp/mediadesk.ico"
1 VERSIONINFO
FILEVERSION ${major:-0},${minor:-0},${patch:-0},$build
PRODUCTVERSION ${major:-0},${minor:-0},${patch:-0},$build
FILEOS VOS_NT_WINDOWS32
FILETYPE VFT_APP
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "080404b0"
    BEGIN
      VALUE "CompanyName", "汤阴县公安局"
      VALUE "FileDescription", "新媒体工作台 Media Desk"
      VALUE "FileVersion", "$full"
      VALUE "InternalName", "mediadesk"
      VALUE "OriginalFilename", "mediadesk.exe"
      VALUE "ProductName", "平安汤阴 新媒体工作台"
      VALUE "ProductVersion", "$full"
    END
  END
  BLOCK "VarFileInfo"
  BEGIN
    VALUE "Translation", 0x0804, 1200
  END
END
EOF
  x86_64-w64-mingw32-windres -c 65001 -O coff -o rsrc_windows_amd64.syso "$tmp/mediadesk.rc"
  CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc \
    go build -trimpath -ldflags "$ldflags -H windowsgui" -o "$dir/mediadesk.exe" .
  rm -f rsrc_windows_amd64.syso
  docs "$dir"
  (cd "$tmp" && zip -qr "$out/$name.zip" "$name")
}

windows
linux amd64 gcc
if command -v aarch64-linux-gnu-gcc >/dev/null && [ -e /usr/lib/aarch64-linux-gnu/libGL.so ]; then
  linux arm64 aarch64-linux-gnu-gcc
else
  echo "dist: arm64 skipped: run 'scripts/deps.sh arm64' to install the cross toolchain and arm64 libraries" >&2
fi
(cd "$out" && sha256sum mediadesk-* >SHA256SUMS)
ls -l "$out"
