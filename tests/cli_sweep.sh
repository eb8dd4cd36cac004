#!/bin/bash
# cli_sweep.sh — `deepq sweep` with local processes (--jobs 2): a 2x2 sweep (2 learning rates x
# 2 seeds) gives run folders byte-identical to single `deepq train` runs, the tables and plots;
# a sweep stopped part way (--stop-at) and one killed with SIGKILL both end, when started again,
# byte-identical to the single runs, skipping finished runs; argument errors are one clear line.
# Usage: cli_sweep.sh DEEPQ [GOLDEN_DIR]
set -u
DQ=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fails=$((fails + 1)); }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }

COMMON="--steps 4000 --set eval_freq=1000 --set checkpoint_freq=1000 --set n_eval_episodes=3 --final-episodes 5 --no-wall-time"
# Reference: single runs, one per grid point and seed.
for lr in 1e-3 5e-4; do
    for s in 0 1; do
        $DQ train CartPole-v1 --preset deepq $COMMON --set learning_rate=$lr --seed $s \
            --out "$T/ref/$lr/s$s" >/dev/null 2>&1 || bad "reference train lr $lr seed $s"
    done
done
# same_as_ref SWEEP_DIR: every run folder's logs and weights equal the reference's bytes.
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
$DQ sweep $SW --jobs 2 --out "$T/a" >"$T/a.out" 2>&1
check "sweep --jobs 2 exits 0" "[ $? = 0 ]"
check "sweep: run folders byte-identical to single train runs" "same_as_ref '$T/a'"
check "results.csv: 4 runs done" "[ \$(grep -c ',done,' '$T/a/results.csv') = 4 ]"
check "results.csv header" "[ \"\$(head -1 '$T/a/results.csv')\" = point,learning_rate,seed,state,final_eval,best_eval ]"
check "summary.csv: 2 points of 2 runs" "[ \$(awk -F, 'NR > 1 && \$3 == 2' '$T/a/summary.csv' | wc -l) = 2 ]"
# The table's numbers are the runs' own: final = train.log's final eval, best = max of evals.csv.
fin=$(sed -n 's/^final greedy eval over 5 episodes: \([-0-9.]*\) .*/\1/p' "$T/ref/5e-4/s1/train.log")
best=$(awk -F, 'NR > 1 && (b == "" || $2 > b) { b = $2 } END { printf "%.2f", b }' "$T/ref/5e-4/s1/evals.csv")
check "results.csv row = the run's final ($fin) and best ($best) eval" "grep -q '^\"learning_rate=5e-4\",5e-4,1,done,$fin,$best\$' '$T/a/results.csv'"
# mean ± 95% CI of the two seeds' final evals, recomputed here (t(1) = 12.706)
want=$(awk -F, '$2 == "1e-3" { x[n++] = $5 } END { m = (x[0] + x[1]) / 2; sd = sqrt(((x[0]-m)^2 + (x[1]-m)^2)); printf "%.2f,%.2f", m, 12.706 * sd / sqrt(2) }' "$T/a/results.csv")
check "summary.csv mean and CI of lr 1e-3 ($want)" "awk -F, '\$2 == \"1e-3\" { print \$4 \",\" \$5 }' '$T/a/summary.csv' | grep -qx '$want'"
check "results.md has both tables" "grep -q '^| learning_rate=1e-3 | 2/2 | ' '$T/a/results.md' && grep -q '^| learning_rate=5e-4 | 1 | done | ' '$T/a/results.md'"
check "the table is printed" "grep -q 'final eval (mean ± 95% CI)' '$T/a.out'"
check "a plot per point" "[ -s '$T/a/plots/learning_rate=1e-3/summary.png' ] && [ -s '$T/a/plots/learning_rate=5e-4/summary.png' ]"
check "child output kept in logs/" "grep -q '^trained 4000 steps' '$T/a/logs/learning_rate=1e-3-s0.txt'"
$DQ sweep $SW --jobs 2 --out "$T/a" >"$T/a2.out" 2>&1
check "rerun of a finished sweep: starts nothing, same table" "grep -q '4 finished before' '$T/a2.out' && ! grep -q '\\] start' '$T/a2.out' && cmp -s <(sed -n '/^| point/,\$p' '$T/a.out') <(sed -n '/^| point/,\$p' '$T/a2.out')"

# Stopped part way (each run saves its state at step 2500), then started again.
$DQ sweep $SW --jobs 2 --stop-at 2500 --out "$T/b" >"$T/b.out" 2>&1
check "stopped sweep: 4 runs stopped, resume state saved" "[ \$(grep -c ',stopped,' '$T/b/results.csv') = 4 ] && [ -s '$T/b/learning_rate=5e-4/s1/resume.safetensors' ] && grep -q 'not finished' '$T/b.out'"
$DQ sweep $SW --jobs 2 --out "$T/b" >"$T/b2.out" 2>&1
check "restarted sweep resumes the 4 runs" "[ \$(grep -c '\\] resume ' '$T/b2.out') = 4 ] && [ \$(grep -c ',done,' '$T/b/results.csv') = 4 ]"
check "stopped + resumed: byte-identical to single train runs" "same_as_ref '$T/b'"

# Killed with SIGKILL mid-way (its runs die with it), then started again.
$DQ sweep $SW --jobs 2 --out "$T/c" >"$T/c.out" 2>&1 &
pid=$!
# kill as soon as the first run folder exists (a fixed delay let a fast machine finish all four)
for _ in $(seq 600); do
    ls -d "$T/c"/learning_rate=*/s* >/dev/null 2>&1 && break
    sleep 0.05
done
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
sleep 0.2
check "killed sweep left runs unfinished" "[ ! -s '$T/c/results.csv' ] || [ \$(grep -c ',done,' '$T/c/results.csv') -lt 4 ]"
$DQ sweep $SW --jobs 1 --out "$T/c" >"$T/c2.out" 2>&1
check "restarted killed sweep finishes" "[ \$(grep -c ',done,' '$T/c/results.csv') = 4 ]"
check "killed + restarted: byte-identical to single train runs" "same_as_ref '$T/c'"

# Errors: one line, non-zero exit.
$DQ sweep $SW --seeds 0-2 --out "$T/a" >"$T/e1" 2>&1
check "other arguments on the same DIR refused" "[ $? = 1 ] && grep -q 'holds a sweep with other arguments' '$T/e1'"
$DQ sweep CartPole-v1 --grid learning_rate --out "$T/e" >"$T/e2" 2>&1
check "bad --grid refused" "[ $? = 2 ] && grep -q 'needs key=v1,v2' '$T/e2' && [ ! -e '$T/e' ]"
$DQ sweep CartPole-v1 --grid no_such_key=1,2 --out "$T/e" >"$T/e3" 2>&1
check "unknown grid key refused before any run" "[ $? = 2 ] && grep -q 'no_such_key' '$T/e3' && [ ! -e '$T/e' ]"
$DQ sweep CartPole-v1 --seeds 3-1 --out "$T/e" >"$T/e4" 2>&1
check "bad --seeds refused" "[ $? = 2 ] && grep -q 'seeds' '$T/e4'"
mkdir -p "$T/notsweep"
$DQ sweep CartPole-v1 --out "$T/notsweep" >"$T/e5" 2>&1
check "existing non-sweep folder refused" "[ $? = 1 ] && grep -q 'not a sweep folder' '$T/e5'"

# Ape-X outside mpirun, whatever the build: how to start it (MPI build) or how to get MPI.
env -u OMPI_COMM_WORLD_SIZE -u PMI_SIZE -u PMIX_RANK $DQ train CartPole-v1 --distributed apex --steps 100 --out "$T/x" >"$T/e6" 2>&1
check "--distributed outside mpirun says what to do" "[ $? = 2 ] && grep -Eq 'mpirun -np N|built without MPI' '$T/e6' && [ ! -e '$T/x' ]"

# Continuous agents: an `algo` grid axis runs `deepq train --algo X` per point (same bytes as a
# single run), and a point whose keys the continuous table lacks is refused before any run.
CC="--steps 1200 --set eval_freq=600 --set n_eval_episodes=2 --final-episodes 2 --no-wall-time"
$DQ train Pendulum-v1 --algo naf --preset deepq $CC --seed 1 --out "$T/cref" >/dev/null 2>&1 || bad "reference naf run"
$DQ sweep Pendulum-v1 --grid algo=td3,naf --seeds 1 $CC --jobs 2 --no-plots --out "$T/cs" >"$T/cs.out" 2>&1
check "algo grid sweep runs both agents" "[ $? = 0 ] && grep -q 'algo=td3 | 1/1' '$T/cs/results.md' && grep -q 'algo=naf | 1/1' '$T/cs/results.md'"
check "algo grid run = single run" "cmp -s '$T/cref/final.safetensors' '$T/cs/algo=naf/s1/final.safetensors' && cmp -s '$T/cref/episodes.csv' '$T/cs/algo=naf/s1/episodes.csv'"
$DQ sweep Pendulum-v1 --algo td3 --grid exploration_fraction=0.1,0.2 --out "$T/ce" >"$T/ce.out" 2>&1
check "DQN-only key refused for a continuous sweep" "[ $? = 2 ] && grep -q 'exploration_fraction' '$T/ce.out' && [ ! -e '$T/ce' ]"

echo "$fails failure(s)"
exit $((fails > 0))
