#!/usr/bin/env bash
# cli_replay.sh DEEPQ GOLDEN — `deepq replay` over EVERY recording in the golden directory
# (*.json tabular tables, *.jsonl trajectories) must exit 0: each file within its env's
# tolerance (src/env/golden.c dq_golden_tolerance: classic control bit-exact, tabular tables
# identical, LunarLander <= 1e-3 on every observation component up to the first ground contact
# with the recorded draws injected). Also: a missing file, an unknown env id and a recording
# altered by one float32 ulp make it exit non-zero with a one-line reason.
set -euo pipefail
DEEPQ="$1"
GOLDEN="$2"
shopt -s nullglob
FILES=("$GOLDEN"/*.json "$GOLDEN"/*.jsonl "$GOLDEN"/libm-numpy2/*.jsonl)
[ "${#FILES[@]}" -gt 0 ] || { echo "FAIL: no recordings in $GOLDEN"; exit 1; }
OUT="$("$DEEPQ" replay "${FILES[@]}")" || { echo "$OUT"; echo "FAIL: deepq replay exit $?"; exit 1; }
echo "$OUT" | tail -1
echo "$OUT" | grep -q "replay: ${#FILES[@]} files, ${#FILES[@]} within tolerance, 0 not" ||
  { echo "$OUT"; echo "FAIL: summary line"; exit 1; }
# Each flavour-dependent file says which flavour it passed with: NumPy 2's libm by default.
if [ -f "$GOLDEN/libm-numpy2/Pendulum-v1.jsonl" ]; then
  echo "$OUT" | grep -A2 "libm-numpy2/Pendulum-v1.jsonl" | grep -q "flavour: libm sin/cos (math=numpy, numpy=2" ||
    { echo "$OUT"; echo "FAIL: Pendulum flavour line"; exit 1; }
fi
echo "$OUT" | grep -A2 "golden/CartPole-v1.jsonl" | grep -q "flavour: SVML sin/cos" ||
  { echo "$OUT"; echo "FAIL: CartPole (AVX-512 recording) flavour line"; exit 1; }

DIR="$(mktemp -d "${TMPDIR:-/tmp}/dq_replay.XXXXXX")"
trap 'rm -rf "$DIR"' EXIT
expect_fail() { # name, then args
  local name="$1"; shift
  if "$DEEPQ" replay "$@" >"$DIR/out" 2>&1; then
    cat "$DIR/out"; echo "FAIL: $name: exit 0"; exit 1
  fi
}
expect_fail "missing file" "$DIR/none.jsonl"
grep -q "cannot open" "$DIR/out" || { cat "$DIR/out"; echo "FAIL: missing file message"; exit 1; }
echo '{"env_id": "NoSuchEnv-v9", "seed": 0, "init_obs": [0], "steps": []}' >"$DIR/unknown.jsonl"
expect_fail "unknown env" "$DIR/unknown.jsonl"
grep -q "unknown environment 'NoSuchEnv-v9'" "$DIR/out" || { cat "$DIR/out"; exit 1; }
# CartPole from state (0.01, 0.02, 0.03, 0.04), action 1: obs[1] is 0.21467919647693634
# in float32; the recording below says 0.21467918157577515 (one float32 ulp less) and must be caught.
printf '%s\n' '{"env_id": "CartPole-v1", "init_state": [0.01, 0.02, 0.03, 0.04], "init_obs": [0.01, 0.02, 0.03, 0.04], "steps": [{"a": 1, "obs": [0.010400000028312206, 0.21467918157577515, 0.030799999833106995, -0.24306872487068176], "r": 1.0, "term": false, "trunc": false}]}' >"$DIR/altered.jsonl"
expect_fail "altered recording" "$DIR/altered.jsonl"
grep -q "first disagreement: episode 0 step 1: obs\[1\]" "$DIR/out" || { cat "$DIR/out"; exit 1; }
echo "PASS cli_replay"
