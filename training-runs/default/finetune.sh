#!/usr/bin/env bash
# Stage 2 of the default model: continue from stage 1's weights (x<s>/default-x<s>.srm, lr 1e-3 until its PSNR levelled
# off) at a 10× lower learning rate — the step decay of RSRNet's schedule done as a second run. Resumes its own checkpoint.
# usage: training-runs/default/finetune.sh <scale> <minutes> [lr (1e-4)]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
s="$1"; minutes="$2"; lr="${3:-1e-4}"; sr="${SR:-$root/sr}"
out="$root/training-runs/default/x$s/stage2"
mkdir -p "$out"
"$root/training-runs/default/make-data.sh" >/dev/null
ckpt="$out/default-x$s.ckpt"
if [ -f "$ckpt" ]; then
  exec "$sr" train --resume "$ckpt" --minutes "$minutes" -o "$out/default-x$s.srm"
fi
exec "$sr" train --model rsrnet-sr --scale "$s" --init "$root/training-runs/default/x$s/default-x$s.srm" --data "$root/artifacts/data/291" \
  --val "$root/../shared/data/Set5" --validate-every 250 --batch 16 --lr "$lr" --seed 2 --minutes "$minutes" -o "$out/default-x$s.srm"
