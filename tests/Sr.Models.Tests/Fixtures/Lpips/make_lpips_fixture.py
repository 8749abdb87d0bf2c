#!/usr/bin/python3
"""Writes the LPIPS test fixture (tests/Sr.Models.Tests/Fixtures/Lpips/) and the values the C# tests must reproduce.

Run with Debian's python3-torch 1.13 (not pyenv's python, which has no torch):

    /usr/bin/python3 tests/Sr.Models.Tests/Fixtures/Lpips/make_lpips_fixture.py

What it writes, next to itself:
  weights/alexnet-owt-7be5be79.pth  torchvision's AlexNet key layout (features.{0,3,6,8,10}.{weight,bias}, the shapes of
                                    torchvision.models.alexnet; the classifier is left out: LPIPS does not use it), saved by
                                    torch.save in the zip format. The weights are NOT ImageNet's: deterministic low-entropy values
                                    (9 levels, a pattern repeating every 97 elements), so that git's zlib stores the 10 MB file
                                    in a few tens of KB. LPIPS values with them mean nothing perceptually; the test checks arithmetic.
  weights/alex.pth                  LPIPS v0.1's key layout (lin{0..4}.model.1.weight, 1xCx1x1, non-negative), deterministic.
  weights-legacy/alex.pth           the same lin weights in the legacy (PyTorch 0.4-1.5, non-zip) format: the lpips package's
                                    published weights/v0.1/alex.pth dates from 2018, before the zip format (not checked here:
                                    the file cannot be downloaded on this machine).
  images/*.png                      three procedural 64x64 RGB pictures (hr), a distorted copy of each (noise, blur, posterize),
                                    and a 32x32 LR of each (2x2 box mean, rounded) for the end-to-end `sr eval --lr` test.
  expected.json                     LPIPS of each (hr, distorted) pair, and of each hr against the x2 MATLAB-bicubic upscale of
                                    its LR (rounded to uint8, what `sr eval --model bicubic-rgb --lr` measures), with its RGB PSNR.

LPIPS is implemented here from the paper (Zhang et al., CVPR 2018) and the lpips package's v0.1 conventions, independently of
the C# code, in float64: scaling layer (x - shift) / scale with shift (-.030, -.088, -.188), scale (.458, .448, .450); AlexNet
conv1..conv5 ReLU outputs (conv1 11x11 s4 p2, maxpool 3/2, conv2 5x5 p2, maxpool 3/2, conv3..5 3x3 p1); each feature divided by
(its channel L2 norm + 1e-10); squared difference; 1x1 lin weights; spatial mean; sum over the five layers. Images enter as the
lpips package's im2tensor makes them: uint8 / 127.5 - 1.
The bicubic is MATLAB's imresize (a = -0.5, symmetric border), height pass first, each pass summed in float64 over float32
inputs and stored as float32, as src/Sr.Models/Imaging/MatlabResize.cs does, so the rounded output matches it level for level.
"""
import json
import math
import os
from collections import OrderedDict

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
SHIFT = [-.030, -.088, -.188]
SCALE = [.458, .448, .450]
# torchvision.models.alexnet().features: (index, out, in, kernel, stride, padding)
CONVS = [(0, 64, 3, 11, 4, 2), (3, 192, 64, 5, 1, 2), (6, 384, 192, 3, 1, 1), (8, 256, 384, 3, 1, 1), (10, 256, 256, 3, 1, 1)]
WIDTHS = [64, 192, 384, 256, 256]


def alexnet_weights():
    sd = OrderedDict()
    for index, o, i, k, _, _ in CONVS:
        n = torch.arange(o * i * k * k, dtype=torch.int64)
        level = ((n * 37) % 97) % 9 - 4                      # 9 levels in -4..4, period 97
        bound = math.sqrt(6.0 / (i * k * k))                 # He-uniform range, so activations keep their scale
        sd[f'features.{index}.weight'] = (level.to(torch.float32) * (bound / 4)).reshape(o, i, k, k)
        sd[f'features.{index}.bias'] = ((torch.arange(o) % 5).to(torch.float32) - 1) * 0.02
    return sd


def lin_weights():
    sd = OrderedDict()
    for l, c in enumerate(WIDTHS):
        k = (torch.arange(c) * 7 + l * 3) % 11               # 0..10
        sd[f'lin{l}.model.1.weight'] = (k.to(torch.float32) / 50).reshape(1, c, 1, 1)
    return sd


def lpips(alex, lin, img0, img1):
    """img0, img1: HxWx3 uint8 arrays. Returns the float64 LPIPS distance."""
    def features(img):
        x = torch.from_numpy(img.astype(np.float64) / 127.5 - 1).permute(2, 0, 1)[None]
        x = (x - torch.tensor(SHIFT, dtype=torch.float64).view(1, 3, 1, 1)) / torch.tensor(SCALE, dtype=torch.float64).view(1, 3, 1, 1)
        taps = []
        for n, (index, _, _, _, stride, pad) in enumerate(CONVS):
            if n in (1, 2):
                x = F.max_pool2d(x, 3, 2)
            x = F.relu(F.conv2d(x, alex[f'features.{index}.weight'].double(), alex[f'features.{index}.bias'].double(), stride, pad))
            taps.append(x)
        return taps
    total = 0.0
    for l, (a, b) in enumerate(zip(features(img0), features(img1))):
        na = a / (a.pow(2).sum(1, keepdim=True).sqrt() + 1e-10)
        nb = b / (b.pow(2).sum(1, keepdim=True).sqrt() + 1e-10)
        d = (na - nb).pow(2)
        total += F.conv2d(d, lin[f'lin{l}.model.1.weight'].double()).mean().item()
    return total


def picture(seed):
    """A 64x64 RGB test picture: smooth colour gradients, a few sharp shapes and fine texture."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:64, 0:64].astype(np.float64)
    img = np.zeros((64, 64, 3))
    for c in range(3):
        fx, fy, ph = rng.uniform(0.05, 0.4), rng.uniform(0.05, 0.4), rng.uniform(0, 6.3)
        img[..., c] = 128 + 60 * np.sin(fx * x + fy * y + ph) + 30 * np.cos(0.7 * fy * x - 1.3 * fx * y)
    for _ in range(4):
        cx, cy, r = rng.integers(8, 56), rng.integers(8, 56), rng.integers(4, 14)
        colour = rng.integers(0, 256, 3)
        if rng.random() < 0.5:
            mask = (x - cx) ** 2 + (y - cy) ** 2 < r * r
        else:
            mask = (abs(x - cx) < r) & (abs(y - cy) < r / 2)
        img[mask] = colour
    img += rng.normal(0, 6, img.shape)
    return np.clip(np.round(img), 0, 255).astype(np.uint8)


def distort(img, kind, seed):
    rng = np.random.default_rng(seed)
    f = img.astype(np.float64)
    if kind == 'noise':
        f = f + rng.normal(0, 12, f.shape)
    elif kind == 'blur':                                     # 3x3 box blur, edge replicated
        p = np.pad(f, ((1, 1), (1, 1), (0, 0)), mode='edge')
        f = sum(p[dy:dy + 64, dx:dx + 64] for dy in range(3) for dx in range(3)) / 9
    elif kind == 'posterize':                                # 6 levels a channel
        f = np.round(f / 51) * 51
    return np.clip(np.round(f), 0, 255).astype(np.uint8)


def cubic(t):
    a = abs(t)
    if a <= 1:
        return 1.5 * a ** 3 - 2.5 * a ** 2 + 1
    if a <= 2:
        return -0.5 * a ** 3 + 2.5 * a ** 2 - 4 * a + 2
    return 0.0


def taps(n_in, n_out, scale):
    """MATLAB imresize's contributions for upscaling (kernel width 4, symmetric border), folded taps merged."""
    rows = []
    for i in range(1, n_out + 1):
        u = i / scale + 0.5 * (1 - 1 / scale)
        left = math.floor(u - 2)
        idx = [left + j for j in range(6)]
        h = [cubic(u - k) for k in idx]
        s = sum(h)
        merged = {}
        for k, w in zip(idx, h):
            if w == 0:
                continue
            z = k - 1                                        # symmetric: ... 1 0 | 0 1 ... n-1 | n-1 n-2 ...
            z = z % (2 * n_in)
            if z >= n_in:
                z = 2 * n_in - 1 - z
            merged[z] = merged.get(z, 0.0) + w / s
        rows.append(sorted((z, w) for z, w in merged.items() if w != 0))
    return rows


def bicubic_up(lr, scale):
    """uint8 HxWx3 -> the x`scale` MATLAB-bicubic upscale, rounded to uint8, computed as MatlabResize does in float32."""
    x = (lr.astype(np.float64) / 255).astype(np.float32)
    h, w, _ = x.shape
    rows = taps(h, h * scale, scale)
    y = np.zeros((h * scale, w, 3), np.float32)
    for r, row in enumerate(rows):                           # height pass
        acc = np.zeros((w, 3))
        for z, wt in row:
            acc = acc + wt * x[z].astype(np.float64)
        y[r] = acc.astype(np.float32)
    cols = taps(w, w * scale, scale)
    out = np.zeros((h * scale, w * scale, 3), np.float32)
    for c, col in enumerate(cols):                           # width pass
        acc = np.zeros((h * scale, 3))
        for z, wt in col:
            acc = acc + wt * y[:, z].astype(np.float64)
        out[:, c] = acc.astype(np.float32)
    return np.clip(np.floor(out.astype(np.float64) * 255 + 0.5), 0, 255).astype(np.uint8)


def psnr_rgb(a, b, shave):
    a = a.astype(np.float64)[shave:-shave, shave:-shave]
    b = b.astype(np.float64)[shave:-shave, shave:-shave]
    return 10 * math.log10(255 ** 2 / np.mean((a - b) ** 2))


def main():
    os.makedirs(os.path.join(HERE, 'weights'), exist_ok=True)
    os.makedirs(os.path.join(HERE, 'images', 'hr'), exist_ok=True)
    os.makedirs(os.path.join(HERE, 'images', 'lr'), exist_ok=True)
    os.makedirs(os.path.join(HERE, 'images', 'distorted'), exist_ok=True)
    alex, lin = alexnet_weights(), lin_weights()
    torch.save(alex, os.path.join(HERE, 'weights', 'alexnet-owt-7be5be79.pth'))
    torch.save(lin, os.path.join(HERE, 'weights', 'alex.pth'))
    os.makedirs(os.path.join(HERE, 'weights-legacy'), exist_ok=True)
    torch.save(lin, os.path.join(HERE, 'weights-legacy', 'alex.pth'), _use_new_zipfile_serialization=False)

    expected = {'pairs': [], 'eval': []}
    for seed, (name, kind) in enumerate([('a.png', 'noise'), ('b.png', 'blur'), ('c.png', 'posterize')]):
        hr = picture(100 + seed)
        bad = distort(hr, kind, 200 + seed)
        lr = np.floor(hr.astype(np.float64).reshape(32, 2, 32, 2, 3).mean((1, 3)) + 0.5).astype(np.uint8)
        Image.fromarray(hr).save(os.path.join(HERE, 'images', 'hr', name))
        Image.fromarray(bad).save(os.path.join(HERE, 'images', 'distorted', name))
        Image.fromarray(lr).save(os.path.join(HERE, 'images', 'lr', name))
        expected['pairs'].append({'hr': 'images/hr/' + name, 'distorted': 'images/distorted/' + name, 'distortion': kind,
                                  'lpips': lpips(alex, lin, hr, bad)})
        sr = bicubic_up(lr, 2)
        expected['eval'].append({'name': name, 'lpips': lpips(alex, lin, hr, sr), 'psnrRgbShave2': psnr_rgb(hr, sr, 2)})
        # The distance is symmetric, and zero for identical images (a sanity check of this implementation).
        assert abs(lpips(alex, lin, bad, hr) - expected['pairs'][-1]['lpips']) < 1e-12
        assert lpips(alex, lin, hr, hr) == 0.0
    expected['evalMeanLpips'] = sum(e['lpips'] for e in expected['eval']) / len(expected['eval'])
    expected['generator'] = f'make_lpips_fixture.py, PyTorch {torch.__version__}, NumPy {np.__version__}, float64'
    with open(os.path.join(HERE, 'expected.json'), 'w') as f:
        json.dump(expected, f, indent=2)
        f.write('\n')
    print(json.dumps(expected, indent=2))


if __name__ == '__main__':
    main()
