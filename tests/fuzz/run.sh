#!/bin/bash
# run.sh — `make fuzz`: build the libFuzzer harnesses of tests/fuzz with clang (ASan + UBSan +
# coverage) in build-fuzz/ and run each for SECONDS seconds (default 60), starting from the
# committed seeds (tests/fuzz/corpus/NAME, never written to) and growing build-fuzz/corpus/NAME.
# Crashes land in build-fuzz/findings/. Prints one summary line per harness (cpu= is the CPU
# seconds the harness used). With CPU=1, SECONDS counts CPU time instead of wall time: on a
# shared machine each harness runs until it has used SECONDS of CPU (a campaign of N CPU-hours
# is N hours of CPU whatever else runs beside it).
# Usage: [CPU=1] tests/fuzz/run.sh [SECONDS] [HARNESS...]
set -u
SECS=${1:-60}
shift || true
B=${FUZZ_BUILD:-build-fuzz}
ALL="safetensors state yaml npy golden csv tb kwargs"
HS=${*:-$ALL}
CC=clang-14 CXX=clang++-14 cmake -S . -B "$B" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDQ_FUZZ=ON >/dev/null || exit 1
targets=""
for h in $HS; do targets="$targets fuzz_$h"; done
cmake --build "$B" -j "${JOBS:-2}" --target $targets >/dev/null || exit 1
mkdir -p "$B/findings"
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
fail=0
for h in $HS; do
    mkdir -p "$B/corpus/$h"
    log="$B/findings/$h.log"
    wall=$SECS
    [ "${CPU:-0}" = 1 ] && wall=$((SECS * 50)) # the CPU watcher below ends it
    "$B/tests/fuzz/fuzz_$h" -max_total_time="$wall" -timeout=20 -rss_limit_mb=2048 -max_len=65536 \
        -artifact_prefix="$B/findings/$h-" -print_final_stats=1 \
        "$B/corpus/$h" "tests/fuzz/corpus/$h" >"$log" 2>&1 &
    pid=$!
    tick=$(getconf CLK_TCK)
    cpu=0
    while kill -0 $pid 2>/dev/null; do
        # utime + stime of the fuzzer (fields 14 and 15 of /proc/PID/stat, after the name)
        t=$(sed 's/.*) //' /proc/$pid/stat 2>/dev/null | awk '{ print $12 + $13 }')
        [ -n "$t" ] && cpu=$((t / tick))
        if [ "${CPU:-0}" = 1 ] && [ "$cpu" -ge "$SECS" ]; then
            kill -INT $pid # libFuzzer prints its final stats and exits 0... or 72 on SIGINT
            wait $pid
            rc=0
            break
        fi
        sleep 2
    done
    [ "${CPU:-0}" = 1 ] && [ "$cpu" -ge "$SECS" ] || { wait $pid; rc=$?; }
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*')
    ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*')
    n=$(ls "$B/corpus/$h" | wc -l)
    printf '%-12s rc=%d cpu=%ss execs=%s cov=%s ft=%s corpus=%s\n' "$h" "$rc" "$cpu" "${runs:-?}" "${cov:-?}" "${ft:-?}" "$n"
    [ $rc -ne 0 ] && fail=1 && grep -m3 -E 'ERROR|SUMMARY|runtime error' "$log"
done
exit $fail
