#!/bin/bash
# cli_export.sh — `deepq export` from the command line: a trained CartPole run and a Rainbow
# (dueling + C51 + noisy) LunarLander checkpoint export as C whose compiled program gives
# Q-values bit-identical to deepq on env observations (--check), the Q-values match
# `deepq eval --q` printed digits, --int8 reports its agreement, bad input is a one-line error.
# Usage: cli_export.sh DEEPQ GOLDEN_DIR
set -u
DQ=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fails=$((fails + 1)); }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }

$DQ train CartPole-v1 --steps 3000 --set eval_freq=0 --final-episodes 0 --seed 3 --out "$T/cp" \
  >/dev/null 2>&1 || bad "train CartPole"
$DQ export "$T/cp" --format c --out "$T/out/cartpole.c" --check 20000 >"$T/c.out" 2>&1
cat "$T/c.out"
check "C export: 20000 observations bit-identical" \
  "grep -q 'Q bit-identical 20000 (100.00%), same action 20000' '$T/c.out'"
check "header declares cartpole_act" "grep -q 'int cartpole_act(const float \*obs, float \*q_out);' '$T/out/cartpole.h'"
check "only stddef/stdint included" \
  "[ \"\$(grep '#include <' '$T/out/cartpole.c' | tr -d '\n')\" = '#include <stddef.h>#include <stdint.h>' ]"

# the exported program and `deepq eval --q` print the same digits for one observation
cat >"$T/one.c" <<'C'
#include <stdio.h>
#include "cartpole.h"
int main(void) {
    const float obs[4] = {0.01f, -0.2f, 0.03f, 0.25f};
    float q[CARTPOLE_N_ACTIONS];
    int a = cartpole_act(obs, q);
    printf("{\"action\": %d, \"q\": [%.9g, %.9g]}\n", a, (double)q[0], (double)q[1]);
    return 0;
}
C
cc -std=c99 -O2 -I"$T/out" -o "$T/one" "$T/one.c" "$T/out/cartpole.c" -lm || bad "compile one.c"
check "eval --q equals the exported program" \
  "[ \"\$('$T/one')\" = \"\$($DQ eval '$T/cp' --q 0.01,-0.2,0.03,0.25)\" ]"

$DQ train LunarLander-v3 --preset rainbow --steps 1200 --set learning_starts=600 --set c51_atoms=21 \
  --set eval_freq=0 --final-episodes 0 --seed 1 --out "$T/ll" >/dev/null 2>&1 || bad "train LunarLander rainbow"
$DQ export "$T/ll" --format c --name ll_rainbow --out "$T/out/ll.c" --check 5000 >"$T/ll.out" 2>&1
cat "$T/ll.out"
check "Rainbow LunarLander export bit-identical" \
  "grep -q 'Q bit-identical 5000 (100.00%), same action 5000' '$T/ll.out'"
check "Rainbow header names its head" "grep -q 'head: dueling+C51 expectation' '$T/out/ll.h'"

$DQ export "$T/cp" --format c --int8 --out "$T/out/cp8.c" >"$T/q8.out" 2>&1
cat "$T/q8.out"
check "int8 reports its agreement (>= 90%)" \
  "awk '/same action/ { gsub(/[(%)]/, \"\", \$NF); exit !(\$NF >= 90) }' '$T/q8.out'"
check "int8 file is smaller" \
  "[ \$(stat -c %s '$T/out/cp8.c') -lt \$(stat -c %s '$T/out/cartpole.c') ]"

check "sb3 refuses Rainbow heads in one line" \
  "$DQ export '$T/ll' --format sb3 --out '$T/ll.zip' 2>&1 | grep -q 'plain Q-network only.*dueling head C51 head noisy layers'"
check "no zip written for a refused head" "[ ! -e '$T/ll.zip' ]"
if $DQ export "$T/ll" --format onnx --out "$T/ll.onnx" >"$T/onnx.out" 2>&1; then
  check "ONNX model written (opset 13; checked in tests/python)" \
    "[ -s '$T/ll.onnx' ] && grep -q 'ONNX opset 13' '$T/onnx.out'"
else
  check "ONNX off in this build says what to install" "grep -q 'libonnx-dev' '$T/onnx.out'"
fi
check "unknown format is a usage error" \
  "$DQ export '$T/cp' --format tflite --out '$T/x.c' 2>&1 >/dev/null | grep -q tflite; [ \${PIPESTATUS[0]} -eq 2 ]"
check "--out must end in .c" "! $DQ export '$T/cp' --format c --out '$T/x.txt' 2>/dev/null"
check "bad name is one clear line" \
  "$DQ export '$T/cp' --format c --name 9lives --out '$T/x.c' 2>&1 | grep -q 'must be a C identifier'"
check "missing checkpoint fails" "! $DQ export '$T/nope' --format c --out '$T/x.c' 2>/dev/null"

echo "$fails failed"
[ "$fails" -eq 0 ]
