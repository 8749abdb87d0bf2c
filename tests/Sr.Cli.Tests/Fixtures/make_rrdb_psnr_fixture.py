#!/usr/bin/python3
"""Writes rrdb_psnr_tiny_x4.pth and rrdb_psnr_tiny_x4.expected.json (the test fixture of `sr import`).

A tiny ESRGAN RRDBNet (nf=8, nb=2, gc=4, x4) with random weights, saved as a plain state dict in the key layout of
ESRGAN's released RRDB_PSNR_x4.pth (conv_first, RRDB_trunk.N.RDBk.convj, trunk_conv, upconv1, upconv2, HRconv,
conv_last), plus its output on a fixed 1x3x5x6 input, so the test checks that the imported model computes what the
PyTorch network computes. Written for this repository from the ESRGAN paper's description (Wang et al., ECCVW 2018,
Fig. 3-4); run with Debian's python3-torch: /usr/bin/python3 make_rrdb_psnr_fixture.py
"""
import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F


class DenseBlock(nn.Module):
    def __init__(self, nf, gc):
        super().__init__()
        self.conv1 = nn.Conv2d(nf, gc, 3, 1, 1)
        self.conv2 = nn.Conv2d(nf + gc, gc, 3, 1, 1)
        self.conv3 = nn.Conv2d(nf + 2 * gc, gc, 3, 1, 1)
        self.conv4 = nn.Conv2d(nf + 3 * gc, gc, 3, 1, 1)
        self.conv5 = nn.Conv2d(nf + 4 * gc, nf, 3, 1, 1)

    def forward(self, x):
        act = lambda t: F.leaky_relu(t, 0.2)
        x1 = act(self.conv1(x))
        x2 = act(self.conv2(torch.cat((x, x1), 1)))
        x3 = act(self.conv3(torch.cat((x, x1, x2), 1)))
        x4 = act(self.conv4(torch.cat((x, x1, x2, x3), 1)))
        x5 = self.conv5(torch.cat((x, x1, x2, x3, x4), 1))
        return x5 * 0.2 + x


class RRDB(nn.Module):
    def __init__(self, nf, gc):
        super().__init__()
        self.RDB1, self.RDB2, self.RDB3 = DenseBlock(nf, gc), DenseBlock(nf, gc), DenseBlock(nf, gc)

    def forward(self, x):
        return self.RDB3(self.RDB2(self.RDB1(x))) * 0.2 + x


class RRDBNet(nn.Module):
    def __init__(self, nf, nb, gc):
        super().__init__()
        self.conv_first = nn.Conv2d(3, nf, 3, 1, 1)
        self.RRDB_trunk = nn.Sequential(*[RRDB(nf, gc) for _ in range(nb)])
        self.trunk_conv = nn.Conv2d(nf, nf, 3, 1, 1)
        self.upconv1 = nn.Conv2d(nf, nf, 3, 1, 1)
        self.upconv2 = nn.Conv2d(nf, nf, 3, 1, 1)
        self.HRconv = nn.Conv2d(nf, nf, 3, 1, 1)
        self.conv_last = nn.Conv2d(nf, 3, 3, 1, 1)

    def forward(self, x):
        act = lambda t: F.leaky_relu(t, 0.2)
        fea = self.conv_first(x)
        fea = fea + self.trunk_conv(self.RRDB_trunk(fea))
        fea = act(self.upconv1(F.interpolate(fea, scale_factor=2, mode="nearest")))
        fea = act(self.upconv2(F.interpolate(fea, scale_factor=2, mode="nearest")))
        return self.conv_last(act(self.HRconv(fea)))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    torch.manual_seed(18)
    net = RRDBNet(nf=8, nb=2, gc=4).eval()
    torch.save(net.state_dict(), os.path.join(here, "rrdb_psnr_tiny_x4.pth"))
    h, w = 5, 6
    x = torch.tensor([[((c * 31 + y * 7 + xx * 3) % 17) / 16.0 for xx in range(w)] for c in range(3) for y in range(h)]).reshape(1, 3, h, w)
    with torch.no_grad():
        y = net(x)
    expected = {"nf": 8, "nb": 2, "gc": 4, "scale": 4, "input_shape": list(x.shape), "input": x.flatten().tolist(),
                "output_shape": list(y.shape), "output": y.flatten().tolist(), "torch": torch.__version__}
    with open(os.path.join(here, "rrdb_psnr_tiny_x4.expected.json"), "w") as f:
        json.dump(expected, f)


if __name__ == "__main__":
    main()
