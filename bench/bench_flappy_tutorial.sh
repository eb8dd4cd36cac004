#!/usr/bin/env bash
# bench_flappy_tutorial.sh — the seed tutorial's FlappyBird DQN run in deepq (`--preset tutorial`)
# and the same loop in PyTorch on flappy-bird-gymnasium (bench/dqn_torch.py --preset
# tutorial-flappy), same seed, one after the other in this run: training wall and CPU seconds,
# then score (pipes passed) and return over 100 greedy episodes (reset seeds 10000..10099, each
# stopped after 10000 steps) — deepq's through build/bench/bench_flappy_eval.
#
#   bench/bench_flappy_tutorial.sh [STEPS=500000] [SEED=2023]
#   TORCH=0 ...          deepq only;   DEEPQ=0 ...   PyTorch only
#   PYTHON=/work/venv-ref/bin/python (needs torch, gymnasium, flappy-bird-gymnasium)
# STEPS < 500000 runs the same loop over STEPS steps (the epsilon schedule scales with it): a
# speed comparison on a prefix, not the tutorial's result.
set -euo pipefail
STEPS=${1:-500000}
SEED=${2:-2023}
BIN=${BIN:-build/deepq}
EVAL=${EVAL:-build/bench/bench_flappy_eval}
PYTHON=${PYTHON:-python3}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cpu() { awk '{printf "%.1f", $1 + $2}' "$1"; } # user + sys seconds written by /usr/bin/time
wall() { awk '{printf "%.1f", $3}' "$1"; }

echo "# FlappyBird-v0 tutorial run: $STEPS steps, seed $SEED, $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| run | train wall s | train+eval CPU s | score (100 ep) | return (100 ep) |"
echo "|---|---|---|---|---|"
if [ "${DEEPQ:-1}" != 0 ]; then
    /usr/bin/time -f "%U %S %e" -o "$TMP/deepq.time" "$BIN" train FlappyBird-v0 --preset tutorial \
        --seed "$SEED" --steps "$STEPS" --set eval_freq=0 --set checkpoint_freq=0 \
        --final-episodes 0 --out "$TMP/deepq" > "$TMP/deepq.log"
    j=$("$EVAL" "$TMP/deepq" 100 10000 10000)
    train=$(grep -o 'updates in [0-9.]* s' "$TMP/deepq.log" | awk '{print $3}')
    echo "$j" | "$PYTHON" -c "import json,sys; j=json.load(sys.stdin); print('| deepq --preset tutorial | $train | $(cpu "$TMP/deepq.time") | %.2f +- %.2f (min %d, max %d, %d capped) | %.2f +- %.2f |' % (j['score_mean'], j['score_std'], j['score_min'], j['score_max'], j['capped'], j['return_mean'], j['return_std']))"
fi
if [ "${TORCH:-1}" != 0 ]; then
    /usr/bin/time -f "%U %S %e" -o "$TMP/torch.time" "$PYTHON" -W ignore bench/dqn_torch.py \
        --env FlappyBird-v0 --preset tutorial-flappy --seed "$SEED" --steps "$STEPS" \
        > "$TMP/torch.json"
    "$PYTHON" -c "import json,sys; j=json.load(open('$TMP/torch.json')); print('| PyTorch + flappy-bird-gymnasium | %.1f | $(cpu "$TMP/torch.time") | %.2f +- %.2f (min %d, max %d, %d capped) | %.2f +- %.2f |' % (j['train_s'], j['score_mean'], j['score_std'], j['score_min'], j['score_max'], j['capped'], j['eval_mean'], j['eval_std']))"
fi
