#!/usr/bin/env bash
# The C face (issue 7): builds libesafety in release, checks the checked-in
# header against a fresh cbindgen run, installs into a temporary prefix and
# checks the documented `cc app.c $(pkg-config --cflags --libs esafety)`,
# then builds the C tests, the C++ header test, the example filter and the
# C benchmark against the release .so and .a and runs them: plain (shared
# and static), under valgrind, and with AddressSanitizer + UBSan. Runs the
# shared test vectors through the C API. Needs only what scripts/setup.sh
# installs (cbindgen, valgrind, pkg-config, gcc/g++, python3).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
export CARGO_TERM_COLOR=never
target=${CARGO_TARGET_DIR:-$root/target}
data=${ESAFETY_DATA:-$root/../shared/data}
work=$(mktemp -d "${TMPDIR:-/tmp}/esafety-ffi.XXXXXX")
trap 'rm -rf "$work"' EXIT
say() { printf -- '--- ffi: %s\n' "$*"; }

say "cargo build --release -p esafety-ffi"
cargo build --release -p esafety-ffi

say "header is up to date (cbindgen $(cbindgen --version | awk '{print $2}'))"
cbindgen --quiet --config ffi/cbindgen.toml --crate esafety-ffi --output "$work/esafety.h"
if ! cmp -s "$work/esafety.h" ffi/include/esafety.h; then
  diff -u ffi/include/esafety.h "$work/esafety.h" | head -40 >&2 || true
  echo "ffi: ffi/include/esafety.h is out of date; regenerate it with" >&2
  echo "  cbindgen --config ffi/cbindgen.toml --crate esafety-ffi --output ffi/include/esafety.h" >&2
  exit 1
fi

say "install into a temporary prefix"
prefix="$work/prefix"
CARGO_TARGET_DIR="$target" scripts/install-ffi.sh --no-build "$prefix" >/dev/null
grep -q 'SONAME.*libesafety\.so\.' <(readelf -d "$prefix/lib/libesafety.so") \
  || { echo "ffi: libesafety.so has no versioned SONAME" >&2; exit 1; }

say "cc app.c \$(pkg-config --cflags --libs esafety)"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
[ "$(pkg-config --modversion esafety)" = "$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n1)" ]
# shellcheck disable=SC2046
cc -o "$work/filter-pc" ffi/examples/esafety-filter.c $(pkg-config --cflags --libs esafety)
echo "https://www.bet365.com/" | LD_LIBRARY_PATH="$prefix/lib" "$work/filter-pc" \
  --policy policies/secondary-pupils.toml --at 2026-03-02T10:00:00Z > "$work/filter-pc.txt"
grep -q '^block	' "$work/filter-pc.txt"

say "build the C tests (gcc -std=c99 -Wall -Wextra -Werror -Wpedantic; g++ -std=c++11) in three variants"
make -s -C ffi/tests -j2 PREFIX="$prefix" OUT="$work/build" all
nm "$work/build/asan/test_api" > "$work/asan-symbols.txt"
grep -q '__asan_init' "$work/asan-symbols.txt" \
  || { echo "ffi: the asan variant is not linked with AddressSanitizer" >&2; exit 1; }
grep -q '__ubsan_handle' "$work/asan-symbols.txt" \
  || { echo "ffi: the asan variant is not linked with UBSan" >&2; exit 1; }

python3 ffi/tests/vectors_to_tsv.py tests/vectors > "$work/vectors.tsv"
urls="$data/peer-lists/top500-sitelist.txt"
[ -f "$urls" ] || urls=ffi/tests/fixtures/filter-input.txt
say "a signed bundle for the signature checks (esafety keygen, compile, sign)"
CARGO_TARGET_DIR="$target" cargo build --quiet -p esafety-cli
esafety_bin="$target/debug/esafety"
signed="$work/signed"
mkdir -p "$signed"
"$esafety_bin" keygen -o "$signed/publisher" >/dev/null
"$esafety_bin" keygen -o "$signed/stranger" >/dev/null
printf 'bet.example\n' > "$signed/gambling.txt"
"$esafety_bin" compile --list "gambling=$signed/gambling.txt" -o "$signed/lists.esb" 2>/dev/null
"$esafety_bin" sign --key "$signed/publisher" "$signed/lists.esb" >/dev/null

export ESAFETY_FIXTURES="$root/ffi/tests/fixtures" ESAFETY_ROOT="$root" TMPDIR="$work" ESAFETY_SIGNED="$signed"

# Runs every program of one variant, each behind the given wrapper command.
run_variant() {
  local variant=$1; shift
  local dir="$work/build/$variant"
  say "run ($variant${1:+ under $1})"
  "$@" "$dir/test_api"
  "$@" "$dir/test_threads"
  "$@" "$dir/test_vectors" "$work/vectors.tsv"
  "$@" "$dir/test_cpp"
  "$@" "$dir/esafety-filter" --policy ffi/tests/fixtures/policy.toml --at 2026-03-02T10:00:00Z \
    < ffi/tests/fixtures/filter-input.txt > "$work/filter-$variant.txt"
  if ! cmp -s "$work/filter-$variant.txt" ffi/tests/fixtures/filter-expected.txt; then
    diff -u ffi/tests/fixtures/filter-expected.txt "$work/filter-$variant.txt" >&2 || true
    echo "ffi: esafety-filter ($variant) printed something else" >&2
    exit 1
  fi
  "$@" "$dir/esafety-filter" --policy ffi/tests/fixtures/policy.toml --at 2026-03-02T10:00:00Z --json \
    < ffi/tests/fixtures/filter-input.txt > "$work/filter-$variant.jsonl"
  python3 ffi/tests/filter_json_check.py "$work/filter-$variant.txt" "$work/filter-$variant.jsonl"
  "$@" "$dir/bench_decide" "$urls" policies/secondary-pupils.toml - 1 >/dev/null
}

run_variant shared
run_variant static
# --show-possibly-lost=no: jiff keeps the time zones it has parsed in a
# process-wide cache that valgrind counts as "possibly lost" at exit; a
# definite leak or any invalid read or write still fails the run.
ESAFETY_THREAD_ROUNDS=10 run_variant shared valgrind --quiet --leak-check=full --show-possibly-lost=no \
  --errors-for-leak-kinds=definite --error-exitcode=1
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1 \
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 run_variant asan

say "C benchmark (release, sample bundle, secondary-pupils policy)"
"$work/build/shared/bench_decide" "$urls" policies/secondary-pupils.toml - 3
say "all passed"
