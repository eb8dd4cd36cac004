#!/bin/bash
# bench_cont.sh — continuous-action agents: learning quality over seeds, and speed against
# Stable-Baselines3 on one core.
#   bench/bench_cont.sh quality ENV ALGO PRESET [SEEDS] [STEPS]
#       final greedy evaluation of each seed over 100 episodes (the one `deepq train` prints)
#       (env: JOBS=2 seeds in parallel, FIRST=K first seed, KEEP=DIR keep the run folders,
#       THRESH=90 count the seeds at or above it, SET="k=v k2=v2" override preset keys)
#   bench/bench_cont.sh speed [STEPS]
#       RL-Zoo's Pendulum-v1 TD3 entry (400x300 nets, learning_starts 10000) with SB3 and with
#       deepq, both on core 0 (taskset -c 0; torch.set_num_threads(1), deepq threads=1), in
#       this one run: wall seconds of the whole run and of the steps after learning_starts,
#       the ratio, and deepq's update GFLOP/s as % of the FP32 peak measured here
#       (STEPS: n_timesteps of both runs, default RL-Zoo's 20000)
# Run from the repository root after `cmake --build build`. PY=python with SB3 (default
# /work/venv-ref/bin/python when it exists, else python3).
set -u
DQ=${DQ:-./build/deepq}
PY=${PY:-python3}
[ -x /work/venv-ref/bin/python ] && [ "$PY" = python3 ] && PY=/work/venv-ref/bin/python
PIN=""
command -v taskset >/dev/null && PIN="taskset -c 0"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

case "${1:-}" in
quality)
    ENV=${2:?ENV}; ALGO=${3:?ALGO}; PRESET=${4:-deepq}; SEEDS=${5:-10}; STEPS=${6:-}
    extra=""
    [ -n "$STEPS" ] && extra="--steps $STEPS"
    for kv in ${SET:-}; do extra="$extra --set $kv"; done
    R=${KEEP:-$T}
    mkdir -p "$R"
    one_seed() { # SEED -> one table row (also written to $R/row-SEED)
        local s=$1 out="$R/q-$1" log
        log=$($DQ train "$ENV" --algo "$ALGO" --preset "$PRESET" --seed "$s" $extra \
              --set eval_freq=0 --final-episodes 100 --no-wall-time --out "$out")
        local secs m sd
        secs=$(echo "$log" | sed -n 's/.* updates) in \([0-9.]*\) s.*/\1/p')
        m=$(echo "$log" | sed -n 's/^final greedy eval[^:]*: \([-0-9.]*\) +- \([0-9.]*\).*/\1/p')
        sd=$(echo "$log" | sed -n 's/^final greedy eval[^:]*: \([-0-9.]*\) +- \([0-9.]*\).*/\2/p')
        echo "| $s | $m | $sd | $secs |" | tee "$R/row-$s"
    }
    export -f one_seed
    export DQ ENV ALGO PRESET extra R
    echo "| seed | final greedy mean (100 ep) | std | train s (wall) |"
    echo "|---|---|---|---|"
    seq "${FIRST:-0}" $((${FIRST:-0} + SEEDS - 1)) | xargs -P "${JOBS:-1}" -I{} bash -c 'one_seed {}' >/dev/null
    for s in $(seq "${FIRST:-0}" $((${FIRST:-0} + SEEDS - 1))); do cat "$R/row-$s"; done |
        tee "$R/rows"
    awk -F'|' -v thr="${THRESH:-}" '{ sf += $3; kf += ($3 >= thr) } END {
        printf "mean over %d seeds: %.1f", NR, sf / NR
        if (thr != "") printf "; >= %s: %d/%d", thr, kf, NR
        printf "\n" }' "$R/rows"
    ;;
speed)
    STEPS=${2:-20000}
    BC=${BC:-./build/bench/bench_cont}
    # the machine's FP32 peak and the FLOPs of one TD3 update at 400x300, batch 256
    bc=$($PIN "$BC" 100)
    peak=$(echo "$bc" | sed -n 's/^FP32 FMA peak.*: \([0-9.]*\) GFLOP.*/\1/p')
    per=$(echo "$bc" | sed -n 's/^td3 .*(\([0-9.]*\) GFLOP per update)/\1/p')
    upd=$(echo "$bc" | sed -n 's/^td3 .*b256: *\([0-9.]*\) updates.*/\1/p')
    deepq_run() { # STEPS -> "wall_s cpu_s": training wall time printed by deepq, user+sys CPU
        local w c
        w=$(/usr/bin/time -o "$T/time" -f "%U %S" $PIN $DQ train Pendulum-v1 --algo td3 \
            --preset zoo --seed 0 --steps "$1" --set threads=1 --set eval_freq=0 \
            --final-episodes 0 --no-wall-time --out "$T/d$1" |
            sed -n 's/.* updates) in \([0-9.]*\) s.*/\1/p')
        c=$(awk '{ print $1 + $2 }' "$T/time")
        echo "$w $c"
    }
    read -r dw0 dc0 <<<"$(deepq_run 10000)" # learning_starts: the random steps only
    read -r dw dc <<<"$(deepq_run "$STEPS")"
    sb=$($PIN "$PY" bench/sb3_cont.py --algo td3 --steps "$STEPS")
    read -r sw sa sc sac <<<"$(echo "$sb" | "$PY" -c 'import json,sys; j=json.load(sys.stdin)
print(j["train_s"], j["after_start_s"], j["train_cpu_s"], j["after_start_cpu_s"])')"
    "$PY" - "$STEPS" "$dw0" "$dc0" "$dw" "$dc" "$sw" "$sa" "$sc" "$sac" "$peak" "$per" "$upd" <<'PY'
import sys
n, dw0, dc0, dw, dc, sw, sa, sc, sac, peak, per, upd = sys.argv[1:]
n = int(n); dw0, dc0, dw, dc, sw, sa, sc, sac, peak, per, upd = map(
    float, (dw0, dc0, dw, dc, sw, sa, sc, sac, peak, per, upd))
u = n - 10000
da, dac = dw - dw0, dc - dc0
print(f"RL-Zoo TD3 Pendulum-v1 (400x300, batch 256, learning_starts 10000), {n} steps = {u} "
      "updates, core 0 (taskset -c 0), one thread each")
print("| part | deepq wall s | SB3 wall s | wall ratio | deepq CPU s | SB3 CPU s | CPU ratio |")
print("|---|---|---|---|---|---|---|")
print(f"| whole run ({n} steps) | {dw:.1f} | {sw:.1f} | {sw / dw:.1f}x | {dc:.1f} | {sc:.1f} "
      f"| {sc / dc:.1f}x |")
print(f"| after learning_starts ({u} steps + updates) | {da:.1f} | {sa:.1f} | {sa / da:.1f}x "
      f"| {dac:.1f} | {sac:.1f} | {sac / dac:.1f}x |")
print(f"FP32 FMA peak (measured now, 1 core): {peak:.1f} GFLOP/s; TD3 update {per:.4f} GFLOP")
print(f"deepq's updates alone (bench_cont): {upd:.1f} updates/s = {100 * upd * per / peak:.1f}% "
      "of the peak")
print(f"deepq after learning_starts, steps + updates on CPU time: {u / dac:.1f} updates/s = "
      f"{100 * u * per / dac / peak:.1f}% of the peak")
print(f"deepq whole-run speed-up over SB3: {sw / dw:.1f}x wall, {sc / dc:.1f}x CPU")
PY
    ;;
*) echo "usage: $0 quality ENV ALGO PRESET [SEEDS] [STEPS] | speed [STEPS]"; exit 2 ;;
esac
