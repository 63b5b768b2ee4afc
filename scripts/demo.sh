#!/usr/bin/env bash
# The demo county (make demo): builds mediadesk, builds a demo county with
# `mediadesk demo --fast` (HQ and UNITS stations, default 3, with about
# two months of work exchanged in real sync bundles) in a new temporary
# folder, prints the users and passwords, and opens the window on
# 城关派出所 with the shift leader's name filled in. The folder stays when
# the window closes, so that HQ and the other stations can be opened too
# (the commands are printed); delete it when done.
#
# --fast: cheap key derivation, for demos only.
set -euo pipefail
cd "$(dirname "$0")/.."

dir=$(mktemp -d -t mediadesk-demo.XXXXXX)
go build -o "$dir/mediadesk" .
"$dir/mediadesk" demo --data "$dir/county" --units "${UNITS:-3}" --fast
cat <<MSG

程序 / program: $dir/mediadesk（上面的 mediadesk 即指它 / the "mediadesk" above）
正在打开城关派出所的窗口，以 leader 登录，密码 demo-pass-1 …… /
opening 城关派出所's window: sign in as leader, password demo-pass-1 …
用完请删除 / delete when done: rm -rf $dir
MSG
exec "$dir/mediadesk" --data "$dir/county/chengguan" --as leader
