#!/bin/bash
# cli_tutorial.sh — docs/TUTORIAL.md shows what the program prints: every `$ deepq ...` command of
# its console blocks whose first words match ONLY (a regex; default: the fast ones) is run in a
# scratch folder, and each line shown under it must appear in the output, in order, after
# masking what varies from run to run (speeds, times, ETA). "..." lines stand for omitted ones.
# Usage: cli_tutorial.sh DEEPQ GOLDEN_DIR [ONLY]
set -u
DQ=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=$(cd "$(dirname "$0")/.." && pwd)
ONLY=${3:-'^deepq (tabular FrozenLake-v1|tabular CliffWalking|train CartPole-v1|eval runs/dqn)'}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/bin" "$T/work"
ln -s "$DQ" "$T/bin/deepq"
export PATH="$T/bin:$PATH"
fails=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fails=$((fails + 1)); }

# what varies between runs of the same command: speeds, wall times, ETA
mask() {
    sed -E -e 's/[0-9]+ steps\/s/N steps\/s/g' -e 's/ETA [0-9hms?]+/ETA T/g' \
        -e 's/ in [0-9.]+ s([;,)]|$)/ in T s\1/g' -e 's/fit [0-9.]+ s/fit T s/g' \
        -e 's/\( *[0-9.]+ s\)/(T s)/g' -e 's/"seconds": [0-9.e+-]+/"seconds": T/g'
}

# console blocks -> one file per command: line 1 the command, then the lines shown
awk -v dir="$T" '
    /^```console/ { inb = 1; next }
    /^```/ { inb = 0; next }
    inb && /^\$ / { n++; f = sprintf("%s/cmd%03d", dir, n); print substr($0, 3) > f; next }
    inb && n { print >> f }
' "$SRC/docs/TUTORIAL.md"

n_run=0
for f in "$T"/cmd*; do
    cmd=$(head -1 "$f")
    echo "$cmd" | grep -Eq "$ONLY" || continue
    n_run=$((n_run + 1))
    (cd "$T/work" && bash -c "$cmd" </dev/null 2>&1) | mask >"$f.out"
    tail -n +2 "$f" | mask >"$f.want"
    # every shown line in order (a subsequence of the output); "..." skips
    missing=$(awk 'NR == FNR { got[++ng] = $0; next }
                   $0 == "..." { next }
                   { while (++k <= ng && got[k] != $0) {} if (k > ng) { print; exit } }' \
              "$f.out" "$f.want")
    if [ -z "$missing" ]; then ok "$cmd"; else
        bad "$cmd: shown line not printed (or out of order): $missing"
    fi
done
[ $n_run -ge 1 ] || bad "no tutorial command matched '$ONLY'"
echo "$fails failed"
exit $((fails > 0))
