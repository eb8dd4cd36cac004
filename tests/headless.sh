#!/bin/bash
# headless.sh — deepq without drawing support (cmake -DDQ_VIZ=OFF, docs/SCALING.md).
#   headless.sh check DEEPQ GOLDEN_DIR   DEEPQ is a DQ_VIZ=OFF build: train, eval, sweep, replay
#       and export work; enjoy --video, enjoy --render human, plot, play and train --video-every
#       fail with the one-line "built without drawing support" message and exit 1 (no crash,
#       no file left behind).
#   headless.sh build SRC CMAKE GOLDEN_DIR   configures SRC with -DDQ_VIZ=OFF and
#       -DCMAKE_DISABLE_FIND_PACKAGE_MPI=ON in a temporary folder, builds the CLI alone (-O0:
#       compiling is the cost here), checks that none of cairo/SDL2/FFmpeg/giflib/MPI was
#       searched or is linked, runs the checks above on it, packs it with tools/bundle.sh and
#       runs the bundle under env -i.
set -u
MSG="deepq was built without drawing support (cmake -DDQ_VIZ=ON needs cairo, SDL2, FFmpeg, giflib)"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fails=$((fails + 1)); }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }

# works NAME CMD...: exit 0
works() {
    local name=$1; shift
    "$@" >"$T/out" 2>&1
    local rc=$?
    if [ $rc -eq 0 ]; then ok "$name"; else bad "$name (exit $rc): $(tail -2 "$T/out")"; fi
}
# refuses NAME CMD...: exit 1 and stderr is exactly one line ending in the message
refuses() {
    local name=$1; shift
    "$@" >/dev/null 2>"$T/err"
    local rc=$?
    if [ $rc -eq 1 ] && [ "$(wc -l <"$T/err")" -eq 1 ] && grep -qF ": $MSG" "$T/err"; then
        ok "$name: exit 1 with the message"
    else
        bad "$name: exit $rc, stderr: $(head -3 "$T/err")"
    fi
}

run_checks() {
    local DQ=$1 GOLDEN=$2
    works "train CartPole-v1 --steps 2000" "$DQ" train CartPole-v1 --steps 2000 --seed 1 --out "$T/run"
    check "train wrote final.safetensors" "[ -s '$T/run/final.safetensors' ]"
    check "train says it drew no plots, without a warning" \
        "grep -qF 'plots: none ($MSG)' '$T/out' && ! grep -q warning '$T/out'"
    works "eval" "$DQ" eval "$T/run" --episodes 3
    works "export --format c" "$DQ" export "$T/run" --format c --out "$T/policy.c"
    check "export wrote the C file" "[ -s '$T/policy.c' ]"
    works "replay a golden recording" "$DQ" replay "$GOLDEN/CartPole-v1.jsonl"
    works "sweep (2 seeds)" "$DQ" sweep CartPole-v1 --seeds 0-1 --steps 600 --out "$T/sw"
    check "sweep says it drew no plots" "grep -qF 'plots: none ($MSG)' '$T/out'"
    refuses "enjoy --video" "$DQ" enjoy "$T/run" --episodes 1 --video "$T/v.mp4"
    check "no video file left" "[ ! -e '$T/v.mp4' ]"
    refuses "enjoy --video (GIF)" "$DQ" enjoy --env CartPole-v1 --episodes 1 --video "$T/v.gif"
    refuses "enjoy --render human" "$DQ" enjoy --env CartPole-v1 --episodes 1 --render human
    refuses "plot" "$DQ" plot "$T/run" --out "$T/plots"
    refuses "play" "$DQ" play CartPole-v1
    refuses "train --video-every" "$DQ" train CartPole-v1 --steps 500 --video-every 1 --out "$T/v"
    check "train --video-every refused before making a run folder" "[ ! -e '$T/v' ]"
}

case ${1:-} in
check)
    run_checks "$2" "$3"
    ;;
build)
    SRC=$2 CMAKE=$3 GOLDEN=$4 B=$T/build
    if ! "$CMAKE" -S "$SRC" -B "$B" -DDQ_VIZ=OFF -DCMAKE_DISABLE_FIND_PACKAGE_MPI=ON \
        -DCMAKE_BUILD_TYPE=None >"$T/cfg" 2>&1; then
        cat "$T/cfg"; echo "FAIL configure -DDQ_VIZ=OFF"; exit 1
    fi
    ok "configure -DDQ_VIZ=OFF -DCMAKE_DISABLE_FIND_PACKAGE_MPI=ON"
    check "no drawing library or MPI searched" \
        "! grep -qE '^(CAIRO|SDL2|FFMPEG|GIF_LIB|MPI_C)[A-Za-z_]*[:=]|__pkg_config_checked_(CAIRO|SDL2|FFMPEG)' '$B/CMakeCache.txt' && ! grep -qiE \"module '(cairo|sdl2|libav)\" '$T/cfg'"
    if ! "$CMAKE" --build "$B" --target deepq_cli -j"$(nproc)" >"$T/bld" 2>&1; then
        tail -30 "$T/bld"; echo "FAIL build deepq_cli"; exit 1
    fi
    ok "build deepq_cli"
    ldd "$B/deepq" >"$T/ldd" 2>&1
    check "ldd: deepq links no cairo, SDL2, FFmpeg, giflib or MPI" \
        "[ -s '$T/ldd' ] && ! grep -qiE 'libcairo|libSDL2|libav|libswscale|libgif|libmpi' '$T/ldd'"
    run_checks "$B/deepq" "$GOLDEN"
    # tools/bundle.sh: the program with its libraries and loader runs with an empty environment
    if XZ_OPT=-0 bash "$SRC/tools/bundle.sh" "$T/hb.tar.xz" "$B/deepq" >"$T/bundle.out" 2>&1 &&
        mkdir "$T/u" && tar -xJf "$T/hb.tar.xz" -C "$T/u"; then
        ok "bundle.sh packs deepq: $(cat "$T/bundle.out")"
        check "the bundle has the loader, libc and libm" \
            "[ -s '$T/u/hb/lib/ld-linux-x86-64.so.2' ] && [ -s '$T/u/hb/lib/libc.so.6' ] && [ -s '$T/u/hb/lib/libm.so.6' ]"
        works "env -i bundle/bin/deepq train" env -i "$T/u/hb/bin/deepq" train CartPole-v1 --steps 500 --out "$T/u/run"
        check "the bundled run wrote final.safetensors" "[ -s '$T/u/run/final.safetensors' ]"
        works "env -i bundle/bin/deepq sweep (runs itself again through the wrapper)" \
            env -i "$T/u/hb/bin/deepq" sweep CartPole-v1 --seeds 0-1 --steps 300 --out "$T/u/sw"
        check "the bundled sweep's runs finished" "[ -s '$T/u/sw/base/s0/final.safetensors' ] && [ -s '$T/u/sw/base/s1/final.safetensors' ]"
    else
        bad "bundle.sh: $(tail -3 "$T/bundle.out")"
    fi
    ;;
*)
    echo "usage: headless.sh check DEEPQ GOLDEN_DIR | build SRC CMAKE GOLDEN_DIR" >&2
    exit 2
    ;;
esac
[ $fails -eq 0 ] && echo "headless: all passed" || echo "headless: $fails failed"
[ $fails -eq 0 ]
