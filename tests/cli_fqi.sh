#!/bin/bash
# cli_fqi.sh — `deepq collect` and `deepq fqi` end to end: the .npz has the tutorial's fields
# (checked with numpy when Python has it), FQI runs on it and ends with one JSON object, and bad
# files or options fail with a one-line error and a non-zero status.
# usage: cli_fqi.sh DEEPQ GOLDEN_DIR
set -u
DQ=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }

"$DQ" collect CartPole-v1 --steps 3000 --seed 1 --out "$T/d.npz" >"$T/out" 2>&1 && grep -q "3000 transitions" "$T/out" && ok collect || bad "collect: $(cat "$T/out")"
# same seed, same bytes
"$DQ" collect CartPole-v1 --steps 3000 --seed 1 --out "$T/d2.npz" >/dev/null 2>&1 && cmp -s "$T/d.npz" "$T/d2.npz" && ok "collect deterministic" || bad "collect not deterministic"

if python3 -c "import numpy" 2>/dev/null; then
  python3 - "$T/d.npz" <<'PY' && ok "numpy opens the data set" || bad "numpy check"
import sys, numpy as np
z = np.load(sys.argv[1])
assert sorted(z.files) == sorted(["observations", "next_observations", "actions", "rewards",
                                  "terminateds", "truncateds"]), z.files
n = 3000
assert z["observations"].shape == (n, 4) and z["observations"].dtype == np.float32
assert z["next_observations"].shape == (n, 4)
assert z["actions"].dtype == np.int64 and set(np.unique(z["actions"])) <= {0, 1}
assert z["rewards"].dtype == np.float64 and np.all(z["rewards"] == 1.0)
assert z["terminateds"].dtype == np.bool_ and z["terminateds"].sum() > 50
# numpy-written data (float64 obs, int32 actions, no truncateds) must load in deepq
np.savez(sys.argv[1] + ".np.npz", observations=z["observations"].astype(np.float64),
         next_observations=z["next_observations"].astype(np.float64),
         actions=z["actions"].astype(np.int32), rewards=z["rewards"],
         terminateds=z["terminateds"])
np.savez(sys.argv[1] + ".nokey.npz", observations=z["observations"], actions=z["actions"])
PY
  "$DQ" fqi CartPole-v1 --data "$T/d.npz.np.npz" --k 5 --iterations 2 --eval-episodes 2 >"$T/out" 2>&1 && ok "numpy-written data loads" || bad "numpy-written data: $(tail -1 "$T/out")"
  "$DQ" fqi CartPole-v1 --data "$T/d.npz.nokey.npz" >"$T/out" 2>&1
  [ $? -ne 0 ] && grep -q "next_observations" "$T/out" && ok "missing key named" || bad "missing key: $(cat "$T/out")"
fi

"$DQ" fqi CartPole-v1 --data "$T/d.npz" --model knn --k 10 --iterations 5 --eval-every 5 --eval-episodes 5 --json --out "$T/run" >"$T/out" 2>&1 || bad "fqi knn: $(tail -2 "$T/out")"
tail -1 "$T/out" | grep -q '^{"env": "CartPole-v1", "algo": "fqi", "mean": ' && ok "fqi --json last line" || bad "fqi json: $(tail -1 "$T/out")"
tail -1 "$T/out" | grep -q '"reward_threshold": 475, "frac_at_threshold": [0-9.]*,' && ok "fqi json has eval's threshold keys" || bad "fqi threshold keys: $(tail -1 "$T/out")"
[ -s "$T/run/progress.csv" ] && [ -s "$T/run/result.json" ] && ok "fqi --out files" || bad "fqi --out"
for m in linear tree extratrees gbm; do
  "$DQ" fqi CartPole-v1 --data "$T/d.npz" --model $m --trees 3 --iterations 1 --eval-episodes 2 --json >"$T/out" 2>&1 && tail -1 "$T/out" | grep -q '"episodes": 2' && ok "fqi $m" || bad "fqi $m: $(tail -1 "$T/out")"
done
"$DQ" fqi CartPole-v1 --online --initial-steps 500 --round-steps 200 --rounds 1 --k 5 --iterations 2 --eval-episodes 2 --json >"$T/out" 2>&1 && tail -1 "$T/out" | grep -q '"transitions": 700' && ok "online" || bad "online: $(tail -1 "$T/out")"

# errors: one line, non-zero
expect_fail() { # name, grep pattern, command...
  local name=$1 pat=$2; shift 2
  "$@" >"$T/out" 2>&1
  local rc=$?
  if [ $rc -ne 0 ] && grep -q -- "$pat" "$T/out" && [ "$(wc -l <"$T/out")" -le 2 ]; then ok "$name"; else bad "$name (rc $rc): $(cat "$T/out")"; fi
}
head -c 700 "$T/d.npz" >"$T/trunc.npz"
expect_fail "truncated zip" "trunc.npz" "$DQ" fqi CartPole-v1 --data "$T/trunc.npz"
expect_fail "missing file" "nope.npz" "$DQ" fqi CartPole-v1 --data "$T/nope.npz"
"$DQ" collect Acrobot-v1 --steps 100 --out "$T/acro.npz" >/dev/null 2>&1
expect_fail "wrong env" "observations" "$DQ" fqi CartPole-v1 --data "$T/acro.npz"
expect_fail "unknown model" "unknown regressor" "$DQ" fqi CartPole-v1 --data "$T/d.npz" --model svm
expect_fail "bad k" "--k" "$DQ" fqi CartPole-v1 --data "$T/d.npz" --k zero
expect_fail "unknown env" "Nope-v0" "$DQ" collect Nope-v0 --steps 10 --out "$T/x.npz"
expect_fail "policy missing" "no such checkpoint" "$DQ" collect CartPole-v1 --steps 10 --policy "$T/nope" --out "$T/x.npz"
# a DQN checkpoint drives collection (a short run is enough to have one)
if "$DQ" train CartPole-v1 --steps 1500 --final-episodes 2 --out "$T/dqn" >"$T/out" 2>&1; then
  "$DQ" collect CartPole-v1 --steps 300 --policy "$T/dqn" --epsilon 0.2 --out "$T/ck.npz" >"$T/out" 2>&1 && grep -q "300 transitions" "$T/out" && ok "collect with a DQN checkpoint" || bad "ckpt collect: $(cat "$T/out")"
  expect_fail "checkpoint of another env" "not Acrobot-v1" "$DQ" collect Acrobot-v1 --steps 10 --policy "$T/dqn" --out "$T/x.npz"
else
  bad "deepq train for the checkpoint test: $(tail -1 "$T/out")"
fi
# Box actions: uniform over the bounds, stored as float32 [n, act_dim]; FQI with the sampled max
"$DQ" collect Pendulum-v1 --steps 600 --seed 2 --out "$T/p.npz" >"$T/out" 2>&1 && grep -q "600 transitions of Pendulum-v1 (random policy, epsilon 1, seed 2, 1-value Box actions)" "$T/out" && ok "collect Box" || bad "collect Box: $(cat "$T/out")"
"$DQ" collect Pendulum-v1 --steps 600 --seed 2 --out "$T/p2.npz" >/dev/null 2>&1 && cmp -s "$T/p.npz" "$T/p2.npz" && ok "collect Box deterministic" || bad "collect Box not deterministic"
if python3 -c "import numpy" 2>/dev/null; then
  python3 - "$T/p.npz" <<'PY' && ok "numpy opens the Box data set" || bad "numpy Box check"
import sys, numpy as np
z = np.load(sys.argv[1])
a = z["actions"]
assert a.dtype == np.float32 and a.shape == (600, 1), (a.dtype, a.shape)
assert np.all(np.abs(a) <= 2.0) and np.abs(a).max() > 1.5  # Pendulum's bounds are +-2
assert z["observations"].shape == (600, 3) and z["truncateds"].sum() == 3
# a numpy-written Box data set: float64 1-D actions load as one action dimension
np.savez(sys.argv[1] + ".np.npz", observations=z["observations"].astype(np.float64),
         next_observations=z["next_observations"], actions=a[:, 0].astype(np.float64),
         rewards=z["rewards"], terminateds=z["terminateds"])
PY
  "$DQ" fqi Pendulum-v1 --data "$T/p.npz.np.npz" --k 5 --iterations 1 --eval-episodes 1 --json >"$T/out" 2>&1 && tail -1 "$T/out" | grep -q '"transitions": 600' && ok "numpy-written Box data loads" || bad "numpy Box data: $(tail -1 "$T/out")"
fi
"$DQ" fqi Pendulum-v1 --data "$T/p.npz" --k 5 --samples 8 --iterations 2 --eval-episodes 2 --json >"$T/out" 2>&1 && tail -1 "$T/out" | grep -q '^{"env": "Pendulum-v1", "algo": "fqi", "mean": ' && ok "fqi Box" || bad "fqi Box: $(tail -1 "$T/out")"
"$DQ" fqi Pendulum-v1 --data "$T/p.npz" --k 5 --samples 8 --iterations 2 --eval-episodes 2 --json >"$T/out2" 2>&1 && [ "$(tail -1 "$T/out")" = "$(tail -1 "$T/out2")" ] && ok "fqi Box deterministic" || bad "fqi Box not deterministic"
"$DQ" fqi Pendulum-v1 --data "$T/p.npz" --model extratrees --trees 3 --samples 4 --iterations 1 --eval-episodes 1 --json >"$T/out" 2>&1 && tail -1 "$T/out" | grep -q '"episodes": 1' && ok "fqi Box extratrees" || bad "fqi Box extratrees: $(tail -1 "$T/out")"
"$DQ" collect MountainCar-v0 --steps 50 --out "$T/mc.npz" >/dev/null 2>&1
expect_fail "Discrete data for a Box env" "Discrete actions" "$DQ" fqi MountainCarContinuous-v0 --data "$T/mc.npz"
"$DQ" collect MountainCarContinuous-v0 --steps 50 --out "$T/mcc.npz" >/dev/null 2>&1
expect_fail "Box data for a Discrete env" "Box actions" "$DQ" fqi MountainCar-v0 --data "$T/mcc.npz"
"$DQ" fqi Pendulum-v1 --online --initial-steps 400 --round-steps 200 --rounds 1 --k 5 --samples 4 --iterations 2 --eval-episodes 1 --json --out "$T/pon" >"$T/out" 2>&1 && tail -1 "$T/out" | grep -q '"algo": "online-fqi".*"transitions": 600' && ok "online Box" || bad "online Box: $(tail -1 "$T/out")"
python3 -c "import numpy as np, sys; z = np.load(sys.argv[1]); assert z['actions'].shape == (600, 1) and z['actions'].dtype == np.float32" "$T/pon/data.npz" 2>/dev/null && ok "online Box keeps a Box data set" || bad "online Box data.npz"
"$DQ" collect LunarLander-v3 --kwargs continuous=true --steps 300 --out "$T/llc.npz" >"$T/out" 2>&1 && grep -q "2-value Box actions" "$T/out" && ok "collect --kwargs continuous=true" || bad "collect --kwargs: $(cat "$T/out")"
"$DQ" fqi LunarLander-v3 --kwargs continuous=true --data "$T/llc.npz" --k 5 --samples 4 --iterations 1 --eval-episodes 1 --json >"$T/out" 2>&1 && tail -1 "$T/out" | grep -q '"transitions": 300' && ok "fqi --kwargs continuous=true" || bad "fqi --kwargs: $(tail -1 "$T/out")"
expect_fail "Box data without the kwargs" "has Discrete actions" "$DQ" fqi LunarLander-v3 --data "$T/llc.npz"
expect_fail "bad kwargs" "no option 'contin'" "$DQ" collect LunarLander-v3 --kwargs contin=1 --steps 5 --out "$T/x.npz"
expect_fail "samples range" "--samples" "$DQ" fqi Pendulum-v1 --data "$T/p.npz" --samples 0
# a continuous-action run drives collection
if "$DQ" train Pendulum-v1 --algo td3 --steps 400 --final-episodes 1 --out "$T/td3" >"$T/out" 2>&1; then
  "$DQ" collect Pendulum-v1 --steps 300 --policy "$T/td3" --epsilon 0.5 --out "$T/tc.npz" >"$T/out" 2>&1 && grep -q "300 transitions of Pendulum-v1 (.*td3 policy, epsilon 0.5" "$T/out" && ok "collect with a td3 run" || bad "td3 collect: $(cat "$T/out")"
  expect_fail "td3 run of another env" "not MountainCarContinuous-v0" "$DQ" collect MountainCarContinuous-v0 --steps 10 --policy "$T/td3" --out "$T/x.npz"
else
  bad "deepq train td3 for the collect test: $(tail -1 "$T/out")"
fi
exit $fail
