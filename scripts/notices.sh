#!/usr/bin/env bash
# Third-party notices (used by scripts/dist.sh): the licence texts of Go
# and of every module linked into mediadesk, which their licences (BSD,
# MIT, Apache-2.0) ask a binary distribution to carry. Writes to $1.
# Fails when a linked module has no licence file, so that nothing ships
# without one.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/usr/local/go/bin:$PATH
out=$1
{
  echo "Media Desk (平安汤阴 新媒体工作台) includes the following third-party software."
  echo "本程序包含以下第三方软件，其许可证全文如下。"
  echo
  echo "==== Go (the Go runtime and standard library) $(go env GOVERSION)"
  cat "$(go env GOROOT)/LICENSE"
  echo
} >"$out"
missing=0
# Modules of both release targets (Windows links golang.org/x/sys/windows and
# a few more packages of the same modules).
mods=$( { CGO_ENABLED=1 GOOS=linux go list -deps -f '{{with .Module}}{{if not .Main}}{{.Path}} {{.Version}} {{.Dir}}{{end}}{{end}}' .
          CGO_ENABLED=1 GOOS=windows go list -deps -f '{{with .Module}}{{if not .Main}}{{.Path}} {{.Version}} {{.Dir}}{{end}}{{end}}' . ; } | sort -u)
while read -r path version dir; do
  [ -n "$path" ] || continue
  files=$(find "$dir" -maxdepth 1 -type f \( -iname 'LICENSE*' -o -iname 'LICENCE*' -o -iname 'COPYING*' -o -iname 'NOTICE*' \) | sort)
  if [ -z "$files" ]; then
    echo "notices: $path $version has no licence file" >&2
    missing=1
    continue
  fi
  for f in $files; do
    { echo "==== $path $version ($(basename "$f"))"; cat "$f"; echo; } >>"$out"
  done
done <<<"$mods"
exit $missing
