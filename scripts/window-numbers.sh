#!/usr/bin/env bash
# The window's numbers (make window-numbers): time to the first drawn frame
# and resident memory, on Xvfb with Mesa's default software renderer.
#
#  1. first frame (scripts/firstframe): the login screen of a demo station,
#     warm (files in the page cache) and, as root, cold (page cache
#     emptied before each start); and a bare Fyne window (one label) the
#     same way, which is the floor the graphics stack sets on this machine;
#  2. resident memory: signs in to the demo HQ by typing the password
#     (xdotool), opens every area of the navigation in turn, back to 首页,
#     and reads VmRSS and VmHWM; then the same at 城关派出所 as shift leader.
#
# Everything runs inside one D-Bus session, as on a desktop. Without a
# session bus every start would launch its own bus and desktop portal
# (Fyne asks the portal for the system's light or dark mode), which takes
# CPU from the start measured and leaves processes behind.
#
# Usage: scripts/window-numbers.sh [RUNS]   (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  command -v dbus-run-session >/dev/null || { echo "window-numbers: dbus-run-session missing: run scripts/deps.sh window" >&2; exit 1; }
  exec dbus-run-session -- "$0" "$@" 2> >(grep -v -e '^dbus-daemon\[' -e 'portal' -e '^$' -e 'Gtk-WARNING' -e 'pw.conf' -e 'max threads' >&2)
fi
runs=${1:-5}
for tool in Xvfb xwd xdotool; do
  command -v "$tool" >/dev/null || { echo "window-numbers: $tool missing: run scripts/deps.sh" >&2; exit 1; }
done

tmp=$(mktemp -d)
display=:$((RANDOM % 400 + 100))
cleanup() {
  [ -n "${xvfb:-}" ] && kill "$xvfb" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

go build -o "$tmp/mediadesk" .
go build -o "$tmp/barewindow" ./scripts/firstframe/barewindow
go build -o "$tmp/firstframe" ./scripts/firstframe
"$tmp/mediadesk" demo --data "$tmp/county" --units 3 --fast >/dev/null

Xvfb "$display" -screen 0 1366x768x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
export DISPLAY=$display XDG_CONFIG_HOME="$tmp/config" LANG=C.UTF-8
unset GALLIUM_DRIVER
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done

modes=(warm)
[ "$(id -u)" = 0 ] && modes+=(cold)
for mode in "${modes[@]}"; do
  flag=()
  [ "$mode" = cold ] && flag=(-drop-caches)
  echo "== first frame, $mode: mediadesk (login of 城关派出所)"
  "$tmp/firstframe" -runs "$runs" "${flag[@]}" -- "$tmp/mediadesk" --data "$tmp/county/chengguan"
  echo "== first frame, $mode: bare Fyne window"
  "$tmp/firstframe" -runs "$runs" "${flag[@]}" -- "$tmp/barewindow"
done

# rss INSTALL USER: sign in, open every area, report resident memory.
rss() {
  "$tmp/mediadesk" --data "$tmp/county/$1" --as "$2" >/dev/null 2>&1 &
  local pid=$! win
  win=$(xdotool search --sync --onlyvisible --name "新媒体工作台" | head -1)
  sleep 1
  xdotool windowactivate "$win" 2>/dev/null || true
  xdotool type --delay 30 demo-pass-1
  xdotool key Return
  sleep 3
  # The navigation's rows, top to bottom (38 px apart at 1280×720).
  for y in 47 86 124 163 201 240 278 316 355 393 432; do
    xdotool mousemove 50 "$y" click 1
    sleep 1.5
  done
  xdotool mousemove 50 47 click 1
  sleep 3
  echo "== resident memory, $1 as $2, every area opened:" \
    "$(grep -E 'VmRSS|VmHWM' /proc/$pid/status | tr -s ' \t' ' ' | tr '\n' ' ')"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}
rss hq admin
rss chengguan leader
