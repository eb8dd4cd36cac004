#!/bin/bash
# mpi_sweep.sh — `mpirun -np 3 deepq sweep`: a 2x2 sweep over three ranks gives run folders
# byte-identical to single `deepq train` runs and the same table as `--jobs 2`; a sweep stopped
# part way with local jobs continues over MPI; one terminated under mpirun (SIGTERM) continues
# when started again, byte-identical. Registered only when CMake found MPI.
# Usage: mpi_sweep.sh DEEPQ MPIRUN
set -u
DQ=$1
MPIRUN=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
MPI="$MPIRUN --oversubscribe -np 3"
fails=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fails=$((fails + 1)); }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }

COMMON="--steps 4000 --set eval_freq=1000 --set checkpoint_freq=1000 --set n_eval_episodes=3 --final-episodes 5 --no-wall-time"
for lr in 1e-3 5e-4; do
    for s in 0 1; do
        $DQ train CartPole-v1 --preset deepq $COMMON --set learning_rate=$lr --seed $s \
            --out "$T/ref/$lr/s$s" >/dev/null 2>&1 || bad "reference train lr $lr seed $s"
    done
done
same_as_ref() {
    for lr in 1e-3 5e-4; do
        for s in 0 1; do
            for f in episodes.csv evals.csv final.safetensors best.safetensors config.yml; do
                cmp -s "$T/ref/$lr/s$s/$f" "$1/learning_rate=$lr/s$s/$f" || { echo "  differs: $1 lr $lr s$s $f"; return 1; }
            done
        done
    done
}
SW="CartPole-v1 --preset deepq --seeds 0-1 --grid learning_rate=1e-3,5e-4 $COMMON"

timeout 300 $MPI $DQ sweep $SW --out "$T/a" >"$T/a.out" 2>&1
check "mpirun -np 3 sweep exits 0" "[ $? = 0 ]"
check "3 ranks reported" "grep -q '3 ranks' '$T/a.out'"
check "runs carried out on worker ranks too" "grep -q '^\\[rank [12]\\] start' '$T/a.out'"
check "mpi sweep: run folders byte-identical to single train runs" "same_as_ref '$T/a'"
check "results.csv: 4 runs done" "[ \$(grep -c ',done,' '$T/a/results.csv') = 4 ]"
$DQ sweep $SW --jobs 2 --out "$T/j" >/dev/null 2>&1
check "same tables as --jobs 2" "cmp -s '$T/a/results.csv' '$T/j/results.csv' && cmp -s '$T/a/summary.csv' '$T/j/summary.csv'"

$DQ sweep $SW --jobs 2 --stop-at 2500 --out "$T/b" >/dev/null 2>&1
check "local sweep stopped at 2500" "[ \$(grep -c ',stopped,' '$T/b/results.csv') = 4 ]"
timeout 300 $MPI $DQ sweep $SW --out "$T/b" >"$T/b.out" 2>&1
check "continued over MPI: 4 resumed, all done" "[ \$(grep -c '\\] resume ' '$T/b.out') = 4 ] && [ \$(grep -c ',done,' '$T/b/results.csv') = 4 ]"
check "stopped + resumed over MPI: byte-identical" "same_as_ref '$T/b'"

# Terminated under mpirun (SIGTERM), then started again. mpirun takes ~2 s to pass SIGTERM on, so
# these runs are longer (20000 steps) than the ones above; their reference is a local sweep.
SWC="CartPole-v1 --preset deepq --seeds 0-1 --grid learning_rate=1e-3,5e-4 ${COMMON/--steps 4000/--steps 20000}"
$DQ sweep $SWC --jobs 2 --out "$T/cref" >/dev/null 2>&1
timeout 300 $MPI $DQ sweep $SWC --out "$T/c" >"$T/c.out" 2>&1 &
pid=$!
for _ in $(seq 1200); do # terminate as soon as the first run folder exists
    ls -d "$T/c"/learning_rate=*/s* >/dev/null 2>&1 && break
    sleep 0.05
done
kill -TERM $pid 2>/dev/null
wait $pid 2>/dev/null
sleep 0.5
check "terminated sweep left runs unfinished" "[ ! -s '$T/c/results.csv' ] || [ \$(grep -c ',done,' '$T/c/results.csv') -lt 4 ]"
timeout 300 $MPI $DQ sweep $SWC --out "$T/c" >"$T/c2.out" 2>&1
check "restarted terminated sweep finishes" "[ \$(grep -c ',done,' '$T/c/results.csv') = 4 ]"
same_as_cref() {
    for p in learning_rate=1e-3 learning_rate=5e-4; do
        for s in 0 1; do
            for f in episodes.csv evals.csv final.safetensors best.safetensors config.yml; do
                cmp -s "$T/cref/$p/s$s/$f" "$T/c/$p/s$s/$f" || { echo "  differs: $p s$s $f"; return 1; }
            done
        done
    done
}
check "terminated + restarted: byte-identical to an uninterrupted sweep" "same_as_cref"

echo "$fails failure(s)"
exit $((fails > 0))
