#!/usr/bin/env bash
# Issue #7's NSE measurement: train nse-p / nse-j on BSD200 RGB patches for a fixed step budget, then top-1 on held-out
# BSD100 patches against chance (the papers' Fig. 15). usage: training-runs/nse/run.sh <nse-p|nse-j> <name> [extra sr train options…]
# env: STEPS (2000), BATCH (8), PATCH (96), SR (the sr command; default ./sr of this checkout).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
model="$1"; name="$2"; shift 2
sr="${SR:-$root/sr}"
out="$root/training-runs/nse/$name"
mkdir -p "$out"
{ echo "# $(date -u +%FT%TZ) $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "sr train --model $model --data ../shared/data/BSD200 --val ../shared/data/BSD100 --val-images 100 --steps ${STEPS:-2000} --batch ${BATCH:-8} --patch ${PATCH:-96} $* -o $model.safetensors"; } > "$out/console.log"
"$sr" train --model "$model" --data "$root/../shared/data/BSD200" --val "$root/../shared/data/BSD100" --val-images 100 \
  --steps "${STEPS:-2000}" --batch "${BATCH:-8}" --patch "${PATCH:-96}" "$@" -o "$out/$model.safetensors" >> "$out/console.log" 2>&1
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/console.log"
