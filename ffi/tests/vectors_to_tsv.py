#!/usr/bin/env python3
"""Turns the shared test vectors (tests/vectors/*.toml) into one
tab-separated file that the C runner (test_vectors.c) reads.

Usage: vectors_to_tsv.py VECTORS_DIR > vectors.tsv

Every field is hex-encoded UTF-8 (so tabs, newlines and any byte survive),
or `-` when the case does not give it. JSON fields are the exact compact
JSON the library prints for that part of a report (serde_json and Python's
json module agree on compact output with ensure_ascii=False). Lines:

  canonicalize NAME INPUT CANONICAL|- EXPRESSIONS_JSON|-       (CANONICAL - : an error is expected)
  classify     NAME URL CATEGORIES(\\n-joined) CATEGORIES_JSON LISTS(\\n-joined, sorted)
  decide       NAME POLICY URL GROUP|- AGE|- DEVICE|- AT ACTION RULE CATEGORIES(\\n-joined) CATEGORIES_JSON

A file or field the runner does not know is an error here, so a change to
the vector format cannot be skipped silently.
"""
import json
import sys
import tomllib
from pathlib import Path


def hx(value):
    if value is None:
        return "-"
    return value.encode("utf-8").hex() or "="  # `=` is the empty string


def js(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def cases(path, known):
    with open(path, "rb") as f:
        doc = tomllib.load(f)
    unknown_top = set(doc) - {"case"}
    if unknown_top:
        sys.exit(f"{path}: unknown top-level keys {sorted(unknown_top)}; teach ffi/tests/vectors_to_tsv.py")
    for case in doc.get("case", []):
        extra = set(case) - known
        if extra:
            sys.exit(f"{path}: case `{case.get('name')}` has unknown fields {sorted(extra)}; teach ffi/tests/vectors_to_tsv.py")
        yield case


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: vectors_to_tsv.py VECTORS_DIR")
    root = Path(sys.argv[1])
    out = []
    for c in cases(root / "canonicalize.toml", {"name", "input", "canonical", "error", "expressions"}):
        if c.get("error", False):
            canonical = None
        else:
            canonical = c["canonical"]
        expressions = js(c["expressions"]) if "expressions" in c else None
        out.append(["canonicalize", hx(c["name"]), hx(c["input"]), hx(canonical), hx(expressions)])
    for c in cases(root / "classify.toml", {"name", "url", "categories", "lists"}):
        out.append([
            "classify", hx(c["name"]), hx(c["url"]), hx("\n".join(c["categories"])),
            hx(js(c["categories"])), hx("\n".join(sorted(set(c["lists"])))),
        ])
    for c in cases(root / "decisions.toml", {
        "name", "policy", "url", "group", "age", "device", "at",
        "expect_action", "expect_rule", "expect_categories",
    }):
        age = str(c["age"]) if "age" in c else None
        out.append([
            "decide", hx(c["name"]), hx(c["policy"]), hx(c["url"]), hx(c.get("group")),
            hx(age), hx(c.get("device")), hx(c["at"]), hx(c["expect_action"]),
            hx(c["expect_rule"]), hx("\n".join(c["expect_categories"])),
            hx(js(c["expect_categories"])),
        ])
    for fields in out:
        print("\t".join(fields))


if __name__ == "__main__":
    main()
