#!/bin/bash
# many_core.sh — the 10-seed tables of docs/BENCHMARKS.md that do not fit a 2-core machine, as
# `deepq sweep`s sharing the cores of a bigger one (each sweep a local work queue, --jobs):
#   pendulum-zoo   Pendulum-v1, RL-Zoo presets, --grid algo=td3,ddpg (400x300 nets, 20k steps)
#   pendulum-deepq Pendulum-v1, deepq presets, --grid algo=td3,ddpg,naf,sampled (the ablation)
#   lunar-n1       LunarLander-v3, deepq preset (n_envs 1)
#   lunar-n8       LunarLander-v3, deepq preset with n_envs 8, train_freq 1, tau 0.04
# Cores left over when the sweeps end run the fuzz harnesses (if FUZZ_DIR holds them) until the
# deadline. Every sweep writes DIR/<name>/results.md; a summary goes to stdout.
# Usage: bench/many_core.sh DEEPQ OUT_DIR [SECONDS] [SEEDS]
#   env: JOBS="pz pd l1 l8" jobs per sweep (default for 16 cores: "6 3 3 3"), FUZZ_DIR=dir of
#   fuzz_* binaries (tests/fuzz), FUZZ_CORPUS=dir with one corpus folder per harness, STEPS=N
#   n_timesteps of every run (a quick check of the script).
set -u
DQ=$1
OUT=$2
SECS=${3:-480}
SEEDS=${4:-0-9}
read -r JPZ JPD JL1 JL8 <<<"${JOBS:-6 3 3 3}"
T0=$(date +%s)
DEADLINE=$((T0 + SECS))
mkdir -p "$OUT"
common="--seeds $SEEDS --no-plots --no-wall-time ${STEPS:+--steps $STEPS}"
sweep() { # NAME JOBS ARGS...
    local name=$1 jobs=$2
    shift 2
    "$DQ" sweep "$@" $common --jobs "$jobs" --out "$OUT/$name" >"$OUT/$name.log" 2>&1
    echo "$name: exit $? after $(($(date +%s) - T0)) s"
}
sweep pendulum-zoo "$JPZ" Pendulum-v1 --preset zoo --grid algo=td3,ddpg &
sweep pendulum-deepq "$JPD" Pendulum-v1 --preset deepq --grid algo=td3,ddpg,naf,sampled &
sweep lunar-n1 "$JL1" LunarLander-v3 --preset deepq &
sweep lunar-n8 "$JL8" LunarLander-v3 --preset deepq --set n_envs=8 --set train_freq=1 \
    --set tau=0.04 &
# Stop the sweeps at the deadline (SIGTERM: running runs save their state; a rerun continues).
(sleep "$SECS"; pkill -TERM -f "deepq sweep" 2>/dev/null) &
killer=$!
wait %1 %2 %3 %4
kill $killer 2>/dev/null
left=$((DEADLINE - $(date +%s) - 10))
if [ -n "${FUZZ_DIR:-}" ] && [ "$left" -gt 30 ]; then
    echo "fuzzing for $left s on $(nproc) cores"
    mkdir -p "$OUT/fuzz"
    hs=$(ls "$FUZZ_DIR" | sed -n 's/^fuzz_//p')
    n=$(echo $hs | wc -w)
    per=$(($(nproc) / n))
    [ "$per" -lt 1 ] && per=1
    for h in $hs; do
        mkdir -p "$OUT/fuzz/corpus-$h"
        for i in $(seq "$per"); do # independent instances sharing one growing corpus folder
            ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
                "$FUZZ_DIR/fuzz_$h" -max_total_time="$left" -timeout=20 -rss_limit_mb=2048 \
                -max_len=65536 -artifact_prefix="$OUT/fuzz/$h-" -print_final_stats=1 \
                "$OUT/fuzz/corpus-$h" ${FUZZ_CORPUS:+"$FUZZ_CORPUS/$h"} >"$OUT/fuzz/$h.$i.log" 2>&1 &
        done
    done
    wait
    for h in $hs; do
        printf '%-12s instances=%s s=%s execs=%s cov=%s corpus=%s crashes=%s\n' "$h" "$per" "$left" \
            "$(cat "$OUT/fuzz/$h".*.log | grep -o 'stat::number_of_executed_units: *[0-9]*' | awk '{ s += $2 } END { print s }')" \
            "$(cat "$OUT/fuzz/$h".*.log | grep -o 'cov: [0-9]*' | awk '$2 > m { m = $2 } END { print m }')" \
            "$(ls "$OUT/fuzz/corpus-$h" | wc -l)" \
            "$(ls "$OUT/fuzz" | grep -c "^$h-")"
    done
fi
for s in pendulum-zoo pendulum-deepq lunar-n1 lunar-n8; do
    echo "== $s"
    sed -n '1,/^$/p' "$OUT/$s/results.md" 2>/dev/null
done
