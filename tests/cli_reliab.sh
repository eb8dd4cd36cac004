#!/bin/bash
# cli_reliab.sh — runs that go wrong stay safe: a diverging run (learning_rate 1e8) stops with
# one line naming the step and a non-zero exit, its final.safetensors is the last finite
# checkpoint and best is never non-finite. Usage: cli_reliab.sh DEEPQ GOLDEN_DIR
set -u
DQ=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fails=$((fails + 1)); }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }
FIN="$(dirname "$DQ")/tests/tool_st_finite"

# ---- NaN/Inf guard ----
$DQ train CartPole-v1 --set learning_rate=1e8 --steps 10000 --set eval_freq=1000 \
    --set n_eval_episodes=2 --final-episodes 2 --out "$T/nan" >"$T/nan.out" 2>"$T/nan.err"
rc=$?
check "diverging run exits non-zero" "[ $rc -ne 0 ]"
check "one line naming the step" "[ \$(wc -l <'$T/nan.err') -eq 1 ] && grep -q 'not finite at step [0-9]' '$T/nan.err'"
check "final is the last finite checkpoint" "grep -q 'final.safetensors = best.safetensors of step' '$T/nan.err' && cmp -s '$T/nan/final.safetensors' '$T/nan/best.safetensors'"
check "best and final are finite" "'$FIN' '$T/nan/best.safetensors' '$T/nan/final.safetensors'"
check "it stopped early" "! grep -q '^100%' '$T/nan/train.log'"

echo "$fails failed"
exit $((fails > 0))
