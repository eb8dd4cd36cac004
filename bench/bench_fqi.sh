#!/bin/bash
# bench_fqi.sh — FQI on 50k random CartPole-v1 transitions (20 iterations, gamma 0.99, greedy eval
# over 100 episodes), deepq (bench_fqi) against scikit-learn (bench_fqi_sklearn.py) in the same
# run, for kNN(30), extra-trees (50 trees, min leaf 5) and linear regression. Prints a markdown
# table: fit time of the 21 fits (deepq: best over its seeds; scikit-learn: SK_SEEDS runs) and
# the ratio, plus the mean greedy return over seeds.
# usage: bench/bench_fqi.sh [BUILD_DIR]   (env: DQ_SEEDS=5 SK_SEEDS=1 SK_ET_EVAL=20
#        MODELS="knn extratrees linear")
set -eu
BUILD=${1:-build}
DQ_SEEDS=${DQ_SEEDS:-5}
SK_SEEDS=${SK_SEEDS:-1}
MODELS=${MODELS:-"knn extratrees linear"}
HERE=$(cd "$(dirname "$0")" && pwd)
LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT
field() { # MEAN-line field: eval | fitbest
  case $2 in
    eval) sed -n 's/.*  eval \([0-9.]*\)  fit mean.*/\1/p' <<<"$1" ;;
    fitbest) sed -n 's/.*fit best \([0-9.]*\) s.*/\1/p' <<<"$1" ;;
  esac
}
echo "| model | deepq fit (s) | scikit-learn fit (s) | speed-up | deepq eval (mean of $DQ_SEEDS seeds) | scikit-learn eval ($SK_SEEDS seed) |"
echo "|---|---|---|---|---|---|"
for m in $MODELS; do
  dseeds=$DQ_SEEDS
  [ "$m" = extratrees ] && dseeds=$(( DQ_SEEDS < 2 ? DQ_SEEDS : 2 ))
  "$BUILD/bench/bench_fqi" --model "$m" --seeds "$dseeds" >"$LOG"
  cat "$LOG" >&2
  d=$(grep '^MEAN' "$LOG")
  # scikit-learn's per-step predict() of a 50-tree forest costs ~10 ms: evaluate it on fewer episodes
  sk_eval=100
  [ "$m" = extratrees ] && sk_eval=${SK_ET_EVAL:-20}
  python3 "$HERE/bench_fqi_sklearn.py" --model "$m" --seeds "$SK_SEEDS" --eval-episodes "$sk_eval" >"$LOG"
  cat "$LOG" >&2
  s=$(grep '^MEAN' "$LOG")
  dfit=$(field "$d" fitbest); sfit=$(field "$s" fitbest)
  ratio=$(python3 -c "print(f'{$sfit / max($dfit, 1e-9):.0f}x')")
  echo "| $m | $dfit | $sfit | $ratio | $(field "$d" eval) ($dseeds seeds) | $(field "$s" eval) |"
done
if [[ " $MODELS " == *" knn "* ]]; then
  "$BUILD/bench/bench_fqi" --model knn --seeds 1 --no-reuse >"$LOG"
  cat "$LOG" >&2
  echo
  echo "kNN without reusing the neighbour search (k-d tree rebuilt and re-queried every iteration): fit $(field "$(grep '^MEAN' "$LOG")" fitbest) s"
fi
