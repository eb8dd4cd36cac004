#!/usr/bin/env bash
# bench_export.sh — latency of one greedy action of an exported policy: the C export (compiled
# with CFLAGS, default -std=c99 -O2 -march=native) against onnxruntime's CPU inference and
# PyTorch's (one thread each, batch of one) in the same run, for the 64x64 CartPole and the
# 256x256 LunarLander networks; then the --int8 size / action-agreement table.
#   bash bench/bench_export.sh [BUILD_DIR] [PYTHON]     (PYTHON needs numpy, onnxruntime, torch)
# Policies are trained briefly (weights do not change the cost). Timing: thread CPU time.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
py=${2:-python3}
dq=$build/deepq
cflags=${CFLAGS:--std=c99 -O2 -march=native}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

"$dq" train CartPole-v1 --steps 3000 --seed 1 --set eval_freq=0 --final-episodes 0 \
  --out "$T/cp64" >/dev/null
"$dq" train LunarLander-v3 --steps 2000 --seed 1 --set "net_arch=[256, 256]" \
  --set gradient_steps=1 --set eval_freq=0 --final-episodes 0 --out "$T/ll256" >/dev/null

echo "| policy | C export (${cflags}) | onnxruntime | PyTorch | C / ORT | C / PyTorch |"
echo "|---|---|---|---|---|---|"
for p in cp64 ll256; do
  "$dq" export "$T/$p" --format c --out "$T/$p.c" >/dev/null
  "$dq" export "$T/$p" --format onnx --out "$T/$p.onnx" >/dev/null
  up=$(echo "$p" | tr a-z A-Z)
  cat >"$T/drv_$p.c" <<C
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <time.h>
#include "$p.h"
static double cpu(void) { struct timespec t; clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t); return t.tv_sec + 1e-9 * t.tv_nsec; }
int main(void) {
    static float obs[256][${up}_OBS_DIM];
    unsigned s = 1; long acc = 0, n = 0; double t0, best = 1e9;
    for (int i = 0; i < 256; i++)
        for (int k = 0; k < ${up}_OBS_DIM; k++) { s = s * 1664525u + 1013904223u; obs[i][k] = (float)(s >> 8) / 16777216.0f - 0.5f; }
    for (int rep = 0; rep < 5; rep++) {
        n = 0; t0 = cpu();
        do { for (int i = 0; i < 256; i++) acc += ${p}_act(obs[i], NULL); n += 256; } while (cpu() - t0 < 0.2);
        double us = (cpu() - t0) / n * 1e6; if (us < best) best = us;
    }
    printf("%.4f %ld\n", best, acc & 1);
    return 0;
}
C
  # shellcheck disable=SC2086
  cc $cflags -I"$T" -o "$T/drv_$p" "$T/drv_$p.c" "$T/$p.c" -lm
  c_us=$("$T/drv_$p" | cut -d' ' -f1)
  read -r ort_us torch_us < <("$py" "$here/bench_export.py" "$T/$p.onnx" "$T/$p/final.safetensors")
  name="CartPole 64x64"
  [ "$p" = cp64 ] || name="LunarLander 256x256"
  awk -v p="$name" -v c="$c_us" -v o="$ort_us" -v t="$torch_us" 'BEGIN {
    printf "| %s | %.3f us | %.2f us | %.2f us | %.1fx faster | %.1fx faster |\n", p, c, o, t, o / c, t / c }'
done

echo
echo "| policy | float32 weights | int8 weights + row scales | action agreement (10^4 env obs) | max abs dQ |"
echo "|---|---|---|---|---|"
for p in cp64 ll256; do
  line=$("$dq" export "$T/$p" --format c --int8 --out "$T/${p}_q8.c" | grep 'same action')
  params=$(awk '/static const float .*_w[0-9]+\[/ { gsub(/.*\[|\].*/, ""); s += $0 } END { print s }' "$T/$p.c")
  rows=$(awk '/static const float .*_s[0-9]+\[/ { gsub(/.*\[|\].*/, ""); s += $0 } END { print s }' "$T/${p}_q8.c")
  agree=$(echo "$line" | sed 's/.*same action [0-9]* (\([0-9.]*%\)).*/\1/')
  dqv=$(echo "$line" | sed 's/.*max |dQ| \([0-9.e+-]*\),.*/\1/')
  echo "| $p | $((params * 4)) B | $((params + rows * 4)) B | $agree | $dqv |"
done
