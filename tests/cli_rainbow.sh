#!/bin/bash
# cli_rainbow.sh — the `rainbow` preset from the command line: listed, trains, same seed gives
# identical logs and checkpoint bytes, stop + resume equals an uninterrupted run (noisy weights
# and noise stream, PER priorities and n-step discounts are in the state file), the checkpoint
# evaluates. Usage: cli_rainbow.sh DEEPQ GOLDEN_DIR
set -u
DQ=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fails=$((fails + 1)); }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }

check "list shows rainbow" "$DQ list | grep -q rainbow"
A="CartPole-v1 --preset rainbow --steps 4000 --set c51_atoms=11 --set learning_starts=500 --set eval_freq=2000 --set checkpoint_freq=2000 --set n_eval_episodes=3 --final-episodes 5 --seed 2"
$DQ train $A --out "$T/a" >"$T/a.out" 2>&1 || bad "train a"
$DQ train $A --out "$T/b" >/dev/null 2>&1 || bad "train b"
check "config.yml has the Rainbow keys" "grep -q '^noisy: true' '$T/a/config.yml' && grep -q '^n_step: 3' '$T/a/config.yml' && grep -q '^prioritized_replay: true' '$T/a/config.yml'"
check "same seed: identical episodes.csv" "cmp -s <(cut -d, -f1-6 '$T/a/episodes.csv') <(cut -d, -f1-6 '$T/b/episodes.csv')"
check "same seed: identical checkpoint bytes" "cmp -s '$T/a/final.safetensors' '$T/b/final.safetensors'"
$DQ train $A --out "$T/c" --stop-at 2500 >"$T/c.out" 2>&1 || bad "train c (stop)"
$DQ resume "$T/c" --final-episodes 5 >"$T/c2.out" 2>&1 || bad "resume c"
check "resume: identical final checkpoint" "cmp -s '$T/a/final.safetensors' '$T/c/final.safetensors'"
check "resume: identical episodes.csv" "cmp -s <(cut -d, -f1-6 '$T/a/episodes.csv') <(cut -d, -f1-6 '$T/c/episodes.csv')"
check "resume: identical evals.csv" "cmp -s '$T/a/evals.csv' '$T/c/evals.csv'"
$DQ eval "$T/a" --episodes 3 >"$T/e.out" 2>&1 || bad "eval"
check "eval prints a return" "grep -q 'return .* +- ' '$T/e.out'"
# tools/load_checkpoint.py applies the head named in the metadata (dueling, C51, both) and gives
# deepq's own Q-values; pip installs numpy + safetensors when missing (no torch needed).
SRC=$(cd "$(dirname "$0")/.." && pwd)
if python3 -c 'import safetensors, numpy' 2>/dev/null || python3 -m pip install -q safetensors numpy >/dev/null 2>&1; then
    $DQ train CartPole-v1 --preset rainbow --steps 700 --set learning_starts=500 --set distributional=false --set eval_freq=0 --final-episodes 0 --out "$T/d" >/dev/null 2>&1 || bad "train dueling-only"
    for run in a d; do
        OBS=0.03,-0.2,0.05,0.4
        QC=$($DQ eval "$T/$run" --q $OBS)
        QP=$(python3 "$SRC/tools/load_checkpoint.py" "$T/$run/final.safetensors" --obs $OBS --numpy)
        check "python (numpy) Q-values match deepq ($run: $(python3 -c 'import sys; from safetensors import safe_open; print(safe_open(sys.argv[1], "numpy").metadata()["head"])' "$T/$run/final.safetensors"))" \
            "QC='$QC' QP='$QP' python3 -c '
import json, os, sys
a = json.loads(os.environ[\"QC\"])[\"q\"]; b = json.loads(os.environ[\"QP\"])[\"q\"]
sys.exit(0 if len(a) == len(b) == 2 and all(abs(x - y) <= 1e-5 * max(1, abs(y)) for x, y in zip(a, b)) else 1)'"
    done
else
    bad "python3 with numpy + safetensors unavailable (pip install failed)"
fi
$DQ train CartPole-v1 --preset rainbow --set n_step=0 --out "$T/x" >"$T/x.out" 2>&1
check "bad n_step: one line naming the key" "[ \$? -ne 0 ] && grep -q n_step '$T/x.out'"
echo "$fails failed"
[ $fails -eq 0 ]
