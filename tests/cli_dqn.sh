#!/bin/bash
# cli_dqn.sh — deepq train/eval/resume end to end: same seed gives identical logs and checkpoint
# bytes; stop + resume equals an uninterrupted run; eval (text, --json, --q); config and
# checkpoint errors are one clear line with a non-zero exit; the checkpoint loads in Python
# (safetensors + numpy) to the same Q-values. Usage: cli_dqn.sh DEEPQ GOLDEN_DIR
set -u
DQ=$1
SRC=$(cd "$(dirname "$0")/.." && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fails=$((fails + 1)); }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }

A="CartPole-v1 --preset tutorial --steps 6000 --set eval_freq=2000 --set checkpoint_freq=2000 --set n_eval_episodes=3 --final-episodes 5 --seed 3"
$DQ train $A --out "$T/a" >"$T/a.out" 2>&1 || bad "train a"
$DQ train $A --out "$T/b" >/dev/null 2>&1 || bad "train b"
for f in config.yml episodes.csv monitor.csv evals.csv progress.csv train.log final.safetensors best.safetensors \
         ckpt-2000.safetensors ckpt-6000.safetensors resume.safetensors; do
    check "run folder has $f" "[ -s '$T/a/$f' ]"
done
check "events file" "ls '$T/a/tb/' | grep -q tfevents"
# TensorBoard scalars under SB3's names, read back with deepq's reader (tests/tool_tb_dump)
TBD="$(dirname "$DQ")/tests/tool_tb_dump"
"$TBD" "$T/a/tb/"*tfevents* >"$T/tb.txt" 2>"$T/tb.err" || bad "tool_tb_dump reads the events: $(cat "$T/tb.err")"
for tag in rollout/ep_rew_mean rollout/ep_len_mean train/loss rollout/exploration_rate eval/mean_reward time/fps; do
    check "tb has $tag" "grep -q '^$tag ' '$T/tb.txt'"
done
check "tb eval/mean_reward = evals.csv mean at each eval step" "[ \$(grep -c '^eval/mean_reward ' '$T/tb.txt') -ge 3 ] && awk -F, 'NR==FNR { if (\$1 == \"eval/mean_reward\") m[\$2] = \$3; next } FNR > 1 { if (!(\$1 in m) || (m[\$1] - \$2) ^ 2 > 1e-6) bad = 1; n++ } END { exit bad || n < 3 }' <(tr ' ' , <'$T/tb.txt') '$T/a/evals.csv'"
check "tb exploration_rate in [0.04, 1], ends at 0.04" "awk '\$1 == \"rollout/exploration_rate\" { if (\$3 < 0.0399 || \$3 > 1) bad = 1; last = \$3 } END { exit bad || (last - 0.04) ^ 2 > 1e-10 }' '$T/tb.txt'"
check "tb train/loss finite and positive, steps increasing" "awk '\$1 == \"train/loss\" { if (!(\$3 > 0 && \$3 < 1e30) || \$2 <= prev) bad = 1; prev = \$2; n++ } END { exit bad || n < 3 }' '$T/tb.txt'"
check "episodes.csv header" "[ \"\$(head -1 '$T/a/episodes.csv')\" = episode,length,return,status,total_steps,epsilon,time ]"
check "evals.csv header" "[ \"\$(head -1 '$T/a/evals.csv')\" = step,mean,std,min,max,episodes ]"
check "progress.csv header" "[ \"\$(head -1 '$T/a/progress.csv')\" = step,episodes,epsilon,loss,q_mean,q_max,td_abs,grad_norm,terminal_frac,ep_rew_mean,ep_len_mean,fps ]"
# monitor.csv: SB3's Monitor CSV (#{json} line, r,l,t) with episodes.csv's episodes
check "monitor.csv header" "head -1 '$T/a/monitor.csv' | grep -Eq '^#\\{\"t_start\": [0-9]+\\.[0-9]{6}, \"env_id\": \"CartPole-v1\"\\}\$' && [ \"\$(sed -n 2p '$T/a/monitor.csv')\" = r,l,t ]"
check "monitor.csv rows = episodes.csv's return and length" "cmp -s <(tail -n +3 '$T/a/monitor.csv' | awk -F, '{ printf \"%.6f,%d\\n\", \$1, \$2 }') <(tail -n +2 '$T/a/episodes.csv' | awk -F, '{ printf \"%.6f,%d\\n\", \$3, \$2 }') && [ \$(wc -l <'$T/a/monitor.csv') -gt 12 ]"
check "monitor.csv t grows" "tail -n +3 '$T/a/monitor.csv' | awk -F, '{ if (\$3 < prev) bad = 1; prev = \$3 } END { exit bad || prev <= 0 }'"
check "same seed: identical episodes.csv (all but wall time)" "cmp -s <(cut -d, -f1-6 '$T/a/episodes.csv') <(cut -d, -f1-6 '$T/b/episodes.csv')"
check "same seed: identical evals.csv" "cmp -s '$T/a/evals.csv' '$T/b/evals.csv'"
check "same seed: identical checkpoint bytes" "cmp -s '$T/a/final.safetensors' '$T/b/final.safetensors' && cmp -s '$T/a/ckpt-2000.safetensors' '$T/b/ckpt-2000.safetensors'"
$DQ train $A --seed 4 --out "$T/s4" >/dev/null 2>&1
check "other seed: other weights" "! cmp -s '$T/a/final.safetensors' '$T/s4/final.safetensors'"
check "config.yml names every key" "grep -q '^double_q: false' '$T/a/config.yml' && grep -q '^seed: 3' '$T/a/config.yml' && grep -q '^deepq_version:' '$T/a/config.yml'"

# stop at step ~2500, resume, compare with the uninterrupted run
$DQ train $A --out "$T/c" --stop-at 2500 >"$T/c.out" 2>&1 || bad "train c (stop)"
check "stopped run has no final" "[ ! -e '$T/c/final.safetensors' ] && grep -q 'deepq resume' '$T/c.out'"
# rows written after the saved state (as a kill leaves them) must be cut by the resume
echo "123.000000,123,1.5" >>"$T/c/monitor.csv"; echo "999,123,123,Fell,9999,0.5,1.5" >>"$T/c/episodes.csv"
$DQ resume "$T/c" --final-episodes 5 >"$T/c2.out" 2>&1 || bad "resume c"
check "resume: identical final checkpoint" "cmp -s '$T/a/final.safetensors' '$T/c/final.safetensors'"
check "resume: identical episodes.csv" "cmp -s <(cut -d, -f1-6 '$T/a/episodes.csv') <(cut -d, -f1-6 '$T/c/episodes.csv')"
check "resume: identical progress.csv" "cmp -s <(cut -d, -f1-11 '$T/a/progress.csv') <(cut -d, -f1-11 '$T/c/progress.csv')"
check "resume: identical evals.csv" "cmp -s '$T/a/evals.csv' '$T/c/evals.csv'"
check "resume: monitor.csv cut and continued (one header, the uninterrupted run's r,l rows)" "[ \$(grep -c '^#' '$T/c/monitor.csv') = 1 ] && [ \$(grep -c '^r,l,t\$' '$T/c/monitor.csv') = 1 ] && cmp -s <(cut -d, -f1-2 '$T/a/monitor.csv' | tail -n +2) <(cut -d, -f1-2 '$T/c/monitor.csv' | tail -n +2)"
# --no-wall-time: the whole episodes.csv is byte-identical (the time column is the only
# wall-clock field), across runs and across stop + resume
$DQ train $A --no-wall-time --out "$T/n1" >/dev/null 2>&1 || bad "train n1"
$DQ train $A --no-wall-time --out "$T/n2" >/dev/null 2>&1 || bad "train n2"
$DQ train $A --no-wall-time --out "$T/n3" --stop-at 2500 >/dev/null 2>&1 || bad "train n3 (stop)"
$DQ resume "$T/n3" --no-wall-time --final-episodes 5 >/dev/null 2>&1 || bad "resume n3"
check "--no-wall-time: identical episodes.csv files" "cmp -s '$T/n1/episodes.csv' '$T/n2/episodes.csv' && cmp -s '$T/n1/episodes.csv' '$T/n3/episodes.csv'"
check "--no-wall-time: identical monitor.csv files (t_start 0, t 0)" "cmp -s '$T/n1/monitor.csv' '$T/n2/monitor.csv' && cmp -s '$T/n1/monitor.csv' '$T/n3/monitor.csv' && head -1 '$T/n1/monitor.csv' | grep -q '\"t_start\": 0.000000,'"
check "--no-wall-time: only the time column differs from a timed run" "cmp -s <(cut -d, -f1-6 '$T/n1/episodes.csv') <(cut -d, -f1-6 '$T/a/episodes.csv') && awk -F, 'NR > 1 && \$7 != \"0.000\" { bad = 1 } END { exit bad }' '$T/n1/episodes.csv'"
check "a timed run's time column grows" "awk -F, 'NR > 1 { if (\$7 < prev) bad = 1; prev = \$7 } END { exit bad || prev <= 0 }' '$T/a/episodes.csv'"
$DQ resume "$T/c" >"$T/c3.out" 2>&1
check "resume of a finished run refused" "[ \$? -ne 0 ] && grep -q 'complete' '$T/c3.out'"
$DQ train $A --out "$T/a" >"$T/o.out" 2>&1
check "never overwrite a run" "[ \$? -ne 0 ] && grep -q 'already holds a run' '$T/o.out'"

# eval
$DQ eval "$T/a" --episodes 5 >"$T/e.out" 2>&1 || bad "eval text"
check "eval text" "grep -q 'return .* +- ' '$T/e.out'"
J=$($DQ eval "$T/a/final.safetensors" --episodes 5 --json)
check "eval --json keys" "echo '$J' | grep -q '\"mean\":' && echo '$J' | grep -q '\"episodes\":5' && echo '$J' | grep -q '\"frac_at_threshold\"'"
check "eval is deterministic" "[ \"\$($DQ eval '$T/a' --episodes 3 --json)\" = \"\$($DQ eval '$T/a' --episodes 3 --json)\" ]"
head -c 300 "$T/a/final.safetensors" >"$T/trunc.safetensors"
$DQ eval "$T/trunc.safetensors" >"$T/t.out" 2>&1
check "truncated checkpoint: one-line error" "[ \$? -ne 0 ] && [ \$(wc -l <'$T/t.out') -eq 1 ] && grep -q 'trunc.safetensors' '$T/t.out'"
$DQ eval "$T/a/resume.safetensors" >"$T/t2.out" 2>&1
check "state file is not a checkpoint" "[ \$? -ne 0 ] && grep -q 'not a deepq DQN checkpoint' '$T/t2.out'"

# config errors: one line naming key (and line in a file), exit 2
$DQ train --set lerning_rate=1 --out "$T/x" >"$T/x.out" 2>&1
check "--set unknown key" "[ \$? -eq 2 ] && grep -q \"lerning_rate\" '$T/x.out' && [ \$(wc -l <'$T/x.out') -eq 1 ]"
$DQ train --set gamma=2 --out "$T/x" >"$T/x.out" 2>&1
check "--set bad value" "[ \$? -eq 2 ] && grep -q 'gamma' '$T/x.out'"
printf 'CartPole-v1:\n  gamma: 0.98\n  batch_size: many\n' >"$T/bad.yml"
$DQ train --config "$T/bad.yml" --out "$T/x" >"$T/x.out" 2>&1
check "config file bad value names file:line and key" "[ \$? -eq 2 ] && grep -q 'bad.yml:3: key .batch_size.' '$T/x.out'"
$DQ train --config "$SRC/tests/fixtures/rl_zoo3_dqn.yml" --steps 300 --final-episodes 1 --out "$T/zoo" >"$T/z.out" 2>&1
check "RL-Zoo's dqn.yml loads as is" "[ \$? -eq 0 ] && grep -q '^learning_rate: 0.0023' '$T/zoo/config.yml' && grep -q '^net_arch: \\[256, 256\\]' '$T/zoo/config.yml'"
$DQ train NoSuchEnv-v0 >"$T/x.out" 2>&1
check "unknown env" "[ \$? -eq 2 ] && grep -q 'NoSuchEnv-v0' '$T/x.out'"

# interop: the checkpoint in Python gives deepq's Q-values
if python3 -c 'import safetensors, numpy' 2>/dev/null || python3 -m pip install -q safetensors numpy >/dev/null 2>&1; then
    OBS=0.03,-0.2,0.05,0.4
    QC=$($DQ eval "$T/a" --q $OBS)
    QP=$(python3 "$SRC/tools/load_checkpoint.py" "$T/a/final.safetensors" --obs $OBS --numpy)
    if QC="$QC" QP="$QP" python3 -c '
import json, os, sys
a = json.loads(os.environ["QC"])["q"]; b = json.loads(os.environ["QP"])["q"]
sys.exit(0 if len(a) == len(b) and all(abs(x - y) <= 1e-5 * max(1, abs(y)) for x, y in zip(a, b)) else 1)'
    then ok "python (numpy) Q-values match deepq"; else bad "python (numpy) Q-values match deepq: $QC vs $QP"; fi
else
    echo "skip python interop (no python3 with safetensors/numpy)"
fi

# n_envs: vectorized collection from the CLI; config.yml records it; stop + resume equals the
# uninterrupted run (every env's state is saved mid-episode, docs/DQN.md)
N="CartPole-v1 --preset tutorial --steps 4000 --set n_envs=4 --set eval_freq=2000 --set n_eval_episodes=2 --final-episodes 2 --seed 3 --no-wall-time"
$DQ train $N --set checkpoint_freq=1000 --out "$T/n4" >"$T/n4.out" 2>&1 || bad "train n_envs=4: $(tail -1 "$T/n4.out")"
$DQ train $N --set checkpoint_freq=1000 --out "$T/n4b" >/dev/null 2>&1 || bad "train n_envs=4 again"
check "n_envs=4: config.yml has n_envs: 4" "grep -qx 'n_envs: 4' '$T/n4/config.yml'"
check "n_envs=4: same seed, identical checkpoint and episodes.csv" "cmp -s '$T/n4/final.safetensors' '$T/n4b/final.safetensors' && cmp -s '$T/n4/episodes.csv' '$T/n4b/episodes.csv'"
check "n_envs=4: 4000 transitions" "grep -q 'trained 4000 steps' '$T/n4.out'"
check "n_envs=4: resume states saved" "[ -s '$T/n4/resume.safetensors' ]"
$DQ train $N --set checkpoint_freq=1000 --out "$T/n4s" --stop-at 1500 >"$T/n4s.out" 2>&1 || bad "train n_envs=4 --stop-at 1500"
check "n_envs=4: stopped with a state" "[ ! -e '$T/n4s/final.safetensors' ] && grep -q 'deepq resume' '$T/n4s.out'"
$DQ resume "$T/n4s" --no-wall-time >"$T/n4s2.out" 2>&1 || bad "resume n_envs=4: $(tail -1 "$T/n4s2.out")"
check "n_envs=4: resume gives the uninterrupted run's final.safetensors and episodes.csv" "cmp -s '$T/n4/final.safetensors' '$T/n4s/final.safetensors' && cmp -s '$T/n4/episodes.csv' '$T/n4s/episodes.csv'"
check "n_envs=4: resume gives its progress.csv and evals.csv" "cmp -s <(cut -d, -f1-11 '$T/n4/progress.csv') <(cut -d, -f1-11 '$T/n4s/progress.csv') && cmp -s '$T/n4/evals.csv' '$T/n4s/evals.csv'"
R="CartPole-v1 --preset rainbow --steps 1500 --set n_envs=2 --set prefill=64 --set eval_freq=0 --set net_arch=[32] --set c51_atoms=11 --final-episodes 0 --seed 5 --no-wall-time"
$DQ train $R --out "$T/r2" >/dev/null 2>&1 || bad "train rainbow n_envs=2 prefill"
$DQ train $R --out "$T/r2s" --stop-at 700 >/dev/null 2>&1 || bad "train rainbow n_envs=2 --stop-at 700"
$DQ resume "$T/r2s" --no-wall-time >"$T/r2s.out" 2>&1 || bad "resume rainbow n_envs=2: $(tail -1 "$T/r2s.out")"
check "rainbow (3-step windows, PER, noisy) n_envs=2 + prefill: resume gives the same bytes" "cmp -s '$T/r2/final.safetensors' '$T/r2s/final.safetensors' && cmp -s '$T/r2/episodes.csv' '$T/r2s/episodes.csv'"
$DQ train LunarLander-v3 --steps 300 --set n_envs=2 --set eval_freq=0 --final-episodes 0 --stop-at 100 --out "$T/l2" >"$T/l2.out" 2>&1 || bad "train LunarLander n_envs=2"
check "LunarLander n_envs=2: no state vector, so no resume state (said)" "[ ! -e '$T/l2/resume.safetensors' ] && grep -q 'no resume state: LunarLander-v3 has no state vector' '$T/l2.out'"
check "n_envs=1 config.yml has no n_envs line" "! grep -q '^n_envs' '$T/a/config.yml'"
$DQ train CartPole-v1 --set n_envs=0 --steps 10 --out "$T/n0" >"$T/n0.out" 2>&1
rc=$?
check "n_envs=0 is an error naming the key" "[ $rc -ne 0 ] && grep -q 'n_envs' '$T/n0.out'"

echo "$fails failed"
[ $fails -eq 0 ]
