#!/bin/bash
# cli_reliab.sh — runs that go wrong stay safe: a diverging run (learning_rate 1e8) stops with
# one line naming the step and a non-zero exit, its final.safetensors is the last finite
# checkpoint and best is never non-finite; run folders: a non-empty folder that is not a run
# needs --force, a too-long --out is refused (never cut), kill -9 after the first periodic
# resume state and SIGTERM leave a folder `deepq resume` finishes, stale temp files go.
# Usage: cli_reliab.sh DEEPQ GOLDEN_DIR
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

# ---- run folders ----
mkdir -p "$T/other" && echo keep >"$T/other/notes.txt"
$DQ train CartPole-v1 --steps 300 --out "$T/other" >"$T/o.out" 2>&1
check "non-empty non-run folder refused" "[ \$? -ne 0 ] && grep -q 'not empty and is not a deepq run folder.*--force' '$T/o.out' && [ ! -e '$T/other/config.yml' ]"
$DQ train CartPole-v1 --steps 300 --final-episodes 1 --out "$T/other" --force >/dev/null 2>&1
check "--force writes into it, keeping its files" "[ -s '$T/other/final.safetensors' ] && grep -q keep '$T/other/notes.txt'"
long="$T/$(printf 'd%.0s' $(seq 1 600))"
$DQ train CartPole-v1 --steps 300 --out "$long" >"$T/l.out" 2>&1
check "too-long --out refused, nothing created" "[ \$? -ne 0 ] && grep -q 'bytes long; the limit is 511' '$T/l.out' && [ ! -e '$long' ]"

# kill -9 once the first periodic resume state exists; a stale temp file is removed on resume
$DQ train CartPole-v1 --steps 15000 --set eval_freq=0 --final-episodes 1 --out "$T/k" >/dev/null 2>&1 &
pid=$!
for i in $(seq 1 1200); do [ -e "$T/k/resume.safetensors" ] && break; sleep 0.1; done
kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
check "a periodic resume state exists before the end" "[ -s '$T/k/resume.safetensors' ] && [ ! -e '$T/k/final.safetensors' ]"
echo junk >"$T/k/.final.safetensors.tmp-AbCd12"
$DQ resume "$T/k" >"$T/k.out" 2>&1
check "resume after kill -9 finishes" "[ \$? -eq 0 ] && [ -s '$T/k/final.safetensors' ] && grep -q 'trained 15000 steps' '$T/k.out'"
check "stale temp file removed" "[ ! -e '$T/k/.final.safetensors.tmp-AbCd12' ] && grep -q 'removed 1 temp file' '$T/k.out'"

# SIGTERM is handled as Ctrl-C: the state is saved at the next episode end
$DQ train CartPole-v1 --steps 200000 --set eval_freq=0 --final-episodes 1 --out "$T/t" >"$T/t.out" 2>&1 &
pid=$!
for i in $(seq 1 600); do grep -q '^ *[0-9]*% [1-9]' "$T/t/train.log" 2>/dev/null && break; sleep 0.1; done
kill -TERM $pid; wait $pid
check "SIGTERM saves the state" "grep -q 'interrupted at step' '$T/t.out' && [ -s '$T/t/resume.safetensors' ]"
$DQ resume "$T/t" --stop-at 1 >"$T/t2.out" 2>&1
check "and the folder resumes" "[ \$? -eq 0 ] && grep -q 'resuming' '$T/t2.out'"

# a run killed before its first state: resume says so, train --force starts it again
mkdir -p "$T/e" && cp "$T/k/config.yml" "$T/e/"
$DQ resume "$T/e" >"$T/e.out" 2>&1
check "resume without a state says what to do" "[ \$? -ne 0 ] && grep -q 'no resume state yet.*--force' '$T/e.out'"
$DQ train CartPole-v1 --steps 300 --final-episodes 1 --out "$T/e" >/dev/null 2>&1
check "train refuses it without --force" "[ \$? -ne 0 ]"
$DQ train CartPole-v1 --steps 300 --final-episodes 1 --out "$T/e" --force >/dev/null 2>&1
check "and restarts it with --force" "[ \$? -eq 0 ] && [ -s '$T/e/final.safetensors' ]"

echo "$fails failed"
exit $((fails > 0))
