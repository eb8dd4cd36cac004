#!/bin/bash
# bundle.sh — pack ELF programs with every shared library they load, so they run on an x86-64
# Linux machine that has none of their packages installed (cluster nodes: docs/SCALING.md).
#   tools/bundle.sh OUT.tar.xz BIN...
# OUT.tar.xz holds one folder NAME (OUT's file name without .tar.xz):
#   NAME/real/PROG   the programs as given
#   NAME/lib/        every library ldd lists for them, libc, libm and the dynamic loader included
#   NAME/bin/PROG    a /bin/sh wrapper: lib/ld-linux-x86-64.so.2 --library-path lib real/PROG "$@"
# Run NAME/bin/PROG from anywhere (tar -xJf OUT.tar.xz -C DIR; DIR/NAME/bin/deepq train ...).
# The bundle's own loader and glibc are used, never the machine's, so only the kernel matters.
# Libraries a program opens itself with dlopen (plugins) are not seen by ldd and not packed:
# bundle a build without them (cmake -DDQ_VIZ=OFF -DCMAKE_DISABLE_FIND_PACKAGE_MPI=ON).
set -euo pipefail
die() { echo "bundle.sh: $*" >&2; exit 1; }
[ $# -ge 2 ] || die "usage: tools/bundle.sh OUT.tar.xz BIN..."
out=$1
shift
case $out in *.tar.xz) ;; *) die "$out: the output must end in .tar.xz" ;; esac
name=$(basename "$out" .tar.xz)
[ -n "$name" ] || die "$out: empty bundle name"
command -v ldd >/dev/null || die "ldd not found"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root=$stage/$name
mkdir -p "$root/bin" "$root/lib" "$root/real"

loader=""
for bin in "$@"; do
    [ -f "$bin" ] && [ -x "$bin" ] || die "$bin: not an executable file"
    [ "$(head -c 4 "$bin" | od -An -c | tr -d ' ')" = "177ELF" ] || die "$bin: not an ELF program"
    prog=$(basename "$bin")
    [ ! -e "$root/real/$prog" ] || die "$prog: given twice"
    ldd_out=$(ldd "$bin" 2>&1) || die "$bin: ldd failed: $ldd_out"
    grep -q 'not a dynamic executable' <<<"$ldd_out" && die "$bin: static program (nothing to bundle; copy it as it is)"
    missing=$(grep 'not found' <<<"$ldd_out" || true)
    [ -z "$missing" ] || die "$bin: libraries not found here: $missing"
    # "libm.so.6 => /lib/x86_64-linux-gnu/libm.so.6 (0x...)" and "/lib64/ld-linux-x86-64.so.2 (0x...)"
    while read -r soname arrow path _; do
        if [ "$arrow" = "=>" ]; then
            [ -n "$path" ] && [ "${path:0:1}" = / ] || continue # linux-vdso: in the kernel
            [ -e "$root/lib/$soname" ] || cp -L "$path" "$root/lib/$soname"
        elif [ "${soname:0:1}" = / ] && [[ $soname == */ld-linux* ]]; then
            loader=$(basename "$soname")
            [ -e "$root/lib/$loader" ] || cp -L "$soname" "$root/lib/$loader"
        fi
    done <<<"$ldd_out"
    [ -n "$loader" ] || die "$bin: ldd names no dynamic loader (ld-linux*)"
    cp -L "$bin" "$root/real/$prog"
    # The wrapper uses no other program (it may run under env -i, without PATH). DEEPQ_EXE:
    # programs that run themselves again (deepq sweep) must start the wrapper, since
    # /proc/self/exe is the loader here.
    cat >"$root/bin/$prog" <<EOF
#!/bin/sh
# $prog from a tools/bundle.sh bundle: runs real/$prog with the bundle's loader and libraries.
case \$0 in */*) here=\${0%/*}/.. ;; *) here=.. ;; esac
DEEPQ_EXE=\$0
export DEEPQ_EXE
exec "\$here/lib/$loader" --library-path "\$here/lib" "\$here/real/$prog" "\$@"
EOF
    chmod 755 "$root/bin/$prog" "$root/real/$prog"
done

chmod 755 "$root/lib/"*
tar -C "$stage" -cJf "$out.tmp" "$name"
mv "$out.tmp" "$out"
echo "$out: $# program(s), $(ls "$root/lib" | wc -l) libraries, $(du -sh "$root" | cut -f1) unpacked, $(du -h "$out" | cut -f1) packed"
