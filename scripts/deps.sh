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

# Optional groups, named on the command line (scripts/deps.sh dist arm64):
#   dist    gcc-mingw-w64-x86-64 (the Windows .exe, cgo), zip xz-utils (packages)
#   arm64   gcc-aarch64-linux-gnu and the arm64 OpenGL/X11 libraries (Linux arm64
#           package for 信创 machines; adds Debian's arm64 architecture)
#   wine    make smoke-windows: wine wine64 (runs the Windows .exe, 64-bit only),
#           xvfb xauth (its virtual screen), imagemagick (screenshot to PNG),
#           gcc-mingw-w64-x86-64 (cross-builds the .exe with cgo and the stand-in
#           bcryptprimitives.dll that Debian's wine 8 lacks)
#   window  make window-numbers: xvfb xauth (the virtual screen), x11-apps (xwd reads
#           the screen), xdotool (types the password, clicks), x11-utils (xdpyinfo),
#           dbus-daemon (dbus-run-session: one session bus for every start, as on
#           a desktop)
#   ime     make ime-check, pinyin typed through a real input method:
#             fcitx5                 the input method framework; its XIM frontend is built in
#             fcitx5-chinese-addons  the pinyin input method (with fcitx5-pinyin, its dictionaries)
#             dbus-x11               dbus-launch: fcitx5 wants a session bus
#             xdotool                focuses the window and types the keys
#             x11-utils              xprop: waits for fcitx in the root window's XIM_SERVERS
#             xvfb xauth             the virtual screen (xvfb-run)
arm64=0
for group in "$@"; do
  case $group in
  dist) packages+=(gcc-mingw-w64-x86-64 zip xz-utils) ;;
  wine) packages+=(wine wine64 xvfb xauth imagemagick gcc-mingw-w64-x86-64 file) ;;
  window) packages+=(xvfb xauth x11-apps xdotool x11-utils dbus-daemon) ;;
  ime) packages+=(fcitx5 fcitx5-chinese-addons dbus-x11 xdotool x11-utils xvfb xauth) ;;
  arm64)
    arm64=1
    packages+=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross)
    for p in libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev; do
      packages+=("$p:arm64")
    done
    ;;
  *) echo "deps.sh: unknown group $group (dist, arm64, wine, window, ime)" >&2; exit 2 ;;
  esac
done

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
if [ "$arm64" = 1 ] && ! dpkg --print-foreign-architectures | grep -qx arm64; then
  $sudo dpkg --add-architecture arm64
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
