#!/usr/bin/env python3
"""Checks esafety-filter's --json output against its plain output: the same
number of lines, and on each line a JSON decision with the same action and
rule (a line that is not a URL is the library's fail-closed block, rule
`error`, in both).

Usage: filter_json_check.py PLAIN_OUTPUT JSON_OUTPUT
"""
import json
import sys

plain = open(sys.argv[1], encoding="utf-8").read().splitlines()
js = open(sys.argv[2], encoding="utf-8").read().splitlines()
if len(plain) != len(js):
    sys.exit(f"filter --json printed {len(js)} lines, plain printed {len(plain)}")
for n, (p, j) in enumerate(zip(plain, js), 1):
    fields = p.split("\t")
    d = json.loads(j)
    # The error report does not repeat the input (it may be what could not
    # be read).
    url = fields[3] if d["rule"] != "error" else ""
    if (d["action"], d["rule"], d["url"]) != (fields[0], fields[1], url):
        sys.exit(f"line {n}: plain `{p}` but json `{j}`")
print(f"filter_json_check: {len(js)} lines agree")
