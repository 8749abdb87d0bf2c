#!/usr/bin/env bash
# Trains the default model (RSRNet's SRNet on bicubic LR, Y channel) for one scale; resumes when a checkpoint exists.
# usage: training-runs/default/train.sh <scale> <minutes>
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
s="$1"; minutes="$2"
out="$root/training-runs/default/x$s"
mkdir -p "$out"
"$root/training-runs/default/make-data.sh" >/dev/null
ckpt="$out/default-x$s.ckpt"
if [ -f "$ckpt" ]; then
  exec "$root/sr" train --resume "$ckpt" --minutes "$minutes" -o "$out/default-x$s.srm"
fi
exec "$root/sr" train --model rsrnet-sr --scale "$s" --data "$root/artifacts/data/291" --val "$root/../shared/data/Set5" \
  --validate-every 300 --batch 64 --lr 1e-3 --seed 1 --minutes "$minutes" -o "$out/default-x$s.srm"
