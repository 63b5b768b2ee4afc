#!/usr/bin/env bash
# Smoke test of the window (make smoke). Builds mediadesk, creates a test
# station store with the command line, opens the window on a virtual
# 1366×768 screen (Xvfb) in smoke mode — signed in, the shell shown — and
# keeps two screenshots:
#   window.png  the window's own capture, written by the app (ui.Main)
#   screen.png  the whole X screen (xwd), taken while the app is up
# Exits 0 only if both exist and are not empty, and prints their paths.
# Then it starts the window once more on a graphics stack that offers only
# OpenGL 1.4 (Mesa's MESA_GL_VERSION_OVERRIDE), as an old or basic display
# driver does: the app must end at once with exit 1 and say why, not run on
# without a window.
#
# Usage: scripts/smoke.sh [OUTPUT_DIR]   (default: a new temporary directory)
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in xvfb-run xwd convert; do
  command -v "$tool" >/dev/null || { echo "smoke: $tool missing: run scripts/deps.sh" >&2; exit 1; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=${1:-$(mktemp -d -t mediadesk-smoke.XXXXXX)}
mkdir -p "$out"
window="$out/window.png"
screen="$out/screen.png"
rm -f "$window" "$screen"

go build -o "$tmp/mediadesk" .

# Mesa's default llvmpipe driver reads back nothing from a window on Xvfb
# (Fyne's Canvas.Capture reads the front buffer); softpipe does.
export GALLIUM_DRIVER=softpipe
# A private config directory: the user's own Fyne preferences (language,
# appearance) neither change the shots nor get touched.
export XDG_CONFIG_HOME="$tmp/config"
export MEDIADESK_PASSWORD=smoke-pass-1
"$tmp/mediadesk" init --data "$tmp/data" --role station --unit 城关派出所 --admin admin >/dev/null

# Inside Xvfb: start the app, wait until it has written its capture (it
# has rendered then, and stays up a few seconds), photograph the screen,
# then wait for the app's exit code.
status=0
timeout 120 xvfb-run -a -s "-screen 0 1366x768x24" bash -c '
  MEDIADESK_SMOKE_SHOT="$1" "$2" --data "$3" --as admin &
  app=$!
  for _ in $(seq 1 300); do
    [ -s "$1" ] && break
    kill -0 "$app" 2>/dev/null || break
    sleep 0.1
  done
  if [ -s "$1" ]; then
    xwd -root -silent | convert xwd:- "$4" || echo "smoke: screen capture failed" >&2
  fi
  wait "$app"
' smoke "$window" "$tmp/mediadesk" "$tmp/data" "$screen" || status=$?

if [ "$status" -ne 0 ]; then
  echo "smoke: the app failed (exit $status)" >&2
  exit 1
fi
for f in "$window" "$screen"; do
  if [ ! -s "$f" ]; then
    echo "smoke: $f missing or empty" >&2
    exit 1
  fi
done

status=0
timeout 60 xvfb-run -a -s "-screen 0 1366x768x24" env MESA_GL_VERSION_OVERRIDE=1.4 \
  "$tmp/mediadesk" --data "$tmp/data" >"$tmp/nogl.out" 2>&1 || status=$?
if [ "$status" -ne 1 ] || ! grep -q "OpenGL 2.1" "$tmp/nogl.out"; then
  echo "smoke: without OpenGL 2.1 the app gave exit $status (want 1 and a message naming OpenGL 2.1):" >&2
  cat "$tmp/nogl.out" >&2
  exit 1
fi
echo "$window"
echo "$screen"
