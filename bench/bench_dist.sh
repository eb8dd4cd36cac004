#!/bin/bash
# bench_dist.sh — the numbers behind docs/SCALING.md and BENCHMARKS.md's "Sweeps and Ape-X":
#   apex   Ape-X actor throughput vs actors (mpirun -np 2, 3, 4 = 1, 2, 3 actors, oversubscribed
#          on this machine's cores): env steps/s the learner receives and bytes/s per actor, once
#          collection-bound (--updates-per-step 0.01, 10 x APEX_STEPS steps) and once at the preset's 1 update per step.
#   sweep  the deepq preset on CartPole over SEEDS seeds with STEPS steps: a shell loop of
#          `deepq train`, `deepq sweep --jobs 2`, `mpirun -np 2 deepq sweep`; wall time each,
#          and whether every run folder is byte-identical to the shell loop's.
# Usage: bench/bench_dist.sh DEEPQ [apex|sweep|all]   (env: STEPS, SEEDS, APEX_STEPS)
set -u
DQ=$(readlink -f "$1")
WHAT=${2:-all}
STEPS=${STEPS:-20000}
SEEDS=${SEEDS:-3}
APEX_STEPS=${APEX_STEPS:-30000}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
now() { date +%s.%N; }

if [ "$WHAT" = apex ] || [ "$WHAT" = all ]; then
    echo "| ranks | actors | updates/step | env steps/s at learner | updates/s | kB/s per actor (each) | B/transition |"
    echo "|---:|---:|---:|---:|---:|---|---:|"
    for ups in 0.01 1; do
        for np in 2 3 4; do
            out="$T/apex-$np-$ups"
            steps=$APEX_STEPS
            [ $ups = 1 ] || steps=$((APEX_STEPS * 10)) # collection-bound runs are 100x faster
            mpirun --oversubscribe -np $np "$DQ" train CartPole-v1 --distributed apex \
                --steps $steps --updates-per-step $ups --set eval_freq=0 --final-episodes 0 \
                --out "$out" >"$out.txt" 2>&1 || { echo "apex np $np failed"; tail "$out.txt"; continue; }
            line=$(grep '^apex: [0-9]* transitions' "$out.txt")
            sps=$(sed -n 's/.*: \([0-9]*\) env steps\/s.*/\1/p' <<<"$line")
            upd=$(sed -n 's/.* \([0-9]*\) updates\/s.*/\1/p' <<<"$line")
            bpt=$(sed -n 's/.*MB, \([0-9]*\) B\/transition.*/\1/p' <<<"$line")
            per=$(grep '^apex: actor' "$out.txt" | sed -n 's/.*steps, \([0-9.]*\) kB\/s sent/\1/p' | paste -sd/)
            echo "| $np | $((np - 1)) | $ups | $sps | $upd | $per | $bpt |"
        done
    done
fi

if [ "$WHAT" = sweep ] || [ "$WHAT" = all ]; then
    last=$((SEEDS - 1))
    A="--preset deepq --steps $STEPS --final-episodes 20 --no-wall-time"
    t0=$(now)
    for s in $(seq 0 $last); do
        "$DQ" train CartPole-v1 $A --seed $s --out "$T/loop/base/s$s" >/dev/null 2>&1
    done
    t1=$(now)
    "$DQ" sweep CartPole-v1 $A --seeds 0-$last --jobs 2 --no-plots --out "$T/jobs" >"$T/jobs.txt" 2>&1
    t2=$(now)
    mpirun --oversubscribe -np 2 "$DQ" sweep CartPole-v1 $A --seeds 0-$last --no-plots --out "$T/mpi" >"$T/mpi.txt" 2>&1
    t3=$(now)
    same() {
        for s in $(seq 0 $last); do
            for f in episodes.csv evals.csv final.safetensors; do
                cmp -s "$T/loop/base/s$s/$f" "$1/base/s$s/$f" || { echo no; return; }
            done
        done
        echo yes
    }
    echo
    echo "| how | wall s | identical to the shell loop |"
    echo "|---|---:|---|"
    printf "| shell loop of deepq train (%d seeds, one at a time) | %.1f | - |\n" $SEEDS "$(awk "BEGIN { print $t1 - $t0 }")"
    printf "| deepq sweep --jobs 2 | %.1f | %s |\n" "$(awk "BEGIN { print $t2 - $t1 }")" "$(same "$T/jobs")"
    printf "| mpirun -np 2 deepq sweep | %.1f | %s |\n" "$(awk "BEGIN { print $t3 - $t2 }")" "$(same "$T/mpi")"
    echo
    sed -n '/^| point/,/^$/p' "$T/mpi.txt"
fi
