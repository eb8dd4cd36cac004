#!/bin/bash
# cli_flags.sh — what every verb of the CLI answers, through the flag tables of cli/cli.c:
# --help (exit 0) on every verb, --version, `help VERB`, numbers as RL-Zoo writes them (1e3,
# 1_000), "did you mean" for verbs, envs, flags and config keys, exit 130/143 after Ctrl-C /
# SIGTERM with the resume state saved, and the crash and late-check fixes of issue 16
# (eval --q with the wrong count, batch_size > buffer_size without replacement).
# usage: cli_flags.sh DEEPQ GOLDEN_DIR
set -u
DQ=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }

verbs=$("$DQ" --help | sed -n 's/^  \([a-z][a-z_-]*\) .*/\1/p')
[ "$(echo "$verbs" | wc -w)" -ge 13 ] && ok "--help lists $(echo $verbs | wc -w) verbs" || bad "verbs from --help: $verbs"
for v in $verbs; do
  "$DQ" "$v" --help >"$T/out" 2>&1 && grep -q "usage: deepq" "$T/out" && ok "$v --help" ||
    bad "$v --help: rc or text: $(head -2 "$T/out")"
done
"$DQ" --version | grep -qE '^deepq [0-9]+\.[0-9]+\.[0-9]+$' && ok "--version" || bad "--version"
"$DQ" help tabular | grep -q "usage: deepq tabular" && ok "help VERB" || bad "help VERB"
"$DQ" --help | grep -q "with no verb: deepq train" && ok "--help states bare deepq" || bad "bare deepq not in --help"

# suggestions: one line, exit 2
expect() { # expect RC PATTERN DESCRIPTION -- command...
  local rc=$1 pat=$2 what=$3; shift 4
  "$@" >"$T/out" 2>&1; local got=$?
  if [ "$got" = "$rc" ] && grep -q -- "$pat" "$T/out"; then ok "$what"; else bad "$what: rc $got: $(tail -2 "$T/out")"; fi
}
expect 2 "did you mean train?" "verb typo" -- "$DQ" trian
expect 2 "did you mean CartPole-v1?" "env typo" -- "$DQ" train cartpole-v1
expect 2 "did you mean CartPole-v1?" "env typo (tabular)" -- "$DQ" tabular CartPol-v1
expect 2 "did you mean --episodes?" "flag typo" -- "$DQ" tabular FrozenLake-v1 --episdes 10
expect 2 "did you mean --steps?" "flag typo (train)" -- "$DQ" train --stesp 10
expect 2 "did you mean 'learning_rate'?" "config key typo" -- "$DQ" train --set lerning_rate=1e-3
expect 2 "needs a value" "missing value" -- "$DQ" fqi CartPole-v1 --k
expect 2 "needs an integer" "bad number" -- "$DQ" tabular FrozenLake-v1 --episodes 1.5

# numbers in RL-Zoo's forms
"$DQ" train CartPole-v1 --steps 1e3 --set learning_starts=1_00 --final-episodes 1 --out "$T/num" \
  --no-wall-time >"$T/out" 2>&1 && grep -q "^n_timesteps: 1000$" "$T/num/config.yml" &&
  grep -q "^learning_starts: 100$" "$T/num/config.yml" && ok "--steps 1e3, 1_00" ||
  bad "numbers: $(tail -2 "$T/out")"

# eval --q with the wrong count: a message, not a segfault (it read the env after freeing it)
expect 2 "needs 4 comma-separated numbers" "eval --q wrong count" -- "$DQ" eval "$T/num" --q 1,2,3
"$DQ" eval "$T/num" --q 0,0,0,0 | grep -q '"action"' && ok "eval --q" || bad "eval --q right count"

# batch_size > buffer_size without replacement fails when the config is checked, not mid-run
expect 2 "batch_size 64 > buffer_size 10" "batch > buffer at check time" -- "$DQ" train \
  --set replay_with_replacement=false --set buffer_size=10 --set batch_size=64 --out "$T/bb"
[ ! -e "$T/bb" ] && ok "no run folder for a bad config" || bad "bad config left a folder"

# Ctrl-C and SIGTERM: stop at the next episode end, save the resume state, exit 128 + signal
for sig in INT TERM; do
  want=$([ $sig = INT ] && echo 130 || echo 143)
  "$DQ" train CartPole-v1 --steps 1000000 --out "$T/sig$sig" --no-wall-time >"$T/sig.out" 2>&1 &
  pid=$!
  for _ in $(seq 100); do grep -q "steps/s\|Episode\|%" "$T/sig.out" 2>/dev/null && break; sleep 0.1; done
  sleep 0.5
  kill -$sig $pid
  wait $pid; rc=$?
  if [ $rc = $want ] && [ -s "$T/sig$sig/resume.safetensors" ] && grep -q "interrupted at step" "$T/sig.out"; then
    ok "SIG$sig: exit $rc, resume state saved"
  else
    bad "SIG$sig: exit $rc (want $want): $(tail -2 "$T/sig.out")"
  fi
done

exit $fail
