#!/usr/bin/env bash
# preset_hashes.sh — bit-exactness guard for refactors of the DQN agent: runs every preset x env
# (5 presets x the 5 Discrete-action Box envs) plus variants that reach each code path of the
# update (float64, teaching baselines, each Rainbow part alone, threads, optimizers) for a short
# fixed step count, and prints "sha256(final.safetensors) sha256(episodes.csv) run" per run.
#   bench/preset_hashes.sh [DEEPQ_BINARY] > out.txt; diff <(grep -v "^#" bench/preset_hashes.txt) out.txt
# The committed bench/preset_hashes.txt is the baseline (see its first line for the commit).
# Steps are small and learning_starts low so that updates run: all runs take ~1 min on one core.
set -euo pipefail
BIN=${1:-build/deepq}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
STEPS=${STEPS:-1500}
COMMON=(--steps "$STEPS" --no-wall-time --final-episodes 2 --seed 3
        --set learning_starts=300 --set eval_freq=1000 --set n_eval_episodes=2)
n=0
run() { # label env preset extra-args...
    local label=$1 env=$2 preset=$3
    shift 3
    n=$((n + 1))
    local out="$TMP/r$n"
    "$BIN" train "$env" --preset "$preset" "${COMMON[@]}" "$@" --out "$out" >/dev/null 2>&1 ||
        { echo "FAILED $label"; return; }
    local h1 h2
    h1=$(sha256sum "$out/final.safetensors" | cut -c1-16)
    h2=$(sha256sum "$out/episodes.csv" | cut -c1-16)
    echo "$h1 $h2 $label"
}
ENVS=(CartPole-v1 Acrobot-v1 MountainCar-v0 LunarLander-v3 FlappyBird-v0)
for p in deepq zoo tutorial notes rainbow; do
    for e in "${ENVS[@]}"; do
        # zoo's gradient_steps 128 every 256 steps on 256x256 nets: fewer steps keep it short
        run "$p/$e" "$e" "$p"
    done
done
V=(CartPole-v1 deepq)
run "variant/float64" "${V[@]}" --set dtype=float64
run "variant/float64-single" "${V[@]}" --set dtype=float64 --set double_q=false --set loss=huber --set max_grad_norm=10
run "variant/single-q-huber-clip" "${V[@]}" --set double_q=false --set loss=huber --set max_grad_norm=10
run "variant/hard-target" "${V[@]}" --set tau=1 --set target_update_interval=100
run "variant/no-replay" "${V[@]}" --set no_replay=true
run "variant/no-target" "${V[@]}" --set no_target=true
run "variant/no-target-single" "${V[@]}" --set no_target=true --set double_q=false
run "variant/no-replay-f64" "${V[@]}" --set no_replay=true --set no_target=true --set dtype=float64
run "variant/sgd" "${V[@]}" --set optimizer=sgd --set momentum=0.9
run "variant/rmsprop" "${V[@]}" --set optimizer=rmsprop
run "variant/threads2" "${V[@]}" --set threads=2
run "variant/prefill" "${V[@]}" --set prefill=500
run "variant/train-freq-episode" "${V[@]}" --set 'train_freq=[1, "episode"]' --set gradient_steps=-1
run "variant/lin-lr-exp-eps" "${V[@]}" --set learning_rate=lin_1e-3 --set exploration_schedule=exponential
run "variant/per" "${V[@]}" --set prioritized_replay=true
run "variant/per-rank" "${V[@]}" --set prioritized_replay=true --set per_kind=rank
run "variant/nstep3" "${V[@]}" --set n_step=3
run "variant/dueling" "${V[@]}" --set dueling=true
run "variant/dueling-single" "${V[@]}" --set dueling=true --set double_q=false --set loss=huber
run "variant/c51" "${V[@]}" --set distributional=true --set v_min=0 --set v_max=100
run "variant/c51-single" "${V[@]}" --set distributional=true --set double_q=false --set v_min=0 --set v_max=100
run "variant/noisy" "${V[@]}" --set noisy=true
run "variant/noisy-last" "${V[@]}" --set noisy=true --set noisy_layers=1 --set tau=1 --set target_update_interval=100
run "variant/rainbow-no-target" CartPole-v1 rainbow --set no_target=true
run "variant/rainbow-threads2" CartPole-v1 rainbow --set threads=2
