#!/usr/bin/env bash
# Screenshots for the guides (make screenshots). Builds mediadesk, builds
# a demo county (mediadesk demo --fast) in a temporary folder, and under
# Xvfb (1366×768) opens the window in screenshot mode
# (MEDIADESK_SMOKE_AREAS, ui/smoke.go) twice: as the shift leader of
# 城关派出所 (the login, then every station area and the post editor) and
# as HQ's admin (every HQ area), in the light appearance. The PNGs go, reduced to 256 colours
# (pngquant, else ImageMagick), into docs/images/ or OUTPUT_DIR.
#
# Usage: scripts/screenshots.sh [OUTPUT_DIR]   (default: docs/images)
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in xvfb-run convert; do
  command -v "$tool" >/dev/null || { echo "screenshots: $tool missing: run scripts/deps.sh" >&2; exit 1; }
done

out=${1:-docs/images}
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

go build -o "$tmp/mediadesk" .
"$tmp/mediadesk" demo --data "$tmp/county" --units 3 --fast >"$tmp/county.txt"

# AREA+ACTION=FILE: pick=N shows the N-th row's detail (the rows are the
# demo's, in their order on the screen); see ui/smoke.go.
station_areas="login=login.png,nav.home=station-home.png,nav.posts+pick=6=station-posts.png,editor=station-editor.png"
station_areas+=",nav.calendar=station-calendar.png,nav.accounts+pick=8=station-accounts.png,nav.roster=station-roster.png"
station_areas+=",nav.training+pick=1=station-training.png,nav.messages+pick=1=station-messages.png"
station_areas+=",nav.notices+pick=1=station-notices.png,nav.sync=station-sync.png"
hq_areas="nav.home=hq-home.png,nav.stations=hq-stations.png,nav.approvals+pick=1=hq-approvals.png"
hq_areas+=",nav.matrix+pick=15=hq-matrix.png,nav.notices+pick=4=hq-notices.png"
hq_areas+=",nav.assessment+previous+tap=assessment.compute=hq-assessment.png,nav.library+pick=1=hq-library.png,nav.sync=hq-sync.png"

# Mesa's llvmpipe reads back nothing from a window on Xvfb; softpipe does
# (scripts/smoke.sh). A private config folder keeps the user's Fyne
# preferences (language, appearance) out of the shots; the guides show the
# light appearance.
export GALLIUM_DRIVER=softpipe
export FYNE_THEME=light
export XDG_CONFIG_HOME="$tmp/config"
export MEDIADESK_PASSWORD=demo-pass-1
export MEDIADESK_SMOKE_DIR="$tmp/shots"
mkdir -p "$MEDIADESK_SMOKE_DIR"

shoot() { # INSTALL USER AREAS
  MEDIADESK_SMOKE_AREAS="$3" timeout 300 xvfb-run -a -s "-screen 0 1366x768x24" \
    "$tmp/mediadesk" --data "$tmp/county/$1" --as "$2" || {
    echo "screenshots: the window failed on $1 as $2" >&2
    exit 1
  }
}
shoot chengguan leader "$station_areas"
shoot hq admin "$hq_areas"

for f in "$MEDIADESK_SMOKE_DIR"/*.png; do
  dest="$out/$(basename "$f")"
  if command -v pngquant >/dev/null; then
    pngquant --force --strip --speed 1 --quality 70-95 --output "$dest" -- "$f" ||
      convert "$f" -strip -colors 256 "PNG8:$dest"
  else
    convert "$f" -strip -colors 256 "PNG8:$dest"
  fi
  command -v optipng >/dev/null && optipng -quiet -o2 "$dest"
  echo "$dest $(($(stat -c %s "$dest") / 1024)) KB"
done
