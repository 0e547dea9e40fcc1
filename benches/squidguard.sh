#!/usr/bin/env bash
# squidGuard peer for the classify bench (issue 4): the same 123,283 hosts
# and 20,603 URLs as benches/benches/classify.rs, fed to `squidGuard -c conf`
# as Squid redirector lines. Prints blocked lines and lines/s between the
# "ready for requests" and "stopped" log stamps (so the database load at
# start-up is excluded). Needs the Debian package `squidguard`.
#   ESAFETY_DATA=../shared/data benches/squidguard.sh
set -euo pipefail
data="${ESAFETY_DATA:-$(dirname "$0")/../../shared/data}/peer-lists"
command -v squidGuard >/dev/null || { echo "squidGuard not installed (apt-get install squidguard)"; exit 0; }
[ -f "$data/top500-sitelist.txt" ] || { echo "no data at $data"; exit 0; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/db/hosts" "$work/log"
{
  grep -hE '^\|\|[^/^$*|]+\^$' "$data/easylist.txt" "$data/easyprivacy.txt" "$data/spam404-main-blacklist.txt" \
    | sed -E 's/^\|\|//; s/\^$//'
  grep -hvE '^[#![]|[[:space:]]|^$' "$data/malwaredomains.txt" "$data/disconnect-simple-malware.txt" \
    "$data/malwaredomainlist_justhosts.txt"
} | tr 'A-Z' 'a-z' | tr -d '\r' | sort -u > "$work/db/hosts/domains"
grep -v '^[[:space:]]*$' "$data/top500-sitelist.txt" | sed 's|$| 10.0.0.1/- - GET|' > "$work/input.txt"
cat > "$work/sg.conf" <<CONF
dbhome $work/db
logdir $work/log
dest hosts {
    domainlist hosts/domains
}
acl {
    default {
        pass !hosts all
        redirect http://blocked.invalid/
    }
}
CONF
squidGuard -c "$work/sg.conf" < "$work/input.txt" > "$work/out.txt"
hosts=$(wc -l < "$work/db/hosts/domains")
lines=$(wc -l < "$work/input.txt")
blocked=$(grep -c blocked.invalid "$work/out.txt" || true)
start=$(grep -o 'ready for requests ([0-9.]*)' "$work/log/squidGuard.log" | grep -o '[0-9.]*' | tail -1)
stop=$(grep -o 'stopped ([0-9.]*)' "$work/log/squidGuard.log" | grep -o '[0-9.]*' | tail -1)
awk -v h="$hosts" -v l="$lines" -v b="$blocked" -v s="$start" -v e="$stop" \
  'BEGIN { printf "squidGuard: %d hosts, %d lines, %d blocked, %.3f s, %.0f lines/s\n", h, l, b, e - s, l / (e - s) }'
