#!/bin/bash
# bench_dqn.sh — DQN speed against PyTorch / Stable-Baselines3 and learning quality over seeds.
#   bench/bench_dqn.sh speed   [REPEATS]           tutorial + Zoo CartPole runs, deepq vs Python
#   bench/bench_dqn.sh speed-ll [REPEATS]          Zoo LunarLander, deepq 1 and 2 threads vs SB3
#   bench/bench_dqn.sh quality ENV PRESET [SEEDS] [STEPS]   final and best greedy eval, 100 episodes
#       (env: JOBS=2 seeds in parallel, FIRST=K first seed, KEEP=DIR keep the run folders,
#       THRESH=200 count the seeds at or above it, SET="k=v k2=v2" override preset keys)
# deepq runs on one core (taskset -c 0 when available), Python with torch.set_num_threads(1).
# Run from the repository root after `cmake --build build`.
set -u
DQ=${DQ:-./build/deepq}
PIN=""
command -v taskset >/dev/null && PIN="taskset -c 0"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

deepq_time() { # ENV PRESET [THREADS] -> seconds of training (the "in X s" of the final line)
    local pin=$PIN
    [ "${3:-1}" -gt 1 ] && pin="" # the pool's threads need both cores
    $pin $DQ train "$1" --preset "$2" --seed 0 --final-episodes 0 --set eval_freq=0 \
        --set checkpoint_freq=0 --set threads="${3:-1}" --out "$T/run-$RANDOM$RANDOM" |
        sed -n 's/.* updates in \([0-9.]*\) s.*/\1/p'
}

best_of() { # N CMD... -> smallest output
    local n=$1; shift
    for i in $(seq "$n"); do "$@"; done | sort -g | head -1
}

zoo_rows() { # ENV LABEL REPEATS: deepq's Zoo run on 1 and 2 threads against SB3's on 1
    local d1 d2 p
    d1=$(best_of "$3" deepq_time "$1" zoo 1)
    d2=$(best_of "$3" deepq_time "$1" zoo 2)
    if python3 -c 'import stable_baselines3' 2>/dev/null; then
        p=$($PIN python3 bench/sb3_dqn.py --env "$1" --eval-episodes 0 2>/dev/null |
            python3 -c 'import json,sys; print(json.load(sys.stdin)["train_s"])')
        echo "| Zoo $1 $2 | $d1 | $p (SB3, 1 thread) | $(python3 -c "print(f'{$p/$d1:.1f}x')") |"
        echo "| Zoo $1 $2, threads=2 | $d2 | $p (SB3, 1 thread) | $(python3 -c "print(f'{$p/$d2:.1f}x')") |"
    else
        echo "| Zoo $1 $2 | $d1 | (stable-baselines3 not installed) | |"
        echo "| Zoo $1 $2, threads=2 | $d2 | (stable-baselines3 not installed) | |"
    fi
}

case "${1:-speed}" in
speed)
    R=${2:-3}
    echo "| run | deepq (s, best of $R) | reference (s) | speed-up |"
    echo "|---|---|---|---|"
    d=$(best_of "$R" deepq_time CartPole-v1 tutorial)
    p=$($PIN python3 bench/dqn_torch.py --preset tutorial --eval-episodes 0 2>/dev/null |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["train_s"])')
    echo "| tutorial CartPole-v1 80k steps | $d | $p (PyTorch loop, 1 thread) | $(python3 -c "print(f'{$p/$d:.1f}x')") |"
    zoo_rows CartPole-v1 "50k steps" "$R"
    ;;
speed-ll)
    echo "| run | deepq (s, best of ${2:-1}) | reference (s) | speed-up |"
    echo "|---|---|---|---|"
    zoo_rows LunarLander-v3 "100k steps" "${2:-1}"
    ;;
quality)
    # JOBS=N runs N seeds at once (each single-threaded); FIRST=K starts at seed K; KEEP=DIR
    # keeps the run folders in DIR. Rows come out in seed order, then a summary line.
    ENV=${2:-CartPole-v1}; PRESET=${3:-tutorial}; SEEDS=${4:-10}; STEPS=${5:-}
    extra=""
    [ -n "$STEPS" ] && extra="--steps $STEPS"
    for kv in ${SET:-}; do extra="$extra --set $kv"; done
    R=${KEEP:-$T}
    mkdir -p "$R"
    one_seed() { # SEED -> one table row (also written to $R/row-SEED)
        local s=$1 out="$R/q-$1"
        local secs f b
        secs=$($DQ train "$ENV" --preset "$PRESET" --seed "$s" $extra --final-episodes 0 --out "$out" |
               sed -n 's/.* updates in \([0-9.]*\) s.*/\1/p')
        f=$($DQ eval "$out/final.safetensors" --episodes 100 --seed 12345 --json |
            python3 -c 'import json,sys; print(round(json.load(sys.stdin)["mean"], 1))')
        b=$($DQ eval "$out/best.safetensors" --episodes 100 --seed 12345 --json |
            python3 -c 'import json,sys; print(round(json.load(sys.stdin)["mean"], 1))')
        echo "| $s | $f | $b | $secs |" | tee "$R/row-$s"
    }
    export -f one_seed
    export DQ ENV PRESET extra R
    echo "| seed | final (100 ep) | best.safetensors (100 ep) | train s |"
    echo "|---|---|---|---|"
    seq "${FIRST:-0}" $((${FIRST:-0} + SEEDS - 1)) | xargs -P "${JOBS:-1}" -I{} bash -c 'one_seed {}' >/dev/null
    for s in $(seq "${FIRST:-0}" $((${FIRST:-0} + SEEDS - 1))); do cat "$R/row-$s"; done |
        tee "$R/rows"
    awk -F'|' -v thr="${THRESH:-}" '{ sf += $3; sb += $4; kf += ($3 >= thr); kb += ($4 >= thr) } END {
        printf "mean over %d seeds: final %.1f, best %.1f", NR, sf / NR, sb / NR
        if (thr != "") printf "; >= %s: final %d/%d, best %d/%d", thr, kf, NR, kb, NR
        printf "\n" }' "$R/rows"
    ;;
*) echo "usage: $0 speed [REPEATS] | speed-ll [REPEATS] | quality ENV PRESET [SEEDS] [STEPS]"; exit 2 ;;
esac
