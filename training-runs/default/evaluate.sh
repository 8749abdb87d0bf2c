#!/usr/bin/env bash
# Evaluates the shipped default model on the standard sets (Y, shave = scale) and prints one Markdown row per set.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
sets="${SETS:-Set5 Set14 BSD100 Urban100}"
out="$root/training-runs/default/eval"
mkdir -p "$out"
for set in $sets; do
  row="| $set |"
  for s in ${SCALES:-2 3 4}; do
    "$root/sr" eval --model default --data "$root/../shared/data/$set" --scale "$s" --json "$out/$set-x$s.json" >/dev/null
    row="$row $(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(f\"{d['mean']['psnr']:.2f} / {d['mean']['ssim']:.4f}\")" "$out/$set-x$s.json") |"
  done
  echo "$row"
done
