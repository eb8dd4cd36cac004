#!/bin/bash
# cli_tabular.sh — `deepq tabular`: learns FrozenLake, prints Q* comparison and arrows, ends with
# one JSON object under --json, writes a q.npy numpy loads (when Python has numpy) that --load
# reads back, and rejects bad input with a one-line error.
# usage: cli_tabular.sh DEEPQ GOLDEN_DIR
set -u
DQ=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }

"$DQ" tabular FrozenLake-v1 --seed 1 --json --out "$T/run" >"$T/out" 2>&1 || bad "tabular run: $(tail -2 "$T/out")"
grep -q "greedy policy:" "$T/out" && grep -q "agrees with Q\*" "$T/out" && ok "report" || bad "report: $(cat "$T/out")"
tail -1 "$T/out" | grep -q '^{"env": "FrozenLake-v1", "algo": "tabular", "mean": 0\.7' && ok "json last line" || bad "json: $(tail -1 "$T/out")"
tail -1 "$T/out" | grep -q '"reward_threshold": 0\.7, "frac_at_threshold": 0\.' && ok "json has eval's threshold keys" || bad "threshold keys: $(tail -1 "$T/out")"
grep -q '"episodes": 1000' "$T/run/result.json" && [ -s "$T/run/q.npy" ] && [ -s "$T/run/policy.txt" ] && ok "--out files" || bad "--out files"
if python3 -c "import numpy" 2>/dev/null; then
  python3 -c "
import numpy as np, sys
q = np.load('$T/run/q.npy'); assert q.shape == (16, 4) and q.dtype == np.float64, q
np.save('$T/q32.npy', q.astype(np.float32))" && ok "numpy loads q.npy" || bad "numpy q.npy"
  "$DQ" tabular FrozenLake-v1 --load "$T/q32.npy" --eval-episodes 100 >"$T/out" 2>&1 && ok "loads a numpy table" || bad "load numpy table: $(tail -1 "$T/out")"
fi
"$DQ" tabular FrozenLake-v1 --load "$T/run/q.npy" --json >"$T/out2" 2>&1
tail -1 "$T/out2" | grep -q '"mean": 0\.7' && ok "--load evaluates the saved table" || bad "--load: $(tail -1 "$T/out2")"
"$DQ" tabular FrozenLake-v1 --kwargs is_slippery=false --episodes 2000 --algo sarsa --json >"$T/out" 2>&1 && tail -1 "$T/out" | grep -q '"mean": 1,' && ok "deterministic lake solved by sarsa" || bad "sarsa: $(tail -1 "$T/out")"

"$DQ" tabular CliffWalking-v0 --episodes 50 --eval-episodes 2 --json >"$T/out" 2>&1 && tail -1 "$T/out" | grep -q '"reward_threshold": null, "frac_at_threshold": null' && ok "no threshold: null keys" || bad "null threshold: $(tail -1 "$T/out")"

expect_fail() { # name, grep pattern, command...
  local name=$1 pat=$2; shift 2
  "$@" >"$T/out" 2>&1
  local rc=$?
  if [ $rc -ne 0 ] && grep -q -- "$pat" "$T/out" && [ "$(wc -l <"$T/out")" -le 2 ]; then ok "$name"; else bad "$name (rc $rc): $(cat "$T/out")"; fi
}
expect_fail "continuous obs" "Discrete observations" "$DQ" tabular CartPole-v1
expect_fail "unknown algo" "unknown tabular algorithm" "$DQ" tabular FrozenLake-v1 --algo double
expect_fail "bad alpha" "--alpha" "$DQ" tabular FrozenLake-v1 --alpha 2
expect_fail "wrong table" "table" "$DQ" tabular FrozenLake8x8-v1 --load "$T/run/q.npy"
printf 'garbage' >"$T/bad.npy"
expect_fail "bad npy" "bad.npy" "$DQ" tabular FrozenLake-v1 --load "$T/bad.npy"
exit $fail
