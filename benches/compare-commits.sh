#!/usr/bin/env bash
# Before and after in one run: builds the criterion benches at OLD (a commit)
# in a scratch worktree with its own target dir, and in this checkout; then
# runs each bench at OLD (saved as the criterion baseline `before`) and right
# after it the same bench of this checkout (compared against `before`), so
# both are measured on one machine in one session. Criterion prints each
# function's time and its change against OLD.
#   benches/compare-commits.sh OLD [BENCH...]   (default: canonicalize classify)
# Env: COMPARE_DIR, the scratch folder (default /tmp/esafety-compare-OLD; kept,
# so a second run builds nothing); COMPARE_TREE, a checkout of OLD to use
# (default: a worktree made in COMPARE_DIR; OLD builds in its `target`);
# CARGO_TARGET_DIR of this checkout as usual; ESAFETY_DATA as for every bench.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 OLD [BENCH...]" >&2; exit 2; }
old="$(git rev-parse --verify "$1^{commit}")"
shift
benches=("$@")
[ ${#benches[@]} -gt 0 ] || benches=(canonicalize classify)
root="$(git rev-parse --show-toplevel)"
scratch="${COMPARE_DIR:-/tmp/esafety-compare-${old:0:12}}"
tree="${COMPARE_TREE:-$scratch/tree}"
criterion_home="$scratch/criterion"
mkdir -p "$scratch" "$criterion_home"
if [ -z "${COMPARE_TREE:-}" ] && [ ! -d "$tree" ]; then
  git -C "$root" worktree add --detach "$tree" "$old" >/dev/null
fi
[ "$(git -C "$tree" rev-parse HEAD)" = "$old" ] || { echo "$tree is not at $old" >&2; exit 2; }

# The bench executables of the checkout at $1 for the benches named, one
# `NAME PATH` line each (from cargo's `Executable` lines).
executables() {
  local dir="$1" args=()
  for b in "${benches[@]}"; do args+=(--bench "$b"); done
  (cd "$dir" && cargo bench -p esafety-benches "${args[@]}" --no-run 2>&1) |
    sed -nE 's|^ *Executable benches/([a-z_]+)\.rs \((.*)\)$|\1 \2|p'
}

declare -A before after
while read -r name path; do
  case "$path" in /*) before[$name]="$path" ;; *) before[$name]="$tree/$path" ;; esac
done < <(CARGO_TARGET_DIR="$tree/target" executables "$tree")
while read -r name path; do
  case "$path" in /*) after[$name]="$path" ;; *) after[$name]="$root/$path" ;; esac
done < <(executables "$root")

for b in "${benches[@]}"; do
  [ -x "${before[$b]:-}" ] || { echo "no bench $b at $old" >&2; exit 2; }
  [ -x "${after[$b]:-}" ] || { echo "no bench $b in this checkout" >&2; exit 2; }
  echo "== $b: before ($old)"
  (cd "$tree/benches" && CRITERION_HOME="$criterion_home" "${before[$b]}" --bench --save-baseline before)
  echo "== $b: after ($(git -C "$root" rev-parse --short HEAD), compared against before)"
  (cd "$root/benches" && CRITERION_HOME="$criterion_home" "${after[$b]}" --bench --baseline before)
done
