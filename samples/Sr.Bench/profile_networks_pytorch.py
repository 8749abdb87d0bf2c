#!/usr/bin/env python3
"""Per-op profile of one network of bench_networks_pytorch.py (the PyTorch peers of `sr bench networks`), to see where a
peer's time goes: torch.profiler's table of the ops' own CPU time over a few calls after two warm-ups.

  /usr/bin/python3 samples/Sr.Bench/profile_networks_pytorch.py --model glrl --config tuned --mode train
  /usr/bin/python3 samples/Sr.Bench/profile_networks_pytorch.py --model srcnn --config untuned --mode infer --size 128

Random weights (timing does not depend on them); configs and shapes as the benchmark's defaults.
"""
import os
import sys

if "--config" in sys.argv and sys.argv.index("--config") + 1 < len(sys.argv):
    if sys.argv[sys.argv.index("--config") + 1] == "tuned":
        os.environ["OPENBLAS_NUM_THREADS"] = "1"
    else:
        os.environ.pop("OPENBLAS_NUM_THREADS", None)

import argparse

import torch
import torch.nn.functional as F
from torch.profiler import ProfilerActivity, profile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_networks_pytorch as b  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True, choices=sorted(b.MODELS))
    ap.add_argument("--config", required=True, choices=["untuned", "tuned"])
    ap.add_argument("--mode", required=True, choices=["infer", "train"])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--size", type=int, default=256)
    ap.add_argument("--scale", type=int, default=2)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--patch", type=int, default=48)
    ap.add_argument("--calls", type=int, default=3)
    ap.add_argument("--rows", type=int, default=15)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    fmt = torch.channels_last if a.config == "tuned" else torch.contiguous_format
    make, channels = b.MODELS[a.model]
    net = make(a.scale).to(memory_format=fmt)
    if a.mode == "infer":
        net.eval()
        x = torch.rand(1, channels, a.size, a.size).contiguous(memory_format=fmt)

        def call():
            with torch.inference_mode():
                net(x)
    else:
        net.train()
        opt = torch.optim.Adam(net.parameters(), 1e-4)
        hr = torch.rand(a.batch, channels, a.patch, a.patch)
        lr, boundary = F.avg_pool2d(hr, a.scale), b.edges(hr)
        hr, lr, boundary = (t.contiguous(memory_format=fmt) for t in (hr, lr, boundary))

        def call():
            opt.zero_grad()
            b.train_loss(net, hr, lr, boundary).backward()
            opt.step()
    call()
    call()
    with profile(activities=[ProfilerActivity.CPU]) as p:
        for _ in range(a.calls):
            call()
    print(f"{a.model} {a.config} {a.mode}: {a.calls} calls, load average {open('/proc/loadavg').read().split()[:3]}")
    print(p.key_averages().table(sort_by="self_cpu_time_total", row_limit=a.rows))


if __name__ == "__main__":
    main()
