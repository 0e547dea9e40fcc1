#!/usr/bin/env bash
# squidGuard and esafety on the real UT1 `urls` files (issue 27): every
# category's `urls` file compiled by both, and both asked the same requests,
# derived from the lines themselves: the line, the line after `www.`,
# `www2.`, another subdomain (`v2tc.`), and the line followed by `x`, `-1`,
# `/a` and `?ref=1`. Prints how many requests agree, and how many only
# squidGuard or only esafety blocks, with a sample of each.
# The UT1 lists are read in place, never copied into the repository:
#   UT1=/path/to/ut1-blacklists/blacklists ESAFETY=target/release/esafety benches/ut1-differential.sh
set -euo pipefail
ut1="${UT1:?set UT1 to the UT1 blacklists folder}"
esafety="${ESAFETY:-target/release/esafety}"
command -v squidGuard >/dev/null || { echo "squidGuard not installed (scripts/setup.sh)"; exit 1; }
work="$(mktemp -d)"
[ -n "${KEEP:-}" ] && echo "work: $work" || trap 'rm -rf "$work"' EXIT
mkdir -p "$work/db" "$work/log"
conf="$work/sg.conf"
printf 'dbhome %s/db\nlogdir %s/log\n' "$work" "$work" > "$conf"
pass=""
lists=()
for dir in "$ut1"/*/; do
  dir="${dir%/}"
  cat=$(basename "$dir")
  [ -f "$dir/urls" ] || continue
  # squidGuard's dest names and esafety's local ids: letters, digits, `-`.
  id=$(echo "$cat" | tr '_' '-')
  mkdir -p "$work/db/$id"
  cp "$dir/urls" "$work/db/$id/urls"
  printf 'dest %s {\n    urllist %s/urls\n}\n' "$id" "$id" >> "$conf"
  pass="$pass !$id"
  lists+=(--list "local-$id=squidguard-urls:$dir/urls")
done
printf 'acl {\n    default {\n        pass%s all\n        redirect http://blocked.invalid/%%t\n    }\n}\n' "$pass" >> "$conf"

# Requests from the lines: the first word, scheme and fragment dropped.
cat "$ut1"/*/urls | tr -d '\r' | grep -v '^[[:space:]]*#' | awk '{print $1}' \
  | sed -E 's|^[a-zA-Z]+://||; s|#.*||' | grep -E '^[A-Za-z0-9._-]+(/|$)' | sort -u > "$work/lines.txt"
# (No `www.` in front of an IPv4 address: that is not a host name.)
awk '{
  print "http://" $0; print "http://" $0 "x"; print "http://" $0 "-1"; print "http://" $0 "/a"; print "http://" $0 "?ref=1"
  if ($0 !~ /^[0-9.]+(\/|$)/) { print "http://www." $0; print "http://www2." $0; print "http://v2tc." $0 }
}' "$work/lines.txt" | sort -u > "$work/urls.txt"
sed 's|$| 10.0.0.1/- - GET|' "$work/urls.txt" > "$work/input.txt"

squidGuard -c "$conf" < "$work/input.txt" > "$work/sg.out"
"$esafety" compile "${lists[@]}" -o "$work/ut1.esb" 2> "$work/compile.log"
# One answer line per request, in order, from both.
"$esafety" classify --bundle "$work/ut1.esb" < "$work/urls.txt" > "$work/es.raw" 2> "$work/es.err" || true
echo "requests esafety refuses as URLs: $(grep -c . "$work/es.err" || true)"
cut -f2 "$work/es.raw" > "$work/es.cats"
paste "$work/urls.txt" "$work/sg.out" "$work/es.cats" > "$work/joined.tsv"

# Per request: squidGuard's first dest (or -), esafety's categories.
awk -F'\t' '
{
  url = $1; sg = $2; es = $3
  if (sg == "ERR") sgd = "-"; else { sgd = sg; sub(/.*blocked\.invalid\//, "", sgd); sub(/".*/, "", sgd); if (sg !~ /blocked\.invalid/) sgd = "(own redirect)" }
  esb = (es != "-" && es != "")
  if (sgd == "-" && !esb) agree++
  else if (sgd != "-" && esb && (sgd == "(own redirect)" || index("," es ",", ",local-" sgd ","))) agree++
  else if (sgd != "-" && !esb) { sgonly++; if (sgonly <= 15) print "squidGuard only: " url " (" sgd ")" > "/dev/stderr" }
  else if (sgd == "-" && esb) { esonly++; if (esonly <= 15) print "esafety only: " url " (" es ")" > "/dev/stderr" }
  else { other++; if (other <= 15) print "other category: " url " squidGuard " sgd ", esafety " es > "/dev/stderr" }
  n++
}
END { printf "UT1 urls: %d requests; agree %d, squidGuard only %d, esafety only %d, other category %d\n", n, agree, sgonly, esonly, other }' "$work/joined.tsv"
wc -l < "$work/lines.txt" | sed 's/^/distinct url lines: /'
# Which esafety-only answers are squidGuard's B-tree prefix miss: the
# request has a listed prefix in its dest, but squidGuard's one range
# search lands elsewhere: the greatest listed key not above the request
# is not a prefix of it, or another listed key extends the prefix (seen
# with squidGuard 1.6: `p.example/awards` alone blocks `p.example/awards-1`,
# with `p.example/awards/` listed too it does not).
python3 - "$work" <<'PY'
import bisect, os, re, sys
work = sys.argv[1]
keys = {}
for dest in os.listdir(f"{work}/db"):
    ks = set()
    for line in open(f"{work}/db/{dest}/urls", encoding="latin-1"):
        w = line.split()
        if not w or w[0].startswith("#"):
            continue
        ks.add(re.sub(r"^[a-z]+://", "", w[0].lower()))
    keys[dest] = sorted(ks)
by_host = {}
for dest, ks in keys.items():
    for k in ks:
        by_host.setdefault((dest, k.split("/", 1)[0]), []).append(k)
def chop(h):
    m = re.match(r"^(www|web|ftp)[0-9]*\.(.*)$", h)
    return m.group(2) if m else h
counts = {"B-tree prefix miss": 0, "line with // or %XX squidGuard never matches": 0, "#fragment line read as its page": 0, "line with non-ASCII bytes": 0, "./ in the line or request (squidGuard drops a request's first ./ and resolves no dot segment)": 0, "other": 0}
samples = []
for row in open(f"{work}/joined.tsv", encoding="latin-1"):
    url, sg, es = row.rstrip("\n").split("\t")
    if sg != "ERR" or es in ("-", ""):
        continue
    full = url.split("://", 1)[1].lower()
    host, _, rest = full.partition("/")
    stripped = chop(host) + ("/" + rest if _ else "")
    reason = None
    for dest in (c.removeprefix("local-") for c in es.split(",")):
        ks = keys.get(dest, [])
        for req in {full, stripped}:
            h = req.split("/", 1)[0]
            near = by_host.get((dest, h), [])
            if any("//" in k or "%" in k for k in near):
                reason = reason or "line with // or %XX squidGuard never matches"
            if any("#" in k and req.startswith(k.split("#", 1)[0]) for k in near):
                reason = reason or "#fragment line read as its page"
            if "./" in req or any("./" in k for k in near):
                reason = reason or "./ in the line or request (squidGuard drops a request's first ./ and resolves no dot segment)"
            if any(any(ord(c) > 127 for c in k) for k in near):
                reason = reason or "line with non-ASCII bytes"
            j = bisect.bisect_right(ks, req)
            prefixes = [k for k in ks[max(0, j - 200):j] if req.startswith(k)]
            if not prefixes:
                continue
            if not req.startswith(ks[j - 1]):
                reason = "B-tree prefix miss"
            for k in prefixes:
                at = bisect.bisect_right(ks, k)
                if at < len(ks) and ks[at].startswith(k):
                    reason = "B-tree prefix miss"
    reason = reason or "other"
    counts[reason] += 1
    if reason == "other" and len(samples) < 15:
        samples.append(url + " (" + es + ")")
print("esafety only, by reason: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
for s in samples:
    print("  other esafety only: " + s)
PY
tail -n 3 "$work/compile.log"
