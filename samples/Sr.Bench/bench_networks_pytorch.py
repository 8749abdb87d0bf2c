#!/usr/bin/env python3
"""The PyTorch peers of `sr bench networks` (samples/Sr.Bench/NetworksBench.cs): each SrMlNet network written in plain
PyTorch (Debian's python3-torch 1.13, the same libtorch as SrMlNet), loaded with SrMlNet's own weights, checked against
SrMlNet's output, loss and gradient, then timed the same way. Prints one JSON line.

  --config untuned  NCHW, OpenBLAS with its own thread pool (OPENBLAS_NUM_THREADS unset) on top of libtorch's threads.
  --config tuned    what a user who cares picks: torch.set_num_threads(--threads), OPENBLAS_NUM_THREADS=1, model and
                    inputs channels-last, inference under torch.inference_mode(); training channels-last, same Adam/loss.

Inputs (written by the benchmark): --weights W.safetensors (the network's state_dict) and --data D.safetensors (input,
output of SrMlNet on it, the training batch hr/lr/boundary, SrMlNet's first-step loss and gradient norm). A mismatch of
parameter count, state-dict keys/shapes, output, loss or gradient norm exits with status 3 and says what differs.

Each network is written as a PyTorch user would (nn.ConvTranspose2d + F.interpolate for BTSRN's up-sampling), with the
same layer sizes, wiring, state-dict keys and MATLAB-bicubic convolution as src/Sr.Models/Networks.
"""
import os
import sys

# OpenBLAS reads its thread count when libtorch loads it: set it before `import torch`.
if "--config" in sys.argv and sys.argv.index("--config") + 1 < len(sys.argv):
    if sys.argv[sys.argv.index("--config") + 1] == "tuned":
        os.environ["OPENBLAS_NUM_THREADS"] = "1"
    else:
        os.environ.pop("OPENBLAS_NUM_THREADS", None)

import argparse
import json
import math
import statistics
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def symmetric_pad(x, p):
    """Edge-inclusive mirror pad (MATLAB 'symmetric') of the last two dims by p, by index_select as SrMlNet does."""
    def index(n):
        idx = []
        for o in range(n + 2 * p):
            i = o - p
            m = i % (2 * n)
            idx.append(m if m < n else 2 * n - 1 - m)
        return torch.tensor(idx, dtype=torch.long)
    x = x.index_select(2, index(x.shape[2]))
    return x.index_select(3, index(x.shape[3]))


def cubic(x):
    ax = abs(x)
    if ax <= 1:
        return 1.5 * ax ** 3 - 2.5 * ax ** 2 + 1
    if ax <= 2:
        return -0.5 * ax ** 3 + 2.5 * ax ** 2 - 4 * ax + 2
    return 0.0


class BicubicUpsample(nn.Module):
    def __init__(self, s):
        super().__init__()
        self.s = s
        w = []
        for p in range(s):
            t = (p + 0.5) / s - 0.5
            row = [cubic(t - k) for k in range(-2, 3)]
            total = sum(row)
            w.append([v / total for v in row])
        k = torch.tensor([[[[w[p][a] * w[q][b] for b in range(5)] for a in range(5)]] for p in range(s) for q in range(s)], dtype=torch.float32)
        self.register_buffer("phases", k, persistent=False)

    def forward(self, x):
        n, c, h, w = x.shape
        y = F.conv2d(symmetric_pad(x.reshape(n * c, 1, h, w), 2), self.phases)
        return F.pixel_shuffle(y, self.s).reshape(n, c, h * self.s, w * self.s)


# ---- BTSRN -------------------------------------------------------------------------------------------------------
class PConv(nn.Module):
    def __init__(self, c=128, b=64, valid=True):
        super().__init__()
        self.valid = valid
        self.project = nn.Conv2d(c, b, 1)
        self.conv = nn.Conv2d(b, c, 3, padding=0 if valid else 1)

    def forward(self, x):
        y = self.conv(F.leaky_relu(self.project(F.leaky_relu(x, 0.2)), 0.2))
        return (x[:, :, 1:-1, 1:-1] if self.valid else x) + y


class Up(nn.Module):
    def __init__(self, c, s):
        super().__init__()
        self.s = s
        self.deconv = nn.ConvTranspose2d(c, c, s, s)

    def forward(self, x):
        return F.interpolate(x, scale_factor=self.s, mode="nearest") + self.deconv(F.leaky_relu(x, 0.2))


class Btsrn(nn.Module):
    def __init__(self, s):
        super().__init__()
        self.s = s
        self.conv_in = nn.Conv2d(3, 128, 1)
        self.lr_conv = nn.Sequential(*[PConv() for _ in range(6)])
        self.up = nn.Sequential(Up(128, 2), PConv(), Up(128, 2)) if s == 4 else Up(128, s)
        self.hr_conv = nn.Sequential(*[PConv() for _ in range(4)])
        self.conv_out = nn.Conv2d(128, 3, 1)
        self.bicubic = BicubicUpsample(s)
        hr_shrink = 4 + (2 if s == 4 else 0)
        self.pad = 6 + (hr_shrink + s - 1) // s
        self.crop = s * (self.pad - 6) - hr_shrink

    def forward(self, lr):
        x = symmetric_pad(lr, self.pad)
        h = self.hr_conv(self.up(self.lr_conv(self.conv_in(x - 0.5))))
        r = self.conv_out(F.leaky_relu(h, 0.2))
        H, W = lr.shape[2] * self.s, lr.shape[3] * self.s
        r = r[:, :, self.crop:self.crop + H, self.crop:self.crop + W]
        return r + self.bicubic(lr)


# ---- RSRNet ------------------------------------------------------------------------------------------------------
class QBReLU(nn.Module):
    def __init__(self, q=256, tmin=0.0, tmax=1.0):
        super().__init__()
        self.q, self.tmin, self.tmax = q, tmin, tmax

    def forward(self, x):
        step = (self.tmax - self.tmin) / (self.q - 1)
        y = x.clamp(self.tmin, self.tmax)
        q = torch.floor((y - self.tmin) / step + 0.5) * step + self.tmin
        return y + (q - y).detach()


class RrNet(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.d = d
        self.trunk = nn.Sequential(nn.Conv2d(1, 64, 3, padding=1), nn.LeakyReLU(0.05), nn.Conv2d(64, 64, 3, padding=1), nn.LeakyReLU(0.05),
                                   nn.Conv2d(64, 64, 3, padding=1), nn.LeakyReLU(0.05))
        self.down = nn.Conv2d(64, 1, d, stride=d)
        self.qbrelu = QBReLU()

    def forward(self, hr):
        return self.qbrelu(F.avg_pool2d(hr, self.d) + self.down(self.trunk(hr)))


class DenseUnit(nn.Module):
    def __init__(self, cin):
        super().__init__()
        self.bottleneck = nn.Conv2d(cin, 64, 1)
        self.conv = nn.Conv2d(64, 64, 3, padding=1)

    def forward(self, x):
        return F.leaky_relu(self.conv(F.leaky_relu(self.bottleneck(x), 0.05)), 0.05)


class SrNet(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.d = d
        self.conv = nn.Conv2d(1, 64, 3, padding=1)
        self.units = nn.ModuleList([DenseUnit(64 * u) for u in (1, 2, 3)])
        self.reconstruct = nn.Conv2d(256, d * d, 1)

    def forward(self, lr):
        feats = [F.leaky_relu(self.conv(lr), 0.05)]
        for unit in self.units:
            feats.append(unit(torch.cat(feats, 1)))
        r = self.reconstruct(torch.cat(feats, 1))
        n, c, h, w = lr.shape
        tiled = lr.unsqueeze(2).expand(n, c, self.d * self.d, h, w).reshape(n, c * self.d * self.d, h, w)
        return F.pixel_shuffle(r + tiled, self.d)


class RsrNet(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.rrnet, self.srnet = RrNet(d), SrNet(d)

    def forward(self, lr):
        return self.srnet(lr)

    def reduce_and_super_resolve(self, hr):
        return self.srnet(self.rrnet(hr))


# ---- GLRL --------------------------------------------------------------------------------------------------------
def conv3(cin, cout):
    return nn.Conv2d(cin, cout, 3, padding=1)


class Lrb(nn.Module):
    def __init__(self, c=64, units=2):
        super().__init__()
        self.units = units
        self.act_a, self.conv_a, self.act_b, self.conv_b = nn.PReLU(c), conv3(c, c), nn.PReLU(c), conv3(c, c)
        self.act_s, self.conv_s = nn.PReLU(c), conv3(c, c)

    def forward(self, x):
        d = x
        for _ in range(self.units):
            d = x + self.conv_b(self.act_b(self.conv_a(self.act_a(d))))
        return d + self.conv_s(self.act_s(x))


class Glrl(nn.Module):
    def __init__(self, s, c=64, blocks=3):
        super().__init__()
        self.upsample = BicubicUpsample(s)
        self.extract1, self.extract_act, self.extract2 = conv3(1, c), nn.PReLU(c), conv3(c, c)
        self.blocks = nn.ModuleList([Lrb(c) for _ in range(blocks)])
        self.reconstruct_act1, self.reconstruct1 = nn.PReLU(c), conv3(c, c)
        self.reconstruct_act2, self.reconstruct2 = nn.PReLU(c), conv3(c, 1)
        self.weights = nn.Parameter(torch.full([blocks], 1.0 / blocks))

    def forward(self, lr):
        ilr = self.upsample(lr)
        x = self.extract2(self.extract_act(self.extract1(ilr)))
        out = None
        for b, block in enumerate(self.blocks):
            x = block(x)
            r = self.reconstruct2(self.reconstruct_act2(self.reconstruct1(self.reconstruct_act1(x))))
            p = (r + ilr) * self.weights[b]
            out = p if out is None else out + p
        return out


# ---- LSP/HSP -----------------------------------------------------------------------------------------------------
class LspHsp(nn.Module):
    def __init__(self, s, alpha):
        super().__init__()
        self.s, self.alpha, self.k = s, alpha, 2 * s + 1
        self.extract = nn.Conv2d(1, 64, 5, padding=2)
        r = 1.0 / (self.k * self.k)
        self.shepard = nn.Module()  # state-dict keys as SrMlNet's ShepardDeconvolution: shepard.weight, shepard.bias
        self.shepard.weight = nn.Parameter(torch.randn(32, 64, self.k, self.k) * r + r)
        self.shepard.bias = nn.Parameter(torch.zeros(32))
        self.hsp = nn.Conv2d(32, 2, 5, padding=2)

    @staticmethod
    def central(x):
        p = F.pad(x, [1, 1, 1, 1], mode="replicate")
        gx = (p[:, :, 1:-1, 2:] - p[:, :, 1:-1, :-2]) / 2
        gy = (p[:, :, 2:, 1:-1] - p[:, :, :-2, 1:-1]) / 2
        return gx, gy

    @torch.no_grad()
    def placement(self, lr):
        n, _, h, w = lr.shape
        s, o = self.s, (self.s - 1) // 2
        rows = (torch.arange(h, dtype=torch.float32) * s + o).reshape(1, 1, h, 1).expand(n, 1, h, w)
        cols = (torch.arange(w, dtype=torch.float32) * s + o).reshape(1, 1, 1, w).expand(n, 1, h, w)
        gx, gy = self.central(lr)
        m = (gx * gx + gy * gy).sqrt()
        mx, my = self.central(m)
        norm = (mx * mx + my * my).sqrt()
        move = ((m > 0.1) & (norm > 1e-12)).float()  # SrMlNet's PlacementThreshold default
        safe = norm.clamp_min(1e-12)
        r = max(1, (s - 1) // 2)
        rows = rows - torch.round(my / safe * r) * move
        cols = cols - torch.round(mx / safe * r) * move
        qy = rows.clamp(0, h * s - 1).double()
        qx = cols.clamp(0, w * s - 1).double()
        return (qy * (w * s) + qx).long().reshape(n, h * w)

    def forward_with_boundary(self, lr):
        n, _, h, w = lr.shape
        sh, sw = h * self.s, w * self.s
        f = F.relu(self.extract(lr))
        c = f.shape[1]
        idx = self.placement(lr).unsqueeze(1)
        placed = torch.zeros(n, c, sh * sw).scatter_add(2, idx.expand(n, c, h * w), f.reshape(n, c, h * w)).reshape(n, c, sh, sw)
        ind = torch.zeros(n, 1, sh * sw).scatter_add(2, idx, torch.ones(n, 1, h * w)).reshape(n, 1, sh, sw)
        weight = self.shepard.weight.abs()  # SrMlNet's Shepard layer uses |W| (a bounded weighted mean)
        num = F.conv2d(placed, weight, None, 1, self.k // 2)
        den = F.conv2d(ind, weight.sum(1, keepdim=True), None, 1, self.k // 2)
        hh = num / den.clamp_min(1e-4) + self.shepard.bias.reshape(1, -1, 1, 1)
        maps = self.hsp(F.relu(hh))
        return maps[:, 0:1], maps[:, 1:2]

    def forward(self, lr):
        return self.forward_with_boundary(lr)[0]


def edges(hr, threshold=0.1):
    gray = hr if hr.shape[1] == 1 else hr.mean(1, keepdim=True)
    p = F.pad(gray, [1, 1, 1, 1], mode="replicate")
    kx = torch.tensor([[-1.0, 0, 1], [-2, 0, 2], [-1, 0, 1]]).reshape(1, 1, 3, 3) / 8
    gx, gy = F.conv2d(p, kx), F.conv2d(p, kx.transpose(2, 3))
    return ((gx * gx + gy * gy).sqrt() > threshold).float()


# ---- baselines ---------------------------------------------------------------------------------------------------
class Srcnn(nn.Module):
    def __init__(self, s):
        super().__init__()
        self.upsample = BicubicUpsample(s)
        self.conv1, self.conv2, self.conv3 = nn.Conv2d(1, 64, 9, padding=4), nn.Conv2d(64, 32, 1), nn.Conv2d(32, 1, 5, padding=2)

    def forward(self, lr):
        return self.conv3(F.relu(self.conv2(F.relu(self.conv1(self.upsample(lr))))))


class Vdsr(nn.Module):
    def __init__(self, s):
        super().__init__()
        self.upsample = BicubicUpsample(s)
        self.layers = nn.ModuleList([conv3(1 if i == 0 else 64, 1 if i == 19 else 64) for i in range(20)])

    def forward(self, lr):
        ilr = self.upsample(lr)
        x = ilr
        for layer in self.layers[:-1]:
            x = F.relu(layer(x))
        return self.layers[-1](x) + ilr


MODELS = {
    "btsrn": (lambda s: Btsrn(s), 3),
    "rsrnet": (lambda s: RsrNet(s), 1),
    "rsrnet-sr": (lambda s: SrNet(s), 1),
    "glrl": (lambda s: Glrl(s), 1),
    "lsp": (lambda s: LspHsp(s, 0.0), 1),
    "lsp-hsp": (lambda s: LspHsp(s, 0.1), 1),  # SrMlNet's BoundaryWeight default
    "srcnn": (lambda s: Srcnn(s), 1),
    "vdsr": (lambda s: Vdsr(s), 1),
}




# ---- safetensors without the safetensors package (8-byte header length, JSON header, raw little-endian data) -------
def load_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    n = int.from_bytes(raw[:8], "little")
    header = json.loads(raw[8:8 + n])
    base = 8 + n
    dtypes = {"F32": np.float32, "F64": np.float64, "I64": np.int64, "I32": np.int32}
    out = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        a, b = meta["data_offsets"]
        arr = np.frombuffer(raw, dtype=dtypes[meta["dtype"]], count=(b - a) // np.dtype(dtypes[meta["dtype"]]).itemsize, offset=base + a)
        out[name] = torch.from_numpy(arr.copy()).reshape(meta["shape"])
    return out


# ---- convolution FLOPs (2 per multiply-add), counted by wrapping F.conv2d / F.conv_transpose2d ----------------------
class ConvFlops:
    """Counts the multiply-adds of every convolution called while active. With grad: the forward, plus the weight
    gradient when the weight requires grad, plus the input gradient when the input requires grad (each as many FLOPs as
    the forward): the FLOPs of a training step's convolutions."""

    def __init__(self):
        self.forward = 0
        self.training = 0

    def _add(self, x, w, macs):
        f = 2 * macs
        self.forward += f
        grads = torch.is_grad_enabled() and not torch.is_inference_mode_enabled()
        self.training += f * (1 + (grads and w.requires_grad) + (grads and x.requires_grad))

    def __enter__(self):
        self._conv2d, self._convt = F.conv2d, F.conv_transpose2d
        conv2d, convt = self._conv2d, self._convt

        def counted_conv2d(x, w, *args, **kwargs):
            y = conv2d(x, w, *args, **kwargs)
            self._add(x, w, y.numel() * w.shape[1] * w.shape[2] * w.shape[3])  # out elements × Cin/groups × kh × kw
            return y

        def counted_convt(x, w, *args, **kwargs):
            y = convt(x, w, *args, **kwargs)
            self._add(x, w, x.numel() * w.shape[1] * w.shape[2] * w.shape[3])  # in elements × Cout/groups × kh × kw
            return y

        F.conv2d, F.conv_transpose2d = counted_conv2d, counted_convt
        return self

    def __exit__(self, *exc):
        F.conv2d, F.conv_transpose2d = self._conv2d, self._convt


def fail(message):
    print(f"bench_networks_pytorch.py: {message}", file=sys.stderr)
    sys.exit(3)


def relative_error(ours, theirs):
    ours, theirs = ours.detach().double(), theirs.detach().double()
    return (ours - theirs).abs().max().item() / max(1.0, theirs.abs().max().item())


def train_loss(net, hr, lr, boundary):
    """The step each paper trains with, as NetworksBench: L1 HR→HR for RSRNet, MSE on image + boundary for LSP/HSP,
    else MSE of net(LR) against HR."""
    if isinstance(net, RsrNet):
        return F.l1_loss(net.reduce_and_super_resolve(hr), hr)
    if isinstance(net, LspHsp):
        image, b = net.forward_with_boundary(lr)
        return F.mse_loss(image, hr) + F.mse_loss(b, boundary * net.alpha)
    return F.mse_loss(net(lr), hr)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True, choices=sorted(MODELS))
    ap.add_argument("--config", required=True, choices=["untuned", "tuned"])
    ap.add_argument("--weights", required=True, help="the network's state_dict (safetensors)")
    ap.add_argument("--data", required=True, help="inputs and SrMlNet's results to check against (safetensors)")
    ap.add_argument("--params", type=int, required=True, help="SrMlNet's parameter count")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--scale", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--steps", type=int, default=3)
    ap.add_argument("--tolerance", type=float, default=1e-4, help="max |Δ| / max(1, max |SrMlNet|) for output, loss and gradient norm")
    a = ap.parse_args()
    tuned = a.config == "tuned"
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    fmt = torch.channels_last if tuned else torch.contiguous_format

    make, channels = MODELS[a.model]
    net = make(a.scale)
    state = load_safetensors(a.weights)
    params = sum(p.numel() for p in net.parameters())
    if params != a.params:
        fail(f"{a.model}: the PyTorch network has {params:,} parameters, SrMlNet's {a.params:,}")
    try:
        net.load_state_dict(state, strict=True)
    except RuntimeError as e:
        fail(f"{a.model}: SrMlNet's state_dict does not fit the PyTorch network: {e}")
    net = net.to(memory_format=fmt)
    data = load_safetensors(a.data)

    def prepared(name):
        t = data[name]
        return t.contiguous(memory_format=fmt) if t.dim() == 4 else t

    # ---- inference: the first call is checked (and counted), then `repeats` timed calls ----
    net.eval()
    x = prepared("input")
    with torch.inference_mode():
        with ConvFlops() as flops:
            y = net(x)
        output_error = relative_error(data["output"], y)
        if not output_error <= a.tolerance:
            fail(f"{a.model} ({a.config}): output differs from SrMlNet's: max |Δ| = {output_error:.3g} × max(1, max |y|) > {a.tolerance:g}")
        infer_flops = flops.forward
        times = []
        for _ in range(a.repeats):
            t0 = time.perf_counter()
            net(x)
            times.append(time.perf_counter() - t0)

    # ---- training: the first step's loss and gradient norm are checked (and counted), then `steps` timed steps ----
    net.train()
    opt = torch.optim.Adam(net.parameters(), 1e-4)
    hr, lr, boundary = prepared("hr"), prepared("lr"), prepared("boundary")
    opt.zero_grad()
    with ConvFlops() as flops:
        loss = train_loss(net, hr, lr, boundary)
        loss.backward()
    train_flops = flops.training
    grad_norm = torch.sqrt(sum((p.grad.double() ** 2).sum() for p in net.parameters() if p.grad is not None))
    loss_error = relative_error(data["loss"].reshape(()), loss)
    grad_error = relative_error(data["grad_norm"].reshape(()), grad_norm)
    if not loss_error <= a.tolerance:
        fail(f"{a.model} ({a.config}): first-step loss {loss.item():.7g} differs from SrMlNet's {data['loss'].item():.7g}")
    if not grad_error <= 10 * a.tolerance:  # a sum over every parameter: looser
        fail(f"{a.model} ({a.config}): first-step gradient norm {grad_norm.item():.7g} differs from SrMlNet's {data['grad_norm'].item():.7g}")
    opt.step()
    step_times = []
    for _ in range(a.steps):
        t0 = time.perf_counter()
        opt.zero_grad()
        train_loss(net, hr, lr, boundary).backward()
        opt.step()
        step_times.append(time.perf_counter() - t0)

    print(json.dumps({
        "model": a.model, "config": a.config, "torch": torch.__version__, "threads": torch.get_num_threads(),
        "openblas_threads": os.environ.get("OPENBLAS_NUM_THREADS", "unset"), "channels_last": tuned,
        "params": params, "infer_s": statistics.median(times), "train_step_s": statistics.median(step_times),
        "infer_conv_flops": infer_flops, "train_conv_flops": train_flops,
        "output_error": output_error, "loss_error": loss_error, "grad_error": grad_error,
    }))


if __name__ == "__main__":
    main()
