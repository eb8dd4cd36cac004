#!/bin/bash
# bench_dqn.sh — DQN speed against PyTorch / Stable-Baselines3 and learning quality over seeds.
#   bench/bench_dqn.sh speed   [REPEATS]           tutorial + Zoo CartPole runs, deepq vs Python
#   bench/bench_dqn.sh quality ENV PRESET [SEEDS] [STEPS]   final and best greedy eval, 100 episodes
# deepq runs on one core (taskset -c 0 when available), Python with torch.set_num_threads(1).
# Run from the repository root after `cmake --build build`.
set -u
DQ=${DQ:-./build/deepq}
PIN=""
command -v taskset >/dev/null && PIN="taskset -c 0"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

deepq_time() { # ENV PRESET -> seconds of training (the "in X s" of the final line)
    $PIN $DQ train "$1" --preset "$2" --seed 0 --final-episodes 0 --set eval_freq=0 \
        --set checkpoint_freq=0 --out "$T/run-$RANDOM$RANDOM" | sed -n 's/.* updates in \([0-9.]*\) s.*/\1/p'
}

best_of() { # N CMD... -> smallest output
    local n=$1; shift
    for i in $(seq "$n"); do "$@"; done | sort -g | head -1
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
    d=$(best_of "$R" deepq_time CartPole-v1 zoo)
    if python3 -c 'import stable_baselines3' 2>/dev/null; then
        p=$($PIN python3 bench/sb3_dqn.py --env CartPole-v1 --eval-episodes 0 2>/dev/null |
            python3 -c 'import json,sys; print(json.load(sys.stdin)["train_s"])')
        echo "| Zoo CartPole-v1 50k steps | $d | $p (SB3, 1 thread) | $(python3 -c "print(f'{$p/$d:.1f}x')") |"
    else
        echo "| Zoo CartPole-v1 50k steps | $d | (stable-baselines3 not installed) | |"
    fi
    ;;
quality)
    ENV=${2:-CartPole-v1}; PRESET=${3:-tutorial}; SEEDS=${4:-10}; STEPS=${5:-}
    extra=""
    [ -n "$STEPS" ] && extra="--steps $STEPS"
    echo "| seed | final (100 ep) | best.safetensors (100 ep) | train s |"
    echo "|---|---|---|---|"
    for s in $(seq 0 $((SEEDS - 1))); do
        out="$T/q-$s"
        secs=$($DQ train "$ENV" --preset "$PRESET" --seed "$s" $extra --final-episodes 0 --out "$out" |
               sed -n 's/.* updates in \([0-9.]*\) s.*/\1/p')
        f=$($DQ eval "$out/final.safetensors" --episodes 100 --seed 12345 --json |
            python3 -c 'import json,sys; print(json.load(sys.stdin)["mean"])')
        b=$($DQ eval "$out/best.safetensors" --episodes 100 --seed 12345 --json |
            python3 -c 'import json,sys; print(json.load(sys.stdin)["mean"])')
        echo "| $s | $f | $b | $secs |"
    done
    ;;
*) echo "usage: $0 speed [REPEATS] | quality ENV PRESET [SEEDS] [STEPS]"; exit 2 ;;
esac
