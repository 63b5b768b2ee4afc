#!/usr/bin/env bash
# Smoke test of the Windows build (make smoke-windows): the .exe really
# starts. Cross-builds mediadesk.exe with mingw (cgo), checks it with
# `file` and lists the DLLs it imports (each must be a Windows system DLL),
# makes a fresh wine prefix in a temporary folder, creates a test station
# store with the Linux build (the store is the same on Windows), and runs
# the .exe under wine on a virtual 1366×768 screen (Xvfb) in smoke mode —
# signed in, the shell shown — keeping two screenshots:
#   window.png  the window's own capture, written by the app (ui.Main)
#   screen.png  the whole X screen (xwd), taken while the app is up
# Exits 0 only if the app exits 0 and both shots exist and are not empty.
#
# Debian's wine 8.0 has no bcryptprimitives.dll, whose ProcessPrng the Go
# runtime calls as it starts; scripts/windows/processprng.c is a stand-in,
# copied into the test prefix only. The prefix has no fonts: every Chinese
# glyph on the screen comes from the font embedded in the app.
#
# Installs nothing: scripts/deps.sh wine does.
# Usage: scripts/smoke-windows.sh [OUTPUT_DIR]   (default: a new temporary directory)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/usr/local/go/bin:$PATH

for tool in wine wineserver xvfb-run xwd convert file x86_64-w64-mingw32-gcc x86_64-w64-mingw32-objdump; do
  command -v "$tool" >/dev/null || { echo "smoke-windows: $tool missing: run scripts/deps.sh wine" >&2; exit 1; }
done

tmp=$(mktemp -d -t mediadesk-wine.XXXXXX)
export WINEPREFIX="$tmp/prefix"
cleanup() {
  # Ends this prefix's wine processes (and only this prefix's), then the files.
  if [ -d "$WINEPREFIX" ]; then wineserver -k 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
out=${1:-$(mktemp -d -t mediadesk-smoke-windows.XXXXXX)}
mkdir -p "$out"
out=$(cd "$out" && pwd)
window="$out/window.png"
screen="$out/screen.png"
rm -f "$window" "$screen"
exe="$tmp/mediadesk.exe"

# winpath PATH: the Windows name of a Unix path in wine (drive Z: is /).
winpath() {
  local p
  p=$(realpath -m "$1")
  printf 'Z:%s' "${p//\//\\}"
}

step() { echo "smoke-windows: $* (${SECONDS}s)"; }

step "building mediadesk.exe"
# -trimpath -s -w as in scripts/dist.sh: the release build, sharing its Go build cache.
CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc \
  go build -trimpath -ldflags "-s -w -H windowsgui" -o "$exe" .

# The .exe: a 64-bit GUI program (no console window) importing only DLLs
# that every Windows 10/11 has.
file "$exe"
if ! file "$exe" | grep -q 'PE32+ executable (GUI) x86-64'; then
  echo "smoke-windows: mediadesk.exe is not a 64-bit Windows GUI program" >&2
  exit 1
fi
system_dlls='^(api-ms-win-.*|ext-ms-win-.*|kernel32|kernelbase|ntdll|user32|gdi32|opengl32|shell32|shlwapi|ole32|oleaut32|advapi32|winmm|imm32|msvcrt|ucrtbase|ws2_32|mswsock|bcrypt|bcryptprimitives|crypt32|secur32|comctl32|comdlg32|dwmapi|uxtheme|shcore|version|userenv|iphlpapi|dnsapi|netapi32|setupapi|powrprof|winspool)\.(dll|drv)$'
echo "imported DLLs:"
foreign=0
for dll in $(x86_64-w64-mingw32-objdump -p "$exe" | sed -n 's/^[[:space:]]*DLL Name: //p'); do
  if [[ ${dll,,} =~ $system_dlls ]]; then
    echo "  $dll"
  else
    echo "  $dll   <- not a Windows system DLL" >&2
    foreign=1
  fi
done
if [ "$foreign" -ne 0 ]; then
  echo "smoke-windows: mediadesk.exe needs a DLL that Windows does not have" >&2
  exit 1
fi

step "building the stand-in bcryptprimitives.dll"
x86_64-w64-mingw32-gcc -shared -O2 -s -o "$tmp/bcryptprimitives.dll" \
  scripts/windows/processprng.c scripts/windows/processprng.def -ladvapi32

step "making the test store"
go build -o "$tmp/mediadesk" .
export XDG_CONFIG_HOME="$tmp/config"
export MEDIADESK_PASSWORD=smoke-pass-1
"$tmp/mediadesk" init --data "$tmp/data" --role station --unit 城关派出所 --admin admin >/dev/null

step "making a fresh wine prefix"
# No Mono or Gecko install prompts; no wine debug chatter.
export WINEDLLOVERRIDES="mscoree,mshtml=" WINEDEBUG=-all
# wineboot's helper processes end before the prefix is used (wineserver -w).
timeout 600 xvfb-run -a bash -c 'wine wineboot -i && wineserver -w' >"$tmp/wineboot.log" 2>&1 || {
  cat "$tmp/wineboot.log" >&2
  echo "smoke-windows: wineboot failed" >&2
  exit 1
}
cp "$tmp/bcryptprimitives.dll" "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll"

step "starting mediadesk.exe under wine"
# As scripts/smoke.sh: softpipe, because llvmpipe reads back nothing from
# a window on Xvfb (wine's opengl32 draws with the host's Mesa). Inside
# Xvfb: start the app, wait until it has written its capture, photograph
# the screen, then wait for the app's exit code and for wine to end.
export GALLIUM_DRIVER=softpipe
status=0
MEDIADESK_SMOKE_SHOT=$(winpath "$window") \
  timeout 300 xvfb-run -a -s "-screen 0 1366x768x24" bash -c '
  wine "$2" --data "$3" --as admin &
  app=$!
  for _ in $(seq 1 1200); do
    [ -s "$1" ] && break
    kill -0 "$app" 2>/dev/null || break
    sleep 0.1
  done
  if [ -s "$1" ]; then
    xwd -root -silent | convert xwd:- "$4" || echo "smoke-windows: screen capture failed" >&2
  fi
  status=0
  wait "$app" || status=$?
  wineserver -w # wine'"'"'s desktop process ends before the screen does
  exit "$status"
' smoke-windows "$window" "$exe" "$(winpath "$tmp/data")" "$screen" || status=$?

if [ "$status" -ne 0 ]; then
  echo "smoke-windows: mediadesk.exe failed under wine (exit $status)" >&2
  exit 1
fi
for f in "$window" "$screen"; do
  if [ ! -s "$f" ]; then
    echo "smoke-windows: $f missing or empty" >&2
    exit 1
  fi
done
step "a command prints: mediadesk.exe version"
# The .exe is a windowed program; a command must still print (to a pipe
# here; at a console window, console_windows.go attaches to it).
# After the window's run: a wine started outside Xvfb would keep the prefix's
# wineserver without a screen for the window.
version=$(timeout 120 wine "$exe" version 2>"$tmp/version.log" | tr -d '\r') || true
case $version in
*mediadesk*) echo "$version" ;;
*)
  cat "$tmp/version.log" >&2
  echo "smoke-windows: mediadesk.exe version printed nothing (got: $version)" >&2
  exit 1
  ;;
esac

step "done: $(stat -c %s "$exe") bytes .exe"
echo "$window"
echo "$screen"
