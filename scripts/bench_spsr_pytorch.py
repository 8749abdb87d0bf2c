#!/usr/bin/env python3
"""Reference for `Sr.Bench spsr`: the SPSR x4 generator (Ma et al., CVPR 2020, Fig. 3) written in plain PyTorch with the
same wiring as src/Sr.Models/Papers/Spsr/Networks/SpsrNet.cs, timed on the same LR input size and thread count.
Prints one JSON line: {"params": N, "seconds": [..], "threads": T, "torch": version}."""
import argparse
import json
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def lrelu():
    return nn.LeakyReLU(0.2)


class RDB(nn.Module):
    def __init__(self, nc, gc):
        super().__init__()
        self.convs = nn.ModuleList(nn.Conv2d(nc + i * gc, gc, 3, padding=1) for i in range(4))
        self.last = nn.Conv2d(nc + 4 * gc, nc, 3, padding=1)

    def forward(self, x):
        feats = [x]
        for conv in self.convs:
            feats.append(F.leaky_relu(conv(torch.cat(feats, 1)), 0.2))
        return self.last(torch.cat(feats, 1)) * 0.2 + x


class RRDB(nn.Module):
    def __init__(self, nc, gc):
        super().__init__()
        self.rdbs = nn.Sequential(RDB(nc, gc), RDB(nc, gc), RDB(nc, gc))

    def forward(self, x):
        return self.rdbs(x) * 0.2 + x


def upsampler(scale, nf):
    stages = {2: [2], 3: [3], 4: [2, 2]}[scale]
    layers = []
    for s in stages:
        layers += [nn.Upsample(scale_factor=s, mode="nearest"), nn.Conv2d(nf, nf, 3, padding=1), lrelu()]
    return layers


def gradient_map(x, padding):
    c = x.shape[1]
    k = torch.tensor([[0, -1, 0, 0, 0, 0, 0, 1, 0], [0, 0, 0, -1, 0, 1, 0, 0, 0]], dtype=x.dtype).view(2, 1, 3, 3)
    vh = F.conv2d(x, k.repeat(c, 1, 1, 1), padding=padding, groups=c)
    n, _, h, w = vh.shape
    return (vh.view(n, c, 2, h, w) ** 2).sum(2).add(1e-6).sqrt()


class SPSR(nn.Module):
    def __init__(self, scale=4, nf=64, nb=23, gc=32):
        super().__init__()
        self.nb = nb
        self.taps = [min(nb, k * (nb + 2) // 5) for k in range(1, 5)]
        self.fea_conv = nn.Conv2d(3, nf, 3, padding=1)
        self.trunk = nn.ModuleList(RRDB(nf, gc) for _ in range(nb))
        self.lr_conv = nn.Conv2d(nf, nf, 3, padding=1)
        self.up = nn.Sequential(*upsampler(scale, nf), nn.Conv2d(nf, nf, 3, padding=1), lrelu(), nn.Conv2d(nf, nf, 3, padding=1))
        self.b_fea = nn.Conv2d(3, nf, 3, padding=1)
        self.b_blocks = nn.ModuleList(RRDB(2 * nf, gc) for _ in range(4))
        self.b_concats = nn.ModuleList(nn.Conv2d(2 * nf, nf, 3, padding=1) for _ in range(4))
        self.b_lr_conv = nn.Conv2d(nf, nf, 3, padding=1)
        self.b_up = nn.Sequential(*upsampler(scale, nf), nn.Conv2d(nf, nf, 3, padding=1), lrelu(), nn.Conv2d(nf, nf, 3, padding=1))
        self.conv_w = nn.Conv2d(nf, 3, 1)
        self.f_block = RRDB(2 * nf, gc)
        self.f_concat = nn.Conv2d(2 * nf, nf, 3, padding=1)
        self.f_hr0 = nn.Conv2d(nf, nf, 3, padding=1)
        self.f_hr1 = nn.Conv2d(nf, 3, 3, padding=1)
        for m in self.modules():  # upstream's init: Kaiming-normal x 0.1, zero bias
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, a=0, mode="fan_in")
                m.weight.data.mul_(0.1)
                m.bias.data.zero_()

    def forward(self, x):
        x_grad = gradient_map(x, 1)
        x = x_ori = self.fea_conv(x)
        taps = [x_ori if t == 0 else None for t in self.taps]
        for i, block in enumerate(self.trunk):
            x = block(x)
            for k, t in enumerate(self.taps):
                if t == i + 1:
                    taps[k] = x
        x = self.up(self.lr_conv(x) + x_ori)
        xb = self.b_fea(x_grad)
        b = xb
        for k in range(4):
            b = self.b_concats[k](self.b_blocks[k](torch.cat([b, taps[k]], 1)))
        x_branch = self.b_up(self.b_lr_conv(b) + xb)
        out_branch = self.conv_w(x_branch)
        f = self.f_concat(self.f_block(torch.cat([x_branch, x], 1)))
        out = self.f_hr1(F.leaky_relu(self.f_hr0(f), 0.2))
        return out_branch, out, x_grad


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=128)
    ap.add_argument("--scale", type=int, default=4)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--nb", type=int, default=23)
    ap.add_argument("--nf", type=int, default=64)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    net = SPSR(a.scale, a.nf, a.nb).eval()
    x = torch.rand(1, 3, a.size, a.size)
    times = []
    with torch.inference_mode():
        net(x)  # warm-up
        for _ in range(a.runs):
            t0 = time.perf_counter()
            _, sr, _ = net(x)
            times.append(time.perf_counter() - t0)
    print(json.dumps({"params": sum(p.numel() for p in net.parameters()), "seconds": times, "threads": torch.get_num_threads(),
                      "torch": torch.__version__, "shape": list(sr.shape)}))


if __name__ == "__main__":
    main()
