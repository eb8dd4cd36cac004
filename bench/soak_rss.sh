#!/bin/bash
# soak_rss.sh — a long CartPole run with the resident memory sampled every second from
# /proc/PID/status: after the replay buffer is full, RSS must stay flat (no leak per step,
# per episode, per log, per evaluation or per resume state). Prints the samples at 10% steps of
# the run and the growth after the buffer filled.
# Usage: [KEEP=FILE] bench/soak_rss.sh BUILD_DIR [STEPS] [BUFFER]   e.g. bench/soak_rss.sh build 1000000 50000
#   KEEP=FILE keeps the samples ("time step RSS_kB" per line).
set -u
B=${1:-build}
STEPS=${2:-1000000}
BUF=${3:-50000}
T=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] && cp "$T/rss" "$KEEP"; rm -rf "$T"' EXIT
"$B/deepq" train CartPole-v1 --steps "$STEPS" --set buffer_size="$BUF" --set eval_freq=20000 \
    --set n_eval_episodes=3 --final-episodes 3 --out "$T/run" >"$T/out" 2>&1 &
pid=$!
: >"$T/rss"
prev=0
while kill -0 $pid 2>/dev/null; do
    rss=$(awk '/^VmRSS/ { print $2 }' /proc/$pid/status 2>/dev/null)
    step=$(tail -c 400 "$T/run/train.log" 2>/dev/null | grep -o '[0-9]*/'"$STEPS" | tail -1 | cut -d/ -f1)
    step=${step:-$prev}
    prev=$step
    [ -n "$rss" ] && echo "$(date +%s) $step $rss" >>"$T/rss"
    sleep 1
done
wait $pid
rc=$?
tail -2 "$T/out"
grep 'resume states' "$T/run/train.log"
n=$(wc -l <"$T/rss")
echo "exit $rc, $n samples (time, step, RSS kB); every ~10%:"
awk -v n="$n" 'NR == 1 || NR % int(n / 10 + 1) == 0 || NR == n { printf "  step %9d  RSS %7.1f MB\n", $2, $3 / 1024 }' "$T/rss"
awk -v buf="$BUF" '$2 >= 2 * buf { if (!first) first = $3; last = $3; if ($3 > mx) { mx = $3; at = $2 }; if (!mn || $3 < mn) mn = $3 }
    END { if (first) printf "after step %d: RSS %.1f -> %.1f MB (min %.1f, max %.1f at step %d)\n", 2 * buf, first / 1024, last / 1024, mn / 1024, mx / 1024, at }' "$T/rss"
