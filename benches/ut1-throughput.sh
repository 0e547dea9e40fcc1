#!/usr/bin/env bash
# Process-level classify throughput with a UT1-sized bundle (issue 27): every
# UT1 category folder (domains, urls, expressions) compiled by squidGuard and
# by esafety, and both fed the same request stream in the same run.
# squidGuard: lines/s between its "ready for requests" and "stopped" log
# stamps (its database load excluded). esafety: `esafety classify` over the
# stream, wall time less a one-URL run (start-up and bundle load excluded).
# Requests: each `urls` line and each of a sample of domains, as
# `http://LINE`, `http://www.LINE/x?ref=1` and `http://v2tc.LINE` (ASCII
# host names only). The UT1 lists are read in place, never copied into
# the repository:
#   UT1=/path/to/ut1-blacklists/blacklists ESAFETY=target/release/esafety benches/ut1-throughput.sh
set -euo pipefail
ut1="${UT1:?set UT1 to the UT1 blacklists folder}"
esafety="${ESAFETY:-target/release/esafety}"
command -v squidGuard >/dev/null || { echo "squidGuard not installed (scripts/setup.sh)"; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/db" "$work/log"
conf="$work/sg.conf"
printf 'dbhome %s/db\nlogdir %s/log\n' "$work" "$work" > "$conf"
pass=""
lists=()
for dir in "$ut1"/*/; do
  dir="${dir%/}"
  id=$(basename "$dir" | tr '_' '-')
  have=""
  mkdir -p "$work/db/$id"
  printf 'dest %s {\n' "$id" >> "$conf"
  for file in domains urls expressions; do
    [ -f "$dir/$file" ] || continue
    cp "$dir/$file" "$work/db/$id/$file"
    case $file in
      domains) kind=domainlist ;;
      urls) kind=urllist ;;
      expressions) kind=expressionlist ;;
    esac
    printf '    %s %s/%s\n' "$kind" "$id" "$file" >> "$conf"
    lists+=(--list "local-$id=squidguard-$file:$dir/$file")
    have=1
  done
  printf '}\n' >> "$conf"
  [ -n "$have" ] && pass="$pass !$id"
done
printf 'acl {\n    default {\n        pass%s all\n        redirect http://blocked.invalid/%%t\n    }\n}\n' "$pass" >> "$conf"

{
  cat "$ut1"/*/urls
  cat "$ut1"/*/domains | awk 'NR % 4 == 0'
} | tr -d '\r' | grep -v '^[[:space:]]*#' | awk '{print $1}' | grep -E '^[A-Za-z0-9._-]+\.[A-Za-z]' \
  | sort -u | awk '{ print "http://" $0; print "http://www." $0 "/x?ref=1"; print "http://v2tc." $0 }' \
  | shuf --random-source=<(yes) > "$work/urls.txt"
sed 's|$| 10.0.0.1/- - GET|' "$work/urls.txt" > "$work/input.txt"
lines=$(wc -l < "$work/urls.txt")

squidGuard -c "$conf" < "$work/input.txt" > "$work/sg.out"
start=$(grep -o 'ready for requests ([0-9.]*)' "$work/log/squidGuard.log" | grep -o '[0-9.]*' | tail -1)
stop=$(grep -o 'stopped ([0-9.]*)' "$work/log/squidGuard.log" | grep -o '[0-9.]*' | tail -1)
sg_blocked=$(grep -c '^OK' "$work/sg.out" || true)

"$esafety" compile "${lists[@]}" -o "$work/ut1.esb" 2> "$work/compile.log"
now() { date +%s.%N; }
t0=$(now); head -1 "$work/urls.txt" | "$esafety" classify --bundle "$work/ut1.esb" > /dev/null; t1=$(now)
"$esafety" classify --bundle "$work/ut1.esb" < "$work/urls.txt" > "$work/es.out" 2> /dev/null || true
t2=$(now)
es_blocked=$(awk -F'\t' '$2 != "-"' "$work/es.out" | wc -l)

head -n 1 "$work/compile.log"
awk -v l="$lines" -v s="$start" -v e="$stop" -v b="$sg_blocked" \
  'BEGIN { printf "squidGuard: %d lines, %d blocked, %.3f s, %.0f lines/s\n", l, b, e - s, l / (e - s) }'
awk -v l="$lines" -v a="$t0" -v b="$t1" -v c="$t2" -v n="$es_blocked" -v s="$start" -v e="$stop" \
  'BEGIN { t = (c - b) - (b - a); printf "esafety: %d lines, %d blocked, %.3f s (start-up %.3f s subtracted), %.0f lines/s, %.1fx squidGuard\n", l, n, t, b - a, l / t, (l / t) / (l / (e - s)) }'
