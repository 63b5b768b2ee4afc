#!/usr/bin/env bash
# Chinese typing through a real input method (make ime-check). Builds
# mediadesk, creates a test station store, and on a virtual 1366×768
# screen (Xvfb) with a D-Bus session starts fcitx5 with pinyin active,
# then the app in IME check mode (MEDIADESK_IME_CHECK, ui/imecheck.go:
# signed in, a new draft open in 稿件, the focus in its body, the focused
# entry's text written to a file every half second). xdotool types
# "nihao" and space through fcitx5's XIM frontend; the check passes when
# 你好 arrives in the body within 30 s. On failure it prints what arrived
# and the end of fcitx5's log. In OUTPUT_DIR it leaves two screenshots
# of the screen (composing.png: the candidate box before space; ime.png:
# the end), typed.txt (the body's text), fcitx5.log and app.log.
#
# Usage: scripts/ime-check.sh [OUTPUT_DIR]   (default: a new temporary directory)
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in xvfb-run dbus-launch fcitx5 fcitx5-remote xdotool xprop xwd convert; do
  command -v "$tool" >/dev/null || { echo "ime-check: $tool missing: run scripts/deps.sh ime" >&2; exit 1; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=${1:-$(mktemp -d -t mediadesk-ime.XXXXXX)}
mkdir -p "$out"
rm -f "$out/composing.png" "$out/ime.png" "$out/typed.txt" "$out/fcitx5.log" "$out/app.log"

go build -o "$tmp/mediadesk" .

# A UTF-8 locale (XIM needs one) and fcitx as the input method of X, GTK
# and Qt programs.
export LANG=C.UTF-8 LC_ALL=C.UTF-8
export XMODIFIERS=@im=fcitx GTK_IM_MODULE=fcitx QT_IM_MODULE=fcitx
# softpipe draws on Xvfb where Mesa's llvmpipe may not (see smoke.sh).
export GALLIUM_DRIVER=softpipe
# Private configuration: fcitx5's profile below and the app's Fyne
# preferences; the user's own are neither used nor touched.
export XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/share" XDG_CACHE_HOME="$tmp/cache"
mkdir -p "$XDG_CONFIG_HOME/fcitx5/conf"
# One group: the US keyboard and pinyin, pinyin the default.
cat >"$XDG_CONFIG_HOME/fcitx5/profile" <<'EOF'
[Groups/0]
Name=Default
Default Layout=us
DefaultIM=pinyin

[Groups/0/Items/0]
Name=keyboard-us
Layout=

[Groups/0/Items/1]
Name=pinyin
Layout=

[GroupOrder]
0=Default
EOF
# Every new input context starts with pinyin on: no trigger key needed.
cat >"$XDG_CONFIG_HOME/fcitx5/config" <<'EOF'
[Behavior]
ActiveByDefault=True
ShareInputState=All
EOF
# No cloud pinyin (it would go to the network): the local dictionary gives 你好.
cat >"$XDG_CONFIG_HOME/fcitx5/conf/pinyin.conf" <<'EOF'
CloudPinyinEnabled=False
EOF

export MEDIADESK_PASSWORD=ime-pass-1
"$tmp/mediadesk" init --data "$tmp/data" --role station --unit 城关派出所 --admin admin >/dev/null

# The steps on the virtual screen, run by bash -c below. $1 is the work
# directory, $2 the output directory. Exits 0 when 你好 arrived.
inside='
set -u
tmp=$1 out=$2
typed=$out/typed.txt log=$out/fcitx5.log
fail() { echo "ime-check: $*" >&2; status=1; }
status=0 app= fcitx=

# Only what XIM pinyin needs, and classicui for the candidate box.
fcitx5 --replace --disable=cloudpinyin,spell,emoji,quickphrase,clipboard,unicode,chttrans,luaaddonloader,notifications,notificationitem,kimpanel,wayland,waylandim,ibusfrontend,fcitx4frontend \
  --verbose=default=4 >"$log" 2>&1 &
fcitx=$!
for _ in $(seq 1 100); do
  xprop -root XIM_SERVERS 2>/dev/null | grep -q "@server=fcitx" && break
  sleep 0.2
done
if ! xprop -root XIM_SERVERS 2>/dev/null | grep -q "@server=fcitx"; then
  fail "fcitx5 did not register its XIM server in 20 s (xprop -root XIM_SERVERS: $(xprop -root XIM_SERVERS 2>&1))"
else
  MEDIADESK_IME_CHECK="$typed" "$tmp/mediadesk" --data "$tmp/data" --as admin 2>"$out/app.log" &
  app=$!
  win=
  for _ in $(seq 1 100); do
    win=$(xdotool search --name "新媒体工作台" 2>/dev/null | head -n1) && [ -n "$win" ] && break
    kill -0 "$app" 2>/dev/null || break
    sleep 0.2
  done
  # The body has the focus once the file exists.
  for _ in $(seq 1 100); do
    [ -e "$typed" ] && break
    kill -0 "$app" 2>/dev/null || break
    sleep 0.2
  done
  if [ -z "$win" ] || [ ! -e "$typed" ]; then
    fail "the app window did not come up (window: ${win:-none}); app log: $(tail -n 5 "$out/app.log")"
  else
    xdotool windowfocus --sync "$win"
    sleep 1
    # Pinyin is on by default (config above); -o turns it on in case not.
    # Typing starts once fcitx5 names pinyin as the current input method
    # (its addon and dictionary may still be loading).
    im=
    for _ in $(seq 1 100); do
      fcitx5-remote -o 2>/dev/null
      im=$(fcitx5-remote -n 2>/dev/null) && [ "$im" = pinyin ] && break
      sleep 0.2
    done
    [ "$im" = pinyin ] || echo "ime-check: fcitx5 input method is \"$im\", not pinyin, after 20 s; typing anyway" >&2
    xdotool type --delay 150 nihao
    # The candidate box while composing, once it shows (at the bottom left
    # of the window: GLFW tells the input method no cursor position). The
    # keys reach fcitx5 through the app, which draws slowly on Xvfb: the
    # shot may show the pinyin only partly typed.
    for _ in $(seq 1 50); do
      [ -n "$(xdotool search --onlyvisible --class fcitx 2>/dev/null)" ] && break
      sleep 0.2
    done
    sleep 3
    xwd -root -silent | convert xwd:- "$out/composing.png" || echo "ime-check: screen capture failed" >&2
    xdotool key space
    found=0
    for _ in $(seq 1 60); do
      grep -q "你好" "$typed" 2>/dev/null && { found=1; break; }
      kill -0 "$app" 2>/dev/null || break
      sleep 0.5
    done
    xwd -root -silent | convert xwd:- "$out/ime.png" || echo "ime-check: screen capture failed" >&2
    if [ "$found" = 1 ]; then
      echo "ime-check: 你好 arrived in the post body: $(cat "$typed")"
    else
      fail "你好 did not arrive in 30 s; the body holds: \"$(cat "$typed" 2>/dev/null)\" (fcitx5-remote: $(fcitx5-remote 2>&1))"
      echo "--- fcitx5 log (end) ---" >&2
      tail -n 30 "$log" >&2
    fi
  fi
fi
# Stop the app (it closes its store on SIGTERM), then fcitx5: the app
# first, while fcitx5 still answers its input-method calls (stopped at
# once, the app was at times still waiting after 10 s). Whatever has not
# ended after 10 s each is killed, and so is the bus of this session, so
# that nothing started here (portals the bus activated) outlives the check.
[ -n "$app" ] && kill "$app" 2>/dev/null
for _ in $(seq 1 50); do
  { [ -n "$app" ] && kill -0 "$app" 2>/dev/null; } || break
  sleep 0.2
done
[ -n "$fcitx" ] && { fcitx5-remote -e 2>/dev/null || kill "$fcitx" 2>/dev/null; }
for _ in $(seq 1 50); do
  { [ -n "$fcitx" ] && kill -0 "$fcitx" 2>/dev/null; } || break
  sleep 0.2
done
for p in $app $fcitx; do kill -9 "$p" 2>/dev/null; done
wait
[ -n "${DBUS_SESSION_BUS_PID:-}" ] && kill "$DBUS_SESSION_BUS_PID" 2>/dev/null
exit $status
'
status=0
timeout 180 xvfb-run -a -s "-screen 0 1366x768x24" \
  dbus-launch --exit-with-session bash -c "$inside" ime-check "$tmp" "$out" || status=$?
for f in composing.png ime.png; do
  [ -s "$out/$f" ] && echo "screenshot: $out/$f"
done
if [ "$status" -ne 0 ]; then
  echo "ime-check: failed (exit $status); output in $out" >&2
  exit 1
fi
