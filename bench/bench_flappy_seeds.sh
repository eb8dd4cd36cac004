#!/usr/bin/env bash
# bench_flappy_seeds.sh — deepq's FlappyBird-v0 preset (`--preset deepq`, the default) over
# seeds: per seed, training seconds, then score (pipes passed) and return over 100 greedy
# episodes (reset seeds 10000..10099, stopped after 10000 steps) by build/bench/bench_flappy_eval,
# as bench/bench_flappy_tutorial.sh evaluates the tutorial run. Prints a markdown table.
#
#   bench/bench_flappy_seeds.sh [FIRST=0] [LAST=9] [PRESET=deepq] [OUT=runs/flappy-seeds]
# Run folders are kept under OUT (OUT/s<seed>) for `deepq enjoy`/`deepq video`.
set -euo pipefail
FIRST=${1:-0}
LAST=${2:-9}
PRESET=${3:-deepq}
OUT=${4:-runs/flappy-seeds}
BIN=${BIN:-build/deepq}
EVAL=${EVAL:-build/bench/bench_flappy_eval}
mkdir -p "$OUT"
echo "# FlappyBird-v0 --preset $PRESET, seeds $FIRST..$LAST, $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| seed | train s | score (100 ep) | min / max | capped | return (100 ep) |"
echo "|---|---|---|---|---|---|"
for s in $(seq "$FIRST" "$LAST"); do
    d="$OUT/s$s"
    rm -rf "$d"
    "$BIN" train FlappyBird-v0 --preset "$PRESET" --seed "$s" --set eval_freq=0 \
        --set checkpoint_freq=0 --final-episodes 0 --out "$d" > "$d.log"
    train=$(grep -o 'updates in [0-9.]* s' "$d.log" | awk '{print $3}')
    "$EVAL" "$d" 100 10000 10000 | python3 -c "import json,sys; j=json.load(sys.stdin); print('| $s | $train | %.2f +- %.2f | %d / %d | %d | %.2f +- %.2f |' % (j['score_mean'], j['score_std'], j['score_min'], j['score_max'], j['capped'], j['return_mean'], j['return_std']))"
done
