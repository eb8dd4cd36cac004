#!/bin/bash
# bench_cont.sh — continuous-action agents: learning quality over seeds, and speed against
# Stable-Baselines3 on one core.
#   bench/bench_cont.sh quality ENV ALGO PRESET [SEEDS] [STEPS]
#       final greedy evaluation of each seed over 100 episodes (the one `deepq train` prints)
#       (env: JOBS=2 seeds in parallel, FIRST=K first seed, KEEP=DIR keep the run folders,
#       THRESH=90 count the seeds at or above it, SET="k=v k2=v2" override preset keys)
#   bench/bench_cont.sh speed [STEPS]
#       RL-Zoo's Pendulum-v1 TD3 entry (400x300 nets, learning_starts 10000) with SB3 and with
#       deepq, both on core 0 (taskset -c 0; torch.set_num_threads(1), deepq threads=1), in
#       this one run: wall seconds of the whole run and of the steps after learning_starts,
#       the ratio, and deepq's update GFLOP/s as % of the FP32 peak measured here
#       (STEPS: n_timesteps of both runs, default RL-Zoo's 20000)
# Run from the repository root after `cmake --build build`. PY=python with SB3 (default
# /work/venv-ref/bin/python when it exists, else python3).
set -u
DQ=${DQ:-./build/deepq}
PY=${PY:-python3}
[ -x /work/venv-ref/bin/python ] && [ "$PY" = python3 ] && PY=/work/venv-ref/bin/python
PIN=""
command -v taskset >/dev/null && PIN="taskset -c 0"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

case "${1:-}" in
quality)
    ENV=${2:?ENV}; ALGO=${3:?ALGO}; PRESET=${4:-deepq}; SEEDS=${5:-10}; STEPS=${6:-}
    extra=""
    [ -n "$STEPS" ] && extra="--steps $STEPS"
    for kv in ${SET:-}; do extra="$extra --set $kv"; done
    R=${KEEP:-$T}
    mkdir -p "$R"
    one_seed() { # SEED -> one table row (also written to $R/row-SEED)
        local s=$1 out="$R/q-$1" log
        log=$($DQ train "$ENV" --algo "$ALGO" --preset "$PRESET" --seed "$s" $extra \
              --set eval_freq=0 --final-episodes 100 --no-wall-time --out "$out")
        local secs m sd
        secs=$(echo "$log" | sed -n 's/.* updates) in \([0-9.]*\) s.*/\1/p')
        m=$(echo "$log" | sed -n 's/^final greedy evaluation: \([-0-9.]*\) +- \([0-9.]*\).*/\1/p')
        sd=$(echo "$log" | sed -n 's/^final greedy evaluation: \([-0-9.]*\) +- \([0-9.]*\).*/\2/p')
        echo "| $s | $m | $sd | $secs |" | tee "$R/row-$s"
    }
    export -f one_seed
    export DQ ENV ALGO PRESET extra R
    echo "| seed | final greedy mean (100 ep) | std | train s (wall) |"
    echo "|---|---|---|---|"
    seq "${FIRST:-0}" $((${FIRST:-0} + SEEDS - 1)) | xargs -P "${JOBS:-1}" -I{} bash -c 'one_seed {}' >/dev/null
    for s in $(seq "${FIRST:-0}" $((${FIRST:-0} + SEEDS - 1))); do cat "$R/row-$s"; done |
        tee "$R/rows"
    awk -F'|' -v thr="${THRESH:-}" '{ sf += $3; kf += ($3 >= thr) } END {
        printf "mean over %d seeds: %.1f", NR, sf / NR
        if (thr != "") printf "; >= %s: %d/%d", thr, kf, NR
        printf "\n" }' "$R/rows"
    ;;
*) echo "usage: $0 quality ENV ALGO PRESET [SEEDS] [STEPS] | speed [STEPS]"; exit 2 ;;
esac
