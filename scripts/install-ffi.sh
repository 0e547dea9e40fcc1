#!/usr/bin/env bash
# Installs libesafety (shared and static library, esafety.h, esafety.pc)
# under PREFIX, so that `cc app.c $(pkg-config --cflags --libs esafety)`
# works with PKG_CONFIG_PATH=PREFIX/lib/pkgconfig (or without it, for a
# prefix pkg-config already searches, such as /usr/local).
#
#   scripts/install-ffi.sh PREFIX            build (cargo build --release) and install
#   scripts/install-ffi.sh --no-build PREFIX install what is already built
#
# The release artefacts are taken from ${CARGO_TARGET_DIR:-target}/release.
# After installing into a system prefix run `ldconfig`; for another prefix
# set LD_LIBRARY_PATH=PREFIX/lib (or link with -Wl,-rpath,PREFIX/lib).
set -euo pipefail
cd "$(dirname "$0")/.."

build=1
if [ "${1:-}" = "--no-build" ]; then build=0; shift; fi
if [ $# -ne 1 ] || [ -z "$1" ]; then
  echo "usage: scripts/install-ffi.sh [--no-build] PREFIX" >&2
  exit 2
fi
prefix=$1
mkdir -p "$prefix"
prefix=$(cd "$prefix" && pwd)

target=${CARGO_TARGET_DIR:-target}
if [ "$build" = 1 ]; then
  cargo build --release -p esafety-ffi
fi
release="$target/release"
for f in libesafety.so libesafety.a; do
  [ -f "$release/$f" ] || { echo "install-ffi: $release/$f is missing; run cargo build --release -p esafety-ffi" >&2; exit 2; }
done

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n1)
major=${version%%.*}
rest=${version#*.}
minor=${rest%%.*}
if [ "$major" = 0 ]; then abi="0.$minor"; else abi="$major"; fi
# What a program linking libesafety.a also needs (from
# `cargo rustc -p esafety-ffi --release --crate-type staticlib -- --print native-static-libs`).
native_libs="-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc"

install -d "$prefix/include" "$prefix/lib/pkgconfig"
install -m 0644 ffi/include/esafety.h "$prefix/include/esafety.h"
install -m 0644 "$release/libesafety.a" "$prefix/lib/libesafety.a"
install -m 0755 "$release/libesafety.so" "$prefix/lib/libesafety.so.$version"
ln -sf "libesafety.so.$version" "$prefix/lib/libesafety.so.$abi"
ln -sf "libesafety.so.$abi" "$prefix/lib/libesafety.so"
sed -e "s|@PREFIX@|$prefix|" -e "s|@LIBDIR@|lib|" -e "s|@VERSION@|$version|" \
    -e "s|@NATIVE_LIBS@|$native_libs|" ffi/esafety.pc.in > "$prefix/lib/pkgconfig/esafety.pc"
echo "install-ffi: libesafety $version installed under $prefix"
