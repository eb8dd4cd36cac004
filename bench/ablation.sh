#!/usr/bin/env bash
# ablation.sh — the Rainbow ablation: each extension added alone to Double DQN, plus plain DQN
# and the full rainbow preset, over seeds, on one env. Prints one RESULT line per run (see
# bench/bench_ablation.c) and a summary table: final greedy eval over 100 episodes (mean +- std
# across seeds of the per-seed means) and the area under the learning curve (mean of the
# periodic 10-episode eval means every eval_freq = 10000 steps, averaged over seeds; pass e.g.
# EXTRA="eval_freq=2000" for a finer curve). With LOG=file the RESULT and CURVE
# lines are also written there (bench/ablation_plot.py LOG out.png draws the curves).
#
#   bench/ablation.sh [ENV] [SEEDS] [BUILD_DIR]      e.g.  bench/ablation.sh CartPole-v1 "1 2 3 4 5"
#
# Base ("+Double"): the `rainbow` preset with every extension switched off — Double DQN with the
# same hyperparameters (64x64 ReLU, Adam 1e-3, batch 64, Huber, grad clip 10, hard target copy
# every 500 steps, train_freq 1, learning_starts 1000) and epsilon 1 -> 0.02 over 20% of the
# steps. Each "+X" row switches on one extension with the rainbow preset's value for it (PER
# with alpha 0.6 there, the preset's Rainbow uses 0.5). Runs one at a time (nice).
set -euo pipefail
ENV=${1:-CartPole-v1}
SEEDS=${2:-"1 2 3 4 5"}
BUILD=${3:-build}
BIN="$BUILD/bench/bench_ablation"
[ -x "$BIN" ] || { echo "ablation.sh: $BIN not built (cmake --build $BUILD)" >&2; exit 1; }
case "$ENV" in
  CartPole-v1) SUP="v_min=0 v_max=100"; GOAL=475 ;;
  Acrobot-v1)  SUP="v_min=-100 v_max=0"; GOAL=-100 ;;
  *)           SUP="v_min=-200 v_max=200"; GOAL=200 ;;
esac
declare -a NAMES=("DQN" "+Double" "+PER" "+n-step" "+dueling" "+C51" "+noisy" "Rainbow")
BASE="rainbow prioritized_replay=false n_step=1 dueling=false distributional=false noisy=false exploration_fraction=0.2 exploration_final_eps=0.02"
declare -a ARGS=(
  "$BASE double_q=false"
  "$BASE"
  "$BASE prioritized_replay=true per_alpha=0.6"
  "$BASE n_step=3"
  "$BASE dueling=true"
  "$BASE distributional=true $SUP"
  "$BASE noisy=true"
  "rainbow"
)
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT
for i in "${!NAMES[@]}"; do
  set -- ${ARGS[$i]}
  preset=$1; shift
  for s in $SEEDS; do
    lines=$(nice "$BIN" "$ENV" "$preset" "$s" "$@" ${EXTRA:-})
    line=$(echo "$lines" | grep '^RESULT')
    echo "$line ${NAMES[$i]}"
    echo "${NAMES[$i]} $line" >> "$OUT"
    if [ -n "${LOG:-}" ]; then echo "$lines" | sed "s/\$/ ${NAMES[$i]}/" >> "$LOG"; fi
  done
done
echo
echo "| $ENV | final eval (100 ep) mean ± std over seeds | seeds >= $GOAL | AUC (mean eval) | train s/run |"
echo "|---|---:|---:|---:|---:|"
for n in "${NAMES[@]}"; do
  awk -v n="$n" -v goal="$GOAL" '$1 == n { f[++k] = $7; a += $9; t += $10 }
    END { m = 0; for (i = 1; i <= k; i++) m += f[i]; m /= k; v = 0;
          for (i = 1; i <= k; i++) v += (f[i] - m) ^ 2; sd = (k > 1) ? sqrt(v / (k - 1)) : 0;
          top = 0; for (i = 1; i <= k; i++) if (f[i] >= goal) top++;
          printf "| %s | %.1f ± %.1f | %d/%d | %.1f | %.1f |\n", n, m, sd, top, k, a / k, t / k }' "$OUT"
done
