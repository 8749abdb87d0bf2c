#!/usr/bin/python3
"""Writes the weight and image fixtures of tests/Sr.Torch.Tests (run from the repository root with Debian's
python3-torch: `/usr/bin/python3 scripts/make_pt_fixture.py`). The outputs are committed; the tests only read them.

Weights:
  tiny_state_dict.pt        torch.save(m.state_dict()) of a tiny module (zip format, pickle protocol 2)
  tiny_state_dict_legacy.pt the same state dict in the legacy (PyTorch 0.4-1.5, non-zip) format:
                            torch.save(..., _use_new_zipfile_serialization=False)
  tiny_state_dict.json      expected names, dtypes, shapes, sums and first values of every entry
  tiny_checkpoint.pth       a training checkpoint {"params": sd, "params_ema": sd', "iter": 1000}
  tiny_whole_module.pt      torch.save(m) of a whole module: a pickle our restricted reader must refuse
  tiny_python.safetensors   the same state dict in safetensors, written by hand here (the `safetensors`
                            package is not installed here; the format is simple enough to write directly)
Images (written by hand, so the exact pixel values are known):
  rgb16.png, gray16.png     16-bit PNGs; values listed in images.json
  photo.jpg                 a JPEG written by PIL (4 solid colour quadrants)
  known.{bmp,tif,ppm,webp}, known.pgm, known_rgba.png   one 3×4 picture in the other formats (PIL, lossless)
"""
import collections
import json
import os
import struct
import zlib

import numpy as np
import torch
from torch import nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "Sr.Torch.Tests", "Fixtures")


class Tiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.bn = nn.BatchNorm2d(4)          # buffers incl. the int64 scalar num_batches_tracked
        self.fc = nn.Linear(8, 5)
        self.register_buffer("table", torch.arange(6, dtype=torch.float32).reshape(2, 3))
        base = torch.randn(4, 6)
        # Two views of one storage: a transpose (strides 1,6) and an offset window (offset 8, strides 6,1).
        self.register_buffer("transposed", base.t())
        self.register_buffer("window", base[1:3, 2:5])
        self.register_buffer("f64", torch.randn(3, dtype=torch.float64))
        self.register_buffer("i64", torch.tensor([-3, 0, 7, 2 ** 40], dtype=torch.int64))
        self.register_buffer("f16", torch.tensor([0.5, -2.0, 65504.0], dtype=torch.float16))
        self.register_buffer("u8", torch.tensor([[0, 255], [17, 3]], dtype=torch.uint8))
        self.register_buffer("flags", torch.tensor([True, False, True]))


def describe(sd):
    out = collections.OrderedDict()
    for k, v in sd.items():
        d = v.detach().to(torch.float64)
        out[k] = {
            "dtype": str(v.dtype).replace("torch.", ""),
            "shape": list(v.shape),
            "sum": float(d.sum()),
            "first": [float(x) for x in d.reshape(-1)[:4]],
            "contiguous": bool(v.is_contiguous()),
        }
    return out


ST_DTYPES = {torch.float32: "F32", torch.float64: "F64", torch.float16: "F16", torch.bfloat16: "BF16",
             torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8",
             torch.uint8: "U8", torch.bool: "BOOL"}


def write_safetensors(path, sd, metadata):
    """The safetensors layout: u64 LE header length, JSON header, then the raw little-endian bytes."""
    header = {"__metadata__": metadata}
    blobs, offset = [], 0
    for k, v in sd.items():
        raw = v.detach().contiguous().numpy().tobytes()
        header[k] = {"dtype": ST_DTYPES[v.dtype], "shape": list(v.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def write_png16(path, pixels):
    """pixels: H×W×C uint16 (C = 1 gray or 3 RGB), written as a 16-bit PNG (big-endian samples)."""
    h, w, c = pixels.shape
    colour = {1: 0, 3: 2}[c]
    rows = b"".join(b"\x00" + pixels[y].astype(">u2").tobytes() for y in range(h))
    png = b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 16, colour, 0, 0, 0))
    png += png_chunk(b"IDAT", zlib.compress(rows)) + png_chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(png)


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(1234)
    m = Tiny()
    with torch.no_grad():  # non-default BN statistics so that every buffer carries information
        m.bn.running_mean.uniform_(-1, 1)
        m.bn.running_var.uniform_(0.5, 2)
        m.bn.num_batches_tracked.fill_(42)
    sd = m.state_dict()
    assert not sd["transposed"].is_contiguous() and sd["window"].storage_offset() == 8
    torch.save(sd, os.path.join(OUT, "tiny_state_dict.pt"))
    torch.save(sd, os.path.join(OUT, "tiny_state_dict_legacy.pt"), _use_new_zipfile_serialization=False)

    ema = collections.OrderedDict((k, v * 2 if v.is_floating_point() else v.clone()) for k, v in sd.items())
    torch.save({"params": sd, "params_ema": ema, "iter": 1000}, os.path.join(OUT, "tiny_checkpoint.pth"))
    torch.save(nn.Linear(2, 2), os.path.join(OUT, "tiny_whole_module.pt"))

    write_safetensors(os.path.join(OUT, "tiny_python.safetensors"), sd, {"format": "pt", "made_by": "make_pt_fixture.py"})

    with open(os.path.join(OUT, "tiny_state_dict.json"), "w") as f:
        json.dump({"torch_version": torch.__version__, "state_dict": describe(sd),
                   "params_ema_sum_conv_weight": float(ema["conv.weight"].double().sum()),
                   # forward results: they pin the weight layouts (OIHW conv, out×in linear), not only the values
                   "conv_of_ones_sum": float(m.conv(torch.ones(1, 3, 5, 5)).double().sum()),
                   "fc_of_arange": [float(x) for x in m.fc(torch.arange(8.0).reshape(1, 8))[0]]}, f, indent=1)

    # 16-bit images with values that an 8-bit path would lose (low byte != 0, > 255).
    rgb16 = np.zeros((3, 5, 3), dtype=np.uint16)
    rgb16[..., 0] = np.arange(15).reshape(3, 5) * 4369          # 0 .. 61166
    rgb16[..., 1] = 1000
    rgb16[..., 2] = 65535
    rgb16[0, 0] = (1, 258, 65534)
    write_png16(os.path.join(OUT, "rgb16.png"), rgb16)
    gray16 = (np.arange(12, dtype=np.uint32).reshape(3, 4) * 5000 + 7).astype(np.uint16)
    write_png16(os.path.join(OUT, "gray16.png"), gray16[..., None])

    from PIL import Image
    photo = np.zeros((32, 48, 3), dtype=np.uint8)
    photo[:16, :24] = (255, 0, 0)
    photo[:16, 24:] = (0, 255, 0)
    photo[16:, :24] = (0, 0, 255)
    photo[16:, 24:] = (128, 128, 128)
    Image.fromarray(photo).save(os.path.join(OUT, "photo.jpg"), quality=95)

    # One small RGB picture in every other format the reader accepts (lossless ones, so values are exact).
    known = (np.arange(3 * 4 * 3).reshape(3, 4, 3) * 7 % 256).astype(np.uint8)
    for ext, extra in (("bmp", {}), ("tif", {"compression": "tiff_lzw"}), ("ppm", {}), ("webp", {"lossless": True})):
        Image.fromarray(known).save(os.path.join(OUT, "known." + ext), **extra)
    Image.fromarray(known[..., 1]).save(os.path.join(OUT, "known.pgm"))
    rgba = np.concatenate([known, np.full((3, 4, 1), 200, np.uint8)], axis=2)
    rgba[0, 0, 3] = 0
    Image.fromarray(rgba, "RGBA").save(os.path.join(OUT, "known_rgba.png"))

    with open(os.path.join(OUT, "images.json"), "w") as f:
        json.dump({"rgb16": rgb16.tolist(), "gray16": gray16.tolist(), "known": known.tolist(), "known_rgba": rgba.tolist(),
                   "photo_quadrants": [[255, 0, 0], [0, 255, 0], [0, 0, 255], [128, 128, 128]]}, f)


if __name__ == "__main__":
    main()
