#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages the build and tests need, when run
# as root or with sudo; otherwise prints the exact apt line and fails.
set -euo pipefail

# What each package is for:
#   gcc libc6-dev pkg-config      cgo: mattn/go-sqlite3 and Fyne's GLFW driver
#   libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev
#   libxinerama-dev libxi-dev libxxf86vm-dev
#                                 OpenGL and X11 headers for Fyne's window
#   xvfb xauth                    a virtual screen for `make smoke`
#   x11-apps imagemagick          xwd + convert: screenshots of that screen
#   minisign age                  the sync-bundle interop test checks bundles with the real tools
packages=(gcc libc6-dev pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev
  libxinerama-dev libxi-dev libxxf86vm-dev xvfb xauth x11-apps imagemagick minisign age)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo="sudo"
else
  echo "缺少系统软件包，请运行 / missing system packages, run:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "installing: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
