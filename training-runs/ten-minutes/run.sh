#!/usr/bin/env bash
# Issue #4's measurement: train one network for a wall-clock budget on T91 (×2 by default), then evaluate Set5 (Y, shave = scale).
# usage: training-runs/ten-minutes/run.sh <model> [extra `sr train` options…]
# env: MINUTES (10), SCALE (2), SR (the sr command; default ./sr of this checkout), SNAPSHOTS (e.g. "1,2.5,5": also evaluate those),
#      NAME (the run's folder name instead of <model>, for a variant such as --options '{"PixelPlacement": false}').
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
model="$1"; shift
minutes="${MINUTES:-10}"; s="${SCALE:-2}"; sr="${SR:-$root/sr}"
out="$root/training-runs/ten-minutes/${NAME:-$model}-x$s"
mkdir -p "$out"
rm -f "$out/$model.ckpt" "$out/$model.log.csv"
snap=()
[ -n "${SNAPSHOTS:-}" ] && snap=(--snapshots "$SNAPSHOTS")
{ echo "# $(date -u +%FT%TZ) $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "sr train --model $model --scale $s --data ../shared/data/T91 --minutes $minutes ${snap[*]} $* -o $model.srm"; } > "$out/console.log"
"$sr" train --model "$model" --scale "$s" --data "$root/../shared/data/T91" --minutes "$minutes" "${snap[@]}" "$@" -o "$out/$model.srm" >> "$out/console.log" 2>&1
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/console.log"
for f in "$out/$model".at-*.srm "$out/$model.srm"; do
  [ -f "$f" ] || continue
  name="$(basename "$f" .srm)"
  "$sr" eval --model "$f" --data "$root/../shared/data/Set5" --scale "$s" --json "$out/$name.set5.json" > /dev/null
done
