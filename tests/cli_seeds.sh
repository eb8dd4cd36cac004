#!/usr/bin/env bash
# cli_seeds.sh DEEPQ GOLDEN — `--seed S` on the CLI means Gymnasium's reset(seed=S): the first
# frame of `deepq enjoy --env Taxi-v3 --seed S --render ansi` is the text Gymnasium 1.0.0's
# Taxi-v3 renders (render_mode="ansi") after env.reset(seed=S) — strings made with Gymnasium,
# ANSI colours included — and a different seed gives a different start.
set -euo pipefail
DEEPQ="$1"
DIR="$(mktemp -d "${TMPDIR:-/tmp}/dq_seeds.XXXXXX")"
trap 'rm -rf "$DIR"' EXIT
first_frame() { # seed -> the first 8 lines enjoy prints
  "$DEEPQ" enjoy --env Taxi-v3 --policy random --seed "$1" --episodes 1 --render ansi \
    >"$DIR/out" 2>&1 || { cat "$DIR/out"; echo "FAIL: deepq enjoy exit"; exit 1; }
  head -8 "$DIR/out"
}
check() { # seed, Gymnasium's render with \x1b escapes
  local want got
  want="$(printf '%b' "$2")"
  got="$(first_frame "$1")"
  if [ "$got" != "$want" ]; then
    echo "seed $1: deepq"; printf '%s\n' "$got" | cat -A
    echo "Gymnasium"; printf '%s\n' "$want" | cat -A
    echo "FAIL: enjoy --seed $1 does not start where Gymnasium's reset(seed=$1) does"; exit 1
  fi
}
check 0 '+---------+\n|R: | : :G|\n| : | : : |\n| : : : : |\n|\x1b[43m \x1b[0m| : | : |\n|\x1b[35mY\x1b[0m| : |\x1b[34;1mB\x1b[0m: |\n+---------+\n'
check 7 '+---------+\n|R: | : :\x1b[35mG\x1b[0m|\n| : | : : |\n| : : : : |\n|\x1b[43m \x1b[0m| : | : |\n|\x1b[34;1mY\x1b[0m| : |B: |\n+---------+\n'
echo "PASS cli_seeds"
