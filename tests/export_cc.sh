#!/usr/bin/env bash
# export_cc.sh CC CLANG FILE.c... — every exported policy compiles on its own (object only) with
# the strict flags on the host, and with clang for a Cortex-M (armv7m, freestanding:
# only the compiler's own <stddef.h>/<stdint.h> exist there). Fails on any warning.
set -euo pipefail
cc=$1 clang=$2
shift 2
[ -n "$clang" ] || { echo "export_cc: clang not found (Debian package clang; see Makefile DEB_PKGS)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
for f in "$@"; do
  b=$(basename "$f" .c)
  "$cc" -std=c99 -Wall -Wextra -Werror -pedantic -O2 -c "$f" -o "$tmp/$b.o"
  "$clang" --target=armv7m-none-eabi -mfloat-abi=soft -ffreestanding -std=c99 -Wall -Wextra \
    -Werror -pedantic -O2 -c "$f" -o "$tmp/$b.arm.o"
  readelf -h "$tmp/$b.arm.o" | grep -q "Machine: *ARM" || { echo "export_cc: $b.arm.o is not ARM"; exit 1; }
  n=$((n + 1))
done
echo "export_cc: $n files compiled for the host ($cc) and armv7m ($clang)"
