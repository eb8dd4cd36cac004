#!/bin/bash
# install_outside.sh — `cmake --install` into a temporary prefix, then build examples/outside
# against the installed copy twice (find_package(deepq) and pkg-config) and run both programs;
# and the installed libraries export dq_ names only (nm -g --defined-only); a program on
# libdeepq_viz builds through both package files too in a -DDQ_VIZ=OFF build.
# usage: install_outside.sh BUILD_DIR SOURCE_DIR
set -u
B=$1
S=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }

cmake --install "$B" --prefix "$T/prefix" >"$T/install.log" 2>&1 || { bad "install: $(tail -3 "$T/install.log")"; exit 1; }
P=$T/prefix
LIBDIR=$(ls -d "$P"/lib*/pkgconfig | head -1 | xargs dirname)
for f in include/deepq/dqn.h include/deepq/common.h bin/deepq; do
  [ -e "$P/$f" ] && ok "installed $f" || bad "missing $f"
done
for f in libdeepq.a libdeepq_viz.a pkgconfig/deepq.pc pkgconfig/deepq-viz.pc cmake/deepq/deepqConfig.cmake; do
  [ -e "$LIBDIR/$f" ] && ok "installed lib/$f" || bad "missing lib/$f"
done

# only dq_ names global in the installed libraries (static and, when built, shared)
for lib in "$LIBDIR"/libdeepq*.a "$LIBDIR"/libdeepq*.so; do
  [ -e "$lib" ] || continue
  n_all=$(nm -g --defined-only "$lib" 2>/dev/null | awk 'NF==3{print $3}' | sort -u | wc -l)
  others=$(nm -g --defined-only "$lib" 2>/dev/null | awk 'NF==3{print $3}' | grep -v '^dq_' | sort -u)
  if [ "$n_all" -gt 0 ] && [ -z "$others" ]; then ok "$(basename "$lib"): $n_all global names, all dq_"
  else bad "$(basename "$lib"): non-dq_ globals: $(echo $others | head -c 400)"; fi
done

# 1. CMake package
cmake -S "$S/examples/outside" -B "$T/cm" -DCMAKE_PREFIX_PATH="$P" -DCMAKE_BUILD_TYPE=Release \
  >"$T/cm.log" 2>&1 && cmake --build "$T/cm" >>"$T/cm.log" 2>&1 ||
  bad "find_package build: $(grep -i error "$T/cm.log" | head -3)"
if [ -x "$T/cm/outside" ]; then
  "$T/cm/outside" >"$T/cm.out" 2>&1 && grep -q "from outside: 3000 steps trained" "$T/cm.out" &&
    ok "find_package(deepq) program runs: $(cat "$T/cm.out")" || bad "find_package program: $(cat "$T/cm.out")"
fi

# 2. pkg-config
export PKG_CONFIG_PATH=$LIBDIR/pkgconfig
if cc "$S/examples/outside/main.c" $(pkg-config --cflags --libs deepq) -o "$T/pc_outside" >"$T/pc.log" 2>&1; then
  # with DQ_SHARED, -ldeepq finds libdeepq.so: the loader must find it too
  LD_LIBRARY_PATH=$LIBDIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} "$T/pc_outside" >"$T/pc.out" 2>&1 && grep -q "from outside: 3000 steps trained" "$T/pc.out" &&
    ok "pkg-config program runs" || bad "pkg-config program: $(cat "$T/pc.out")"
  # the core library pulls in no drawing libraries
  if LD_LIBRARY_PATH=$LIBDIR ldd "$T/pc_outside" | grep -qE 'cairo|SDL2|avcodec|libgif'; then bad "core program links drawing libraries"
  else ok "core program links no cairo/SDL2/FFmpeg/giflib"; fi
else
  bad "pkg-config build: $(head -5 "$T/pc.log")"
fi
# the same two programs print the same (same seeds, same library)
[ -s "$T/cm.out" ] && cmp -s "$T/cm.out" "$T/pc.out" && ok "both builds print the same" || bad "outputs differ"

# 3. libdeepq_viz through both package files: an outside program links it (its renderers use
# only what the installed libdeepq.a exports), and in a -DDQ_VIZ=OFF build it links no drawing
# library and dq_viz_available says why.
VIZ=ON
grep -q '^DQ_VIZ:BOOL=OFF' "$B/CMakeCache.txt" && VIZ=OFF
mkdir -p "$T/viz"
cat >"$T/viz/main.c" <<'EOF_C'
#include <stdio.h>
#include <stdlib.h>
#include "deepq/render.h"
/* One frame of Taxi and of LunarLander: their renderers use libdeepq's env tables. */
static int frame(const char *id) {
    dq_env *env;
    dq_renderer *r;
    dq_error err;
    float obs[16];
    if (dq_env_make(id, NULL, &env, &err)) return 1;
    dq_env_reset(env, 1, obs);
    int bad = dq_renderer_create(env, &r, &err) != DQ_OK;
    if (!bad) {
        uint8_t *rgb = malloc((size_t)dq_renderer_width(r) * dq_renderer_height(r) * 3);
        bad = !rgb || dq_render_frame(env, r, rgb, &err) != DQ_OK;
        free(rgb);
        dq_renderer_destroy(r);
    }
    dq_env_free(env);
    return bad;
}
int main(void) {
    dq_error err = {0};
    dq_status st = dq_viz_available(&err);
    if (st == DQ_OK && (frame("Taxi-v3") || frame("LunarLander-v3"))) st = DQ_EINVAL;
    printf("%s\n", st == DQ_OK ? "viz on" : err.msg);
    return 0;
}
EOF_C
cat >"$T/viz/CMakeLists.txt" <<'EOF_CM'
cmake_minimum_required(VERSION 3.20)
project(viz_outside LANGUAGES C)
find_package(deepq REQUIRED)
add_executable(viz main.c)
target_link_libraries(viz PRIVATE deepq::deepq_viz)
EOF_CM
want="viz on"
[ $VIZ = OFF ] && want="deepq was built without drawing support (cmake -DDQ_VIZ=ON needs cairo, SDL2, FFmpeg, giflib)"
cmake -S "$T/viz" -B "$T/vizcm" -DCMAKE_PREFIX_PATH="$P" >"$T/vizcm.log" 2>&1 && cmake --build "$T/vizcm" >>"$T/vizcm.log" 2>&1 ||
  bad "find_package deepq::deepq_viz build (DQ_VIZ=$VIZ): $(grep -i error "$T/vizcm.log" | head -3)"
cc "$T/viz/main.c" $(pkg-config --cflags --libs deepq-viz) -o "$T/viz/pc_viz" >"$T/vizpc.log" 2>&1 ||
  bad "pkg-config deepq-viz build (DQ_VIZ=$VIZ): $(head -3 "$T/vizpc.log")"
for prog in "$T/vizcm/viz" "$T/viz/pc_viz"; do
  [ -x "$prog" ] || continue
  out=$(LD_LIBRARY_PATH=$LIBDIR "$prog" 2>&1)
  [ "$out" = "$want" ] && ok "DQ_VIZ=$VIZ: $(basename "$prog") says: $out" || bad "DQ_VIZ=$VIZ: $(basename "$prog") says: $out"
  if [ $VIZ = OFF ]; then
    if LD_LIBRARY_PATH=$LIBDIR ldd "$prog" | grep -qE 'cairo|SDL2|avcodec|libgif'; then bad "DQ_VIZ=OFF: $(basename "$prog") links drawing libraries"
    else ok "DQ_VIZ=OFF: $(basename "$prog") links no cairo/SDL2/FFmpeg/giflib"; fi
  fi
done
exit $fail
