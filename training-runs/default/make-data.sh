#!/usr/bin/env bash
# The "291" training set (T91 + BSD200) as one folder of links to ../shared/data (never copied into the repository).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dest="$root/artifacts/data/291"
mkdir -p "$dest"
for set in T91 BSD200; do
  for f in "$root/../shared/data/$set"/*; do ln -sf "$(realpath "$f")" "$dest/${set}_$(basename "$f")"; done
done
ls "$dest" | wc -l
