#!/usr/bin/env bash
# make_export_sb3.sh DEEPQ PYTHON — the fixtures of tests/python/test_export_sb3.py: a briefly
# trained CartPole checkpoint and the SB3 zip tools/export_sb3.py writes from it (PYTHON needs
# stable-baselines3; made with SB3 2.9.2, torch 2.15, gymnasium 1.0.0).
set -euo pipefail
dq=$1 py=$2
here=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
"$dq" train CartPole-v1 --steps 3000 --seed 3 --set eval_freq=0 --final-episodes 0 --out "$T/cp" >/dev/null
cp "$T/cp/final.safetensors" "$here/../fixtures/export_cp.safetensors"
"$py" "$here/../../tools/export_sb3.py" "$here/../fixtures/export_cp.safetensors" \
  "$here/../fixtures/export_cp_sb3.zip"
