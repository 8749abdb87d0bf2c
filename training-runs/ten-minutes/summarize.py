#!/usr/bin/env python3
"""Markdown table of the ten-minute runs: Set5 ×2 PSNR/SSIM (Y, shave 2) at 1/2.5/5/10 minutes, steps and steps/s."""
import csv, glob, json, os
here = os.path.dirname(os.path.abspath(__file__))
# (folder, model): a variant run (NAME=… run.sh) has its own folder and the model's file names.
order = [("srcnn", "srcnn"), ("lsp", "lsp"), ("lsp-noplace", "lsp"), ("lsp-hsp", "lsp-hsp"), ("rsrnet-sr", "rsrnet-sr"),
         ("rsrnet", "rsrnet"), ("btsrn", "btsrn"), ("vdsr", "vdsr"), ("glrl", "glrl")]
print("| network | steps in 10 min | steps/s | Set5 ×2 at 1 / 2.5 / 5 min | at 10 min (PSNR / SSIM) |")
print("|---|---:|---:|---|---|")
for folder, name in order:
    d = os.path.join(here, f"{folder}-x2")
    final = os.path.join(d, f"{name}.set5.json")
    if not os.path.exists(final):
        continue
    rows = [r for r in csv.DictReader(open(os.path.join(d, f"{name}.log.csv"))) if r["loss"]]
    steps, secs = int(rows[-1]["step"]), float(rows[-1]["elapsed_s"])
    snaps = []
    for m in ["1", "2.5", "5"]:
        f = os.path.join(d, f"{name}.at-{m}min.set5.json")
        snaps.append(f"{json.load(open(f))['mean']['psnr']:.2f}" if os.path.exists(f) else "–")
    mean = json.load(open(final))["mean"]
    print(f"| {folder} | {steps:,} | {steps / secs:.2f} | {' / '.join(snaps)} | {mean['psnr']:.2f} / {mean['ssim']:.4f} |")
