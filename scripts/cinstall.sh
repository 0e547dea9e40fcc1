#!/usr/bin/env bash
# Builds and installs libesafety with cargo-c:
#
#   scripts/cinstall.sh --prefix /usr --destdir "$DESTDIR" --libdir /usr/lib/x86_64-linux-gnu
#
# runs `cargo cinstall --release -p esafety-ffi` with the given options
# (any cargo cinstall option: --prefix, --destdir, --libdir, --includedir,
# --target, ...) and installs include/esafety.h, lib/libesafety.so.X.Y.Z
# (SONAME libesafety.so.0.MINOR before 1.0, stripped) with its links,
# lib/libesafety.a and lib/pkgconfig/esafety.pc. Never run it under sudo:
# stage into --destdir as yourself, then copy the staged tree as root.
#
# One correction to what cargo-c writes: it copies rustc's
# native-static-libs into Libs.private verbatim, and those start with
# `-lgcc_s`, a library that exists only as a shared object, so
# `cc -static ... $(pkg-config --static --libs esafety)` cannot link. The
# C compiler driver already adds the unwinder itself (libgcc_s when linking
# dynamically, libgcc_eh with -static), so `-lgcc_s` is dropped.
set -euo pipefail
cd "$(dirname "$0")/.."

prefix=/usr/local
destdir=
libdir=
args=("$@")
while [ $# -gt 0 ]; do
  case $1 in
    --prefix) prefix=$2; shift 2 ;;
    --prefix=*) prefix=${1#--prefix=}; shift ;;
    --destdir) destdir=$2; shift 2 ;;
    --destdir=*) destdir=${1#--destdir=}; shift ;;
    --libdir) libdir=$2; shift 2 ;;
    --libdir=*) libdir=${1#--libdir=}; shift ;;
    *) shift ;;
  esac
done
command -v cargo-cinstall >/dev/null || {
  echo "cinstall: cargo-c is not installed; run scripts/setup.sh (cargo install cargo-c --locked)" >&2
  exit 2
}
case $libdir in
  '') libdir=$prefix/lib ;;
  /*) ;;
  *) libdir=$prefix/$libdir ;;
esac

cargo cinstall --release -p esafety-ffi "${args[@]}"

pc="$destdir$libdir/pkgconfig/esafety.pc"
[ -f "$pc" ] || { echo "cinstall: cargo cinstall wrote no $pc" >&2; exit 1; }
sed -i -e '/^Libs.private:/s/ -lgcc_s\b//' -e '/^Libs.private:/s/: -lgcc_s\b/:/' "$pc"
if grep -q '^Libs.private:.*-lgcc_s' "$pc"; then
  echo "cinstall: $pc still names -lgcc_s" >&2
  exit 1
fi
