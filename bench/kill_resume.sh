#!/bin/bash
# kill_resume.sh — kill -9 campaign: a run is killed at a random moment, then `deepq resume`
# finishes it (a second kill -9 may hit the resume too); the finished run must equal an
# uninterrupted one bit for bit (final.safetensors, episodes.csv without the time column), no
# file may be torn (every .safetensors loads) and no temp file may stay. Prints a Markdown table
# (docs/RELIABILITY.md).
# Usage: bench/kill_resume.sh BUILD_DIR [TRIALS] [STEPS] [SEED]
#   e.g. bench/kill_resume.sh build 10 30000 0
set -u
B=${1:-build}
TRIALS=${2:-10}
STEPS=${3:-30000}
SEED=${4:-0}
DQ="$B/deepq"
FIN="$B/tests/tool_st_finite"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
ARGS="CartPole-v1 --seed $SEED --steps $STEPS --set eval_freq=5000 --set n_eval_episodes=3 --final-episodes 3 --no-wall-time"
t0=$(date +%s.%N)
"$DQ" train $ARGS --out "$T/ref" >/dev/null 2>&1 || { echo "reference run failed"; exit 1; }
ref_s=$(echo "$(date +%s.%N) - $t0" | bc)
echo "reference: $STEPS steps in ${ref_s} s; kills at uniform times in [0.2, 0.9] x that"
echo
echo "| trial | kill at (s) | state at step | 2nd kill (resume) | resumed | final identical | episodes.csv identical | torn files | temp files after kill / after resume |"
echo "|---|---|---|---|---|---|---|---|---|"
same_all=0
for i in $(seq 1 "$TRIALS"); do
    d="$T/k$i"
    at=$(awk -v r="$RANDOM" -v s="$ref_s" 'BEGIN { printf "%.2f", s * (0.2 + 0.7 * r / 32767) }')
    "$DQ" train $ARGS --out "$d" >/dev/null 2>&1 &
    pid=$!
    sleep "$at"
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    tmp_kill=$(find "$d" -name '.*.tmp-*' | wc -l)
    step=$(strings "$d/resume.safetensors" 2>/dev/null | grep -o '"step":"[0-9]*"' | head -1 | grep -o '[0-9]*')
    second="-"
    if [ -e "$d/final.safetensors" ]; then
        resumed="finished before the kill"
    elif [ ! -e "$d/resume.safetensors" ]; then
        resumed="no state yet: train --force"
        "$DQ" train $ARGS --out "$d" --force >/dev/null 2>&1
    else
        if [ $((i % 3)) -eq 0 ]; then # every third trial: kill the resume as well
            "$DQ" resume "$d" >/dev/null 2>&1 &
            rp=$!
            sleep 0.5
            kill -9 $rp 2>/dev/null
            wait $rp 2>/dev/null
            second="after 0.5 s"
        fi
        if [ -e "$d/final.safetensors" ]; then resumed="yes (resume had finished)"
        elif "$DQ" resume "$d" >/dev/null 2>&1; then resumed=yes
        else resumed="FAILED"; fi
    fi
    same=no
    cmp -s "$d/final.safetensors" "$T/ref/final.safetensors" && same=yes && same_all=$((same_all + 1))
    epi=no
    cmp -s <(cut -d, -f1-6 "$d/episodes.csv") <(cut -d, -f1-6 "$T/ref/episodes.csv") && epi=yes
    torn=0
    for f in "$d"/*.safetensors; do "$FIN" "$f" >/dev/null 2>&1 || [ $? -eq 1 ] || torn=$((torn + 1)); done
    temps=$(find "$d" -name '.*.tmp-*' | wc -l)
    echo "| $i | $at | ${step:-none} | $second | $resumed | $same | $epi | $torn | $tmp_kill / $temps |"
done
echo
echo "$same_all/$TRIALS resumed runs bit-identical to the uninterrupted one"
