#!/usr/bin/env bash
# cli_viz.sh — deepq enjoy / play / plot end to end: an MP4 and a GIF that ffprobe reads with the
# right size and frame count, a window screenshot under Xvfb that is not blank, plot PNGs of the
# right size, and clear errors on bad input. $1 = deepq binary.
set -u
DEEPQ=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
check() { if eval "$1"; then echo "ok: $2"; else echo "FAIL: $2"; fail=1; fi; }

# --- MP4: frames = sum over episodes of (length + 1) (the reset frame), as RecordVideo ---
out=$("$DEEPQ" enjoy --env CartPole-v1 --episodes 2 --seed 3 --video "$T/cp.mp4") || fail=1
echo "$out"
want=$(echo "$out" | sed -n 's/^video: \([0-9]*\) frames.*/\1/p')
lens=$(echo "$out" | sed -n 's/^episode [0-9]*: return [-0-9.]*, length \([0-9]*\).*/\1/p' | awk '{s += $1 + 1} END {print s}')
got=$(ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames,width,height,r_frame_rate -of csv=p=0 "$T/cp.mp4")
echo "ffprobe mp4: $got"
check '[ "$got" = "600,400,50/1,$want" ] && [ "$want" = "$lens" ]' "mp4 600x400 at 50 fps with $lens frames"

# --- GIF (LunarLander heuristic, capped episode) ---
out=$("$DEEPQ" enjoy --env LunarLander-v3 --policy heuristic --episodes 1 --max-steps 60 --video "$T/ll.gif") || fail=1
want=$(echo "$out" | sed -n 's/^video: \([0-9]*\) frames.*/\1/p')
got=$(ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames,width,height -of csv=p=0 "$T/ll.gif")
check '[ "$got" = "600,400,61" ] && [ "$want" = 61 ]' "gif 600x400 with 61 frames (got $got)"

# --- window under Xvfb: a screenshot read back from the window is not blank ---
if command -v xvfb-run >/dev/null; then
  timeout 120 xvfb-run -a -n 180 "$DEEPQ" play CartPole-v1 --max-steps 20 --screenshot "$T/shot.png" >/dev/null || fail=1
  dims=$(ffprobe -v error -show_entries stream=width,height -of csv=p=0 "$T/shot.png" 2>/dev/null)
  levels=$(ffmpeg -v error -i "$T/shot.png" -f rawvideo -pix_fmt gray - 2>/dev/null | od -An -tu1 -v | tr -s ' ' '\n' | sed '/^$/d' | sort -u | wc -l)
  check '[ "$dims" = "600,400" ] && [ "$levels" -ge 3 ]' "window screenshot 600x400, $levels grey levels"
  timeout 120 xvfb-run -a -n 190 "$DEEPQ" enjoy --env Taxi-v3 --render human --episodes 1 --max-steps 5 --fps 200 --screenshot "$T/taxi.png" >/dev/null || fail=1
  dims=$(ffprobe -v error -show_entries stream=width,height -of csv=p=0 "$T/taxi.png" 2>/dev/null)
  check '[ "$dims" = "550,350" ]' "enjoy --render human screenshot (Taxi 550x350)"
else
  echo "FAIL: xvfb-run missing (install xvfb)"; fail=1
fi

# --- plot on a small synthetic run folder ---
mkdir -p "$T/run"
{ echo "episode,length,return,status,total_steps,epsilon,time"
  s=0; for i in $(seq 1 150); do l=$((20 + i % 37)); s=$((s + l)); echo "$i,$l,$((i * 2 + i % 13)),ok,$s,0.1,1"; done; } > "$T/run/episodes.csv"
{ echo "step,mean,std,min,max,episodes"; for k in 1 2 3 4 5; do echo "$((k * 1000)),$((k * 50)),10,0,500,10"; done; } > "$T/run/evals.csv"
"$DEEPQ" plot "$T/run" --out "$T/plots" || fail=1
dims=$(ffprobe -v error -show_entries stream=width,height -of csv=p=0 "$T/plots/reward.png" 2>/dev/null)
check '[ "$dims" = "900,540" ] && [ -s "$T/plots/reward.svg" ] && [ -s "$T/plots/eval.png" ] && [ -s "$T/plots/summary.png" ]' "plot PNG 900x540 + SVG + summary"

# --- a trained agent: deepq train writes plots; enjoy RUN_DIR records its greedy episodes ---
"$DEEPQ" train CartPole-v1 --preset tutorial --steps 3000 --seed 1 --final-episodes 2 --out "$T/tr" > "$T/train.out" || fail=1
check '[ -s "$T/tr/plots/summary.png" ] && [ -s "$T/tr/plots/reward.svg" ] && grep -q "plots: " "$T/train.out"' "train writes RUN_DIR/plots"
out=$("$DEEPQ" enjoy "$T/tr" --episodes 1 --seed 2 --video "$T/agent.mp4") || fail=1
want=$(echo "$out" | sed -n 's/^episode 1: return [-0-9.]*, length \([0-9]*\).*/\1/p')
got=$(ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames -of csv=p=0 "$T/agent.mp4")
check '[ -n "$want" ] && [ "$got" = "$((want + 1))" ] && echo "$out" | grep -q "greedy policy"' "enjoy RUN_DIR: greedy episode of $want steps, $got frames"
# --video-every: greedy eval episodes on RecordVideo's schedule (evals 0, 1, 8, ...), training unchanged
"$DEEPQ" train CartPole-v1 --preset tutorial --steps 3000 --seed 1 --final-episodes 2 --set eval_freq=1000 --video-every cubic --out "$T/trv" > /dev/null || fail=1
nv=$(ls "$T/trv/videos" 2>/dev/null | wc -l)
"$DEEPQ" train CartPole-v1 --preset tutorial --steps 3000 --seed 1 --final-episodes 2 --set eval_freq=1000 --out "$T/trn" > /dev/null || fail=1
check '[ "$nv" = 2 ] && [ -s "$T/trv/videos/eval-step-1000.mp4" ] && [ -s "$T/trv/videos/eval-step-2000.mp4" ]' "--video-every cubic records evals 0 and 1 of 3 ($nv videos)"
check 'cmp -s <(cut -d, -f1-6 "$T/trv/episodes.csv") <(cut -d, -f1-6 "$T/trn/episodes.csv")' "recording videos leaves training identical (episodes.csv)"
"$DEEPQ" enjoy "$T/tr/config.yml" >/dev/null 2>&1; check '[ $? -eq 1 ]' "enjoy of a non-checkpoint exits 1"

# --- errors: one line, non-zero ---
"$DEEPQ" enjoy >/dev/null 2>&1; check '[ $? -eq 2 ]' "enjoy without a target exits 2"
"$DEEPQ" enjoy --env NoSuch-v0 >/dev/null 2>&1; check '[ $? -eq 1 ]' "enjoy unknown env exits 1"
"$DEEPQ" enjoy --env CartPole-v1 --video "$T/x.unknownext" 2>"$T/err" >/dev/null; check '[ $? -ne 0 ] && grep -q "video" "$T/err"' "unknown video container is an error"
"$DEEPQ" plot "$T/nope" 2>"$T/err" >/dev/null; check '[ $? -eq 1 ] && grep -q "episodes.csv" "$T/err"' "plot of a non-run folder"
"$DEEPQ" play 2>/dev/null; check '[ $? -eq 2 ]' "play without ENV exits 2"
exit $fail
