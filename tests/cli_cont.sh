#!/bin/bash
# cli_cont.sh — the continuous-action agents from the command line: `deepq train Pendulum-v1
# --algo td3|ddpg|naf|sampled` writes a run folder (config, logs, TensorBoard scalars under SB3's
# names, final.safetensors); the same seed gives identical bytes; --stop-at + resume equals the
# uninterrupted run; eval reads the checkpoint (text, --json, --q), enjoy plays it into a GIF;
# the checkpoint loads in Python to the same action and Q-values; bad input is one line and a
# non-zero exit.
# Usage: cli_cont.sh DEEPQ GOLDEN_DIR
set -u
DQ=$1
SRC=$(cd "$(dirname "$0")/.." && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fails=$((fails + 1)); }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }

A="Pendulum-v1 --algo td3 --steps 1600 --set learning_starts=400 --set batch_size=32 --set net_arch=[32,32] --set eval_freq=800 --set n_eval_episodes=2 --final-episodes 3 --seed 4 --no-wall-time"
$DQ train $A --out "$T/a" >"$T/a.out" 2>&1 || bad "train a: $(tail -2 "$T/a.out")"
$DQ train $A --out "$T/b" >/dev/null 2>&1 || bad "train b"
for f in config.yml episodes.csv evals.csv progress.csv train.log final.safetensors; do
    check "run folder has $f" "[ -s '$T/a/$f' ]"
done
check "prints where the run is" "grep -q 'run folder $T/a' '$T/a.out' && grep -q 'final greedy eval over' '$T/a.out'"
check "same seed, same checkpoint bytes" "cmp -s '$T/a/final.safetensors' '$T/b/final.safetensors'"
check "same seed, same episodes.csv" "cmp -s '$T/a/episodes.csv' '$T/b/episodes.csv'"
TBD="$(dirname "$DQ")/tests/tool_tb_dump"
"$TBD" "$T/a/tb/"*tfevents* >"$T/tb.txt" 2>/dev/null || bad "tool_tb_dump reads the events"
for tag in train/actor_loss train/critic_loss rollout/ep_rew_mean eval/mean_reward; do
    check "tb has $tag" "grep -q '^$tag ' '$T/tb.txt'"
done

# stop at an episode end after step 800, resume: the same bytes as the uninterrupted run
$DQ train $A --out "$T/c" --stop-at 800 >"$T/c.out" 2>&1 || bad "train c (stop)"
check "stopped with a resume state" "[ -s '$T/c/resume.safetensors' ] && [ ! -e '$T/c/final.safetensors' ]"
$DQ resume "$T/c" --final-episodes 3 --no-wall-time >"$T/r.out" 2>&1 || bad "resume: $(tail -2 "$T/r.out")"
check "resume equals the uninterrupted run" "cmp -s '$T/a/final.safetensors' '$T/c/final.safetensors'"
check "resumed episodes.csv and evals.csv equal" "cmp -s '$T/a/episodes.csv' '$T/c/episodes.csv' && cmp -s '$T/a/evals.csv' '$T/c/evals.csv'"

# the other algorithms run end to end
for algo in ddpg naf sampled; do
    $DQ train Pendulum-v1 --algo $algo --steps 700 --set learning_starts=300 --set batch_size=16 --set net_arch=[16] --set n_samples=8 --final-episodes 1 --out "$T/$algo" >"$T/$algo.out" 2>&1
    check "$algo trains and saves" "[ \$? -eq 0 ] && [ -s '$T/$algo/final.safetensors' ]"
done
check "zoo preset loads (td3, RL-Zoo's Pendulum entry)" "$DQ train Pendulum-v1 --algo td3 --preset zoo --steps 10 --final-episodes 0 --out '$T/zoo' >/dev/null 2>&1 && grep -q '^net_arch: \\[400, 300\\]' '$T/zoo/config.yml' && grep -q '^learning_starts: 10000' '$T/zoo/config.yml'"
check "deepq preset's MountainCarContinuous entry (td3)" "$DQ train MountainCarContinuous-v0 --algo td3 --steps 10 --final-episodes 0 --out '$T/mcc' >/dev/null 2>&1 && grep -q '^noise_type: ornstein-uhlenbeck' '$T/mcc/config.yml' && grep -q '^noise_std: 0.75' '$T/mcc/config.yml' && grep -q '^learning_starts: 10000' '$T/mcc/config.yml' && grep -q '^net_arch: \\[64, 64\\]' '$T/mcc/config.yml'"

$DQ eval "$T/a" --episodes 2 >"$T/e.out" 2>&1
check "eval a run folder" "[ \$? -eq 0 ] && grep -q 'td3 on Pendulum-v1' '$T/e.out'"
$DQ eval "$T/a/final.safetensors" --episodes 2 --json >"$T/j.out" 2>&1
check "eval --json" "[ \$? -eq 0 ] && grep -q '\"mean\"' '$T/j.out'"
$DQ enjoy "$T/a" --episodes 1 --max-steps 20 --video "$T/a.gif" >"$T/v.out" 2>&1
check "enjoy a continuous run into a GIF" "[ \$? -eq 0 ] && [ -s '$T/a.gif' ] && grep -q 'greedy td3 policy' '$T/v.out'"
$DQ train Pendulum-v1 --algo sac >"$T/x.out" 2>&1
check "unknown algo: one line, exit 2" "[ \$? -eq 2 ] && [ \$(wc -l <'$T/x.out') -eq 1 ] && grep -q 'sac' '$T/x.out'"
$DQ train CartPole-v1 --algo td3 --out "$T/cp" >"$T/x.out" 2>&1
check "Discrete env refused by td3" "[ \$? -ne 0 ] && grep -q 'Box action space' '$T/x.out'"
$DQ train Pendulum-v1 --algo naf --preset zoo >"$T/x.out" 2>&1
check "no zoo entry for naf" "[ \$? -eq 2 ] && grep -q 'RL-Zoo publishes no naf' '$T/x.out'"
$DQ train Pendulum-v1 --algo td3 --set noise_type=pink >"$T/x.out" 2>&1
check "bad noise_type" "[ \$? -eq 2 ] && grep -q 'noise_type' '$T/x.out'"

# interop: the checkpoint in Python gives deepq's action and Q-values
if python3 -c 'import safetensors, numpy' 2>/dev/null; then
    OBS=0.5,-0.3,1.2
    QC=$($DQ eval "$T/a" --q $OBS)
    QP=$(python3 "$SRC/tools/load_checkpoint.py" "$T/a/final.safetensors" --obs $OBS --numpy)
    if QC="$QC" QP="$QP" python3 -c '
import json, os, sys
a = json.loads(os.environ["QC"]); b = json.loads(os.environ["QP"])
close = lambda u, v: len(u) == len(v) and all(abs(x - y) <= 1e-5 * max(1, abs(y)) for x, y in zip(u, v))
sys.exit(0 if close(a["action"], b["action"]) and close(a["q"], b["q"]) and len(a["q"]) == 2 else 1)'
    then ok "python (numpy) action and Q-values match deepq"; else bad "python interop: $QC vs $QP"; fi
else
    echo "skip python interop (no python3 with safetensors/numpy)"
fi

echo "$fails failed"
[ $fails -eq 0 ]
