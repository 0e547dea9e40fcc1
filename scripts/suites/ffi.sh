#!/usr/bin/env bash
# The C face (issues 7, 32): checks the checked-in header against a fresh
# cbindgen run, builds and installs libesafety with cargo-c (cargo
# cinstall: DESTDIR staging, a libdir, SONAME, stripped .so, esafety.pc)
# into a temporary prefix, links the example from there with
# `pkg-config --libs` (shared) and `-static` with `pkg-config --static
# --libs`, checks that ignoring a status does not compile, then builds the C tests, the C++ header test, the example filter and the
# C benchmark against the release .so and .a and runs them: plain (shared
# and static), under valgrind, and with AddressSanitizer + UBSan. Runs the
# shared test vectors through the C API. Needs only what scripts/setup.sh
# installs (cargo-c, cbindgen, valgrind, pkg-config, gcc/g++, python3).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
export CARGO_TERM_COLOR=never
target=${CARGO_TARGET_DIR:-$root/target}
data=${ESAFETY_DATA:-$root/../shared/data}
work=$(mktemp -d "${TMPDIR:-/tmp}/esafety-ffi.XXXXXX")
trap 'rm -rf "$work"' EXIT
say() { printf -- '--- ffi: %s\n' "$*"; }

say "header is up to date (cbindgen $(cbindgen --version | awk '{print $2}'))"
cbindgen --quiet --config ffi/cbindgen.toml --crate esafety-ffi --output "$work/esafety.h"
if ! cmp -s "$work/esafety.h" ffi/include/esafety.h; then
  diff -u ffi/include/esafety.h "$work/esafety.h" | head -40 >&2 || true
  echo "ffi: ffi/include/esafety.h is out of date; regenerate it with" >&2
  echo "  cbindgen --config ffi/cbindgen.toml --crate esafety-ffi --output ffi/include/esafety.h" >&2
  exit 1
fi

# Installed as a distribution package stages it: the final prefix and
# libdir, staged under DESTDIR, read back through PKG_CONFIG_SYSROOT_DIR.
stage="$work/stage"
prefix=/opt/esafety
libdir=$prefix/lib/x86_64-linux-gnu
say "cargo cinstall --release -p esafety-ffi --prefix $prefix --destdir DESTDIR --libdir $libdir"
CARGO_TARGET_DIR="$target" scripts/cinstall.sh --prefix "$prefix" --destdir "$stage" --libdir "$libdir" \
  > "$work/cinstall.log" 2>&1 || { tail -40 "$work/cinstall.log" >&2; exit 1; }
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n1)
major=${version%%.*}; rest=${version#*.}; minor=${rest%%.*}
if [ "$major" = 0 ]; then abi="0.$minor"; else abi="$major"; fi
so="$stage$libdir/libesafety.so.$version"
for f in "$stage$prefix/include/esafety.h" "$so" "$stage$libdir/libesafety.so.$abi" \
         "$stage$libdir/libesafety.so" "$stage$libdir/libesafety.a" "$stage$libdir/pkgconfig/esafety.pc"; do
  [ -e "$f" ] || { echo "ffi: cargo cinstall did not install ${f#"$stage"}" >&2; exit 1; }
done
cmp -s "$stage$prefix/include/esafety.h" ffi/include/esafety.h \
  || { echo "ffi: the installed esafety.h is not ffi/include/esafety.h" >&2; exit 1; }
readelf -d "$so" > "$work/so-dynamic.txt"
grep -q "SONAME.*\[libesafety\.so\.$abi\]" "$work/so-dynamic.txt" \
  || { echo "ffi: libesafety.so.$version has no SONAME libesafety.so.$abi" >&2; exit 1; }
readelf -S "$so" > "$work/so-sections.txt"
if grep -qE '\.symtab|\.debug_' "$work/so-sections.txt"; then
  echo "ffi: the installed libesafety.so is not stripped (it has a symbol table or debug info)" >&2
  exit 1
fi
# Into a file, not a pipe: `grep -q` stops at the first match, and with
# pipefail the SIGPIPE that ends readelf's longer output fails the check.
readelf --dyn-syms "$so" > "$work/so-syms.txt"
grep -q ' esafety_decide$' "$work/so-syms.txt" \
  || { echo "ffi: the stripped libesafety.so does not export esafety_decide" >&2; exit 1; }
say "installed libesafety.so.$version: $(stat -c %s "$so") bytes (stripped), libesafety.a: $(stat -c %s "$stage$libdir/libesafety.a") bytes"

export PKG_CONFIG_PATH="$stage$libdir/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$stage"
[ "$(pkg-config --modversion esafety)" = "$version" ]
grep '^Libs.private:' "$stage$libdir/pkgconfig/esafety.pc" > "$work/libs-private.txt"
if grep -q -- '-lgcc_s' "$work/libs-private.txt"; then
  echo "ffi: esafety.pc's Libs.private names -lgcc_s: -static cannot link it" >&2
  exit 1
fi
pc_cflags=$(pkg-config --cflags esafety)
pc_shared="$(pkg-config --libs esafety) -Wl,-rpath,$stage$libdir"
pc_static="-static $(pkg-config --static --libs esafety)"
pc_private=$(pkg-config --static --libs esafety | sed -e 's/-L[^ ]*//g' -e 's/-lesafety\b//')
pc_asan="$stage$libdir/libesafety.a $pc_private"

say "cc app.c \$(pkg-config --cflags --libs esafety) (shared, from the installed prefix)"
# shellcheck disable=SC2086
cc -o "$work/filter-pc" ffi/examples/esafety-filter.c $pc_cflags $pc_shared
readelf -d "$work/filter-pc" | grep -q "NEEDED.*\[libesafety\.so\.$abi\]" \
  || { echo "ffi: the shared build does not need libesafety.so.$abi" >&2; exit 1; }
echo "https://www.bet365.com/" | "$work/filter-pc" \
  --policy policies/secondary-pupils.toml --at 2026-03-02T10:00:00Z > "$work/filter-pc.txt"
grep -q '^block	' "$work/filter-pc.txt"

say "cc -static app.c \$(pkg-config --static --libs esafety) (from the installed prefix)"
# shellcheck disable=SC2086
cc -o "$work/filter-static" ffi/examples/esafety-filter.c $pc_cflags $pc_static 2> "$work/static-link.txt" \
  || { cat "$work/static-link.txt" >&2; echo "ffi: -static with pkg-config --static --libs esafety does not link" >&2; exit 1; }
if readelf -d "$work/filter-static" 2>/dev/null | grep -q NEEDED; then
  echo "ffi: the -static build still needs a shared library:" >&2
  readelf -d "$work/filter-static" | grep NEEDED >&2
  exit 1
fi
echo "https://www.bet365.com/" | "$work/filter-static" \
  --policy policies/secondary-pupils.toml --at 2026-03-02T10:00:00Z > "$work/filter-static.txt"
cmp -s "$work/filter-pc.txt" "$work/filter-static.txt" \
  || { echo "ffi: the static and shared builds decided differently" >&2; exit 1; }

say "ignoring a returned status does not compile (-Werror, warn_unused_result)"
# shellcheck disable=SC2086
cc -std=c99 -Wall -Wextra -Werror -c -o "$work/used.o" -DUSE_STATUS ffi/tests/ignored_status.c $pc_cflags
# shellcheck disable=SC2086
if cc -std=c99 -Wall -Wextra -Werror -c -o "$work/ignored.o" ffi/tests/ignored_status.c $pc_cflags \
     2> "$work/ignored.txt"; then
  echo "ffi: a call that ignores esafety_decide's status compiled with -Werror" >&2
  exit 1
fi
grep -q 'warn_unused_result\|unused-result' "$work/ignored.txt" \
  || { cat "$work/ignored.txt" >&2; echo "ffi: the ignored status failed for another reason" >&2; exit 1; }

say "build the C tests (gcc -std=c99 -Wall -Wextra -Werror -Wpedantic; g++ -std=c++11) in three variants"
make -s -C ffi/tests -j2 OUT="$work/build" PC_CFLAGS="$pc_cflags" \
  LIBS_shared="$pc_shared" LIBS_static="$pc_static" LIBS_asan="$pc_asan" all \
  2> "$work/make.txt" || { cat "$work/make.txt" >&2; exit 1; }
if readelf -d "$work/build/static/test_api" 2>/dev/null | grep -q NEEDED; then
  echo "ffi: the static test_api needs a shared library" >&2
  exit 1
fi
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
# Signed by the publisher, but not a bundle: verified, then refused.
"$esafety_bin" sign --key "$signed/publisher" "$signed/gambling.txt" >/dev/null

export ESAFETY_FIXTURES="$root/ffi/tests/fixtures" ESAFETY_ROOT="$root" TMPDIR="$work" ESAFETY_SIGNED="$signed"

# Runs every program of one variant, each behind the given wrapper command.
run_variant() {
  local variant=$1; shift
  local dir="$work/build/$variant"
  say "run ($variant${1:+ under $1})"
  "$@" "$dir/test_api"
  "$@" "$dir/test_threads"
  "$@" "$dir/test_signing"
  "$@" "$dir/test_records"
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
