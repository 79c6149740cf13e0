#!/usr/bin/env python3
"""Makes the tiny TorchScript fixture for TorchScriptFeatureNetworkTest.

A VGG-shaped toy (conv, ReLU, dropout, max-pool, conv; output before the last ReLU, like VGG19
features[:26]) with seeded weights, in eval mode, saved with torch.jit.script, plus the expected outputs and input gradient for a fixed
input, computed here with the same ImageNet normalisation the Java class applies.

Run once from the repository root:  python3 scripts/make-torchscript-fixture.py
Outputs: src/test/resources/perception/tiny-features.pt and tiny-features-expected.json
"""
import json
import math
import os

import torch
from torch import nn

OUT_DIR = os.path.join("src", "test", "resources", "perception")
MEAN = [0.485, 0.456, 0.406]
STD = [0.229, 0.224, 0.225]


def fixed_input():
    """(1,3,8,8) in [-1,1]; written to the JSON so the test does not recompute it."""
    n, c, h, w = 1, 3, 8, 8
    vals = [0.9 * math.sin(0.37 * (y * w + x) + 1.3 * ch) for ch in range(c) for y in range(h) for x in range(w)]
    return torch.tensor(vals, dtype=torch.float32).reshape(n, c, h, w)


def imagenet(x):
    mean = torch.tensor(MEAN).reshape(1, 3, 1, 1)
    std = torch.tensor(STD).reshape(1, 3, 1, 1)
    return ((x + 1) / 2 - mean) / std


def main():
    torch.manual_seed(20260101)
    net = nn.Sequential(
        nn.Conv2d(3, 4, 3, padding=1),
        nn.ReLU(inplace=False),
        # Identity in eval mode; random in training mode, so the test notices a module left in training mode.
        nn.Dropout(0.5),
        nn.MaxPool2d(2, 2),
        nn.Conv2d(4, 8, 3, padding=1),
    ).eval()
    for p in net.parameters():
        p.requires_grad_(False)
    scripted = torch.jit.script(net)
    os.makedirs(OUT_DIR, exist_ok=True)
    scripted.save(os.path.join(OUT_DIR, "tiny-features.pt"))

    x = fixed_input()
    with torch.no_grad():
        out_none = scripted(x)
    xg = x.clone().requires_grad_(True)
    out_imagenet = scripted(imagenet(xg))
    out_imagenet.sum().backward()

    def flat(t):
        return [round(float(v), 7) for v in t.detach().reshape(-1).tolist()]

    expected = {
        "torch_version": torch.__version__,
        "input_shape": list(x.shape),
        "input": flat(x),
        "output_shape": list(out_none.shape),
        "output_none": flat(out_none),
        "output_imagenet": flat(out_imagenet),
        "grad_of_sum_imagenet": flat(xg.grad),
    }
    with open(os.path.join(OUT_DIR, "tiny-features-expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
    print("torch", torch.__version__, "output", list(out_none.shape),
          "sum(imagenet)", float(out_imagenet.sum()), "grad abs sum", float(xg.grad.abs().sum()))


if __name__ == "__main__":
    main()
