#!/usr/bin/env bash
# Issue #7's small SPSR-G: a small RRDBNet (nf 32, nb 4, gc 16) trained with L1 on T91 ×4, then SPSR-G of the same size
# started from it (--init) and trained adversarially; both evaluated on Set5 and Set14 ×4 (Y, shave 4) next to bicubic.
# No VGG19 weights exist here, so the perceptual term is off (FeatureWeight 0): every other SPSR-G loss is on.
# Step-bounded (not timed), so the result does not depend on what else the machine runs.
# usage: training-runs/spsr-small/run.sh   env: RRDB_STEPS (500), SPSR_STEPS (150), SR (the sr command)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
sr="${SR:-$root/sr}"; rrdb_steps="${RRDB_STEPS:-500}"; spsr_steps="${SPSR_STEPS:-150}"; out="$root/training-runs/spsr-small"
size='{"nf": 32, "nb": 4, "gc": 16}'
{ echo "# $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)"
  "$sr" train --model rrdbnet --scale 4 --options "$size" --data "$root/../shared/data/T91" --batch 8 --patch 128 --lr 2e-4 \
    --steps "$rrdb_steps" -o "$out/rrdbnet.srm"
  "$sr" train --model spsr-g --scale 4 --options "$size" --data "$root/../shared/data/T91" --batch 4 --patch 128 --lr 1e-4 \
    --init "$out/rrdbnet.srm" --spsr "${SPSR_SETTINGS:-{\"FeatureWeight\": 0, \"PixelWeight\": 1, \"BranchInitIterations\": 50, \"DiscriminatorFeatures\": 32}}" \
    --steps "$spsr_steps" -o "$out/spsr-g.srm"
  echo "# $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)"; } > "$out/console.log" 2>&1
for set in Set5 Set14; do
  for m in bicubic "$out/rrdbnet.srm" "$out/spsr-g.srm"; do
    name="$(basename "$m" .srm)"
    "$sr" eval --model "$m" --data "$root/../shared/data/$set" --scale 4 --json "$out/$name.$set.json" > /dev/null
  done
done
