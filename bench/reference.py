#!/usr/bin/env python3
"""FaceToon benchmark reference: the same generator and training step as the Java engine, in plain PyTorch.

It mirrors, layer by layer, io.github.facetoon.engine.model.GeneratorBlock (the White-box U-Net, 1,467,075
parameters), PatchDiscriminatorBlock with SpectralNormConv2dBlock, the per-channel guided filter of
engine.representation.GuidedFilter, the surface and texture representations, TV and LSGAN. `bench --with-python`
runs it after the Java sections with the same sizes and counts and prints the ratios; it also runs on its own:

    python3 bench/reference.py                # human-readable
    python3 bench/reference.py --json --quick

Training steps measured (batch 16, 128 px by default):
  pretrain     G forward, L1 to the photo, backward, Adam(G)                    (= Java PretrainLoop)
  adversarial  G step: fake = GF(x, G(x), r=1, eps=1e-2); TV + LSGAN_G(Ds(surface(fake)))
               + LSGAN_G(Dt(texture(fake))); backward; Adam(G).
               D step on the detached fake: LSGAN_D for both discriminators; backward; Adam(D).
               (= Java CartoonTrainingLoop with the content, structure and landmark weights at 0)
Content (feature network), structure (SLIC superpixels) and the landmark term are not in the reference: they need
the bundled MobileNet, OpenCV's SLIC and the landmark network, which have no plain-PyTorch twin here.
"""
import argparse
import json
import os
import platform
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

SLOPE = 0.2


def log(msg):
    print("reference: " + msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------------- networks

def conv(cin, cout, k, stride=1):
    return nn.Conv2d(cin, cout, k, stride=stride, padding=k // 2, bias=True)


class Residual(nn.Module):
    """out = x + conv3(LReLU(conv3(x))), no activation after the add."""

    def __init__(self, c):
        super().__init__()
        self.conv1 = conv(c, c, 3)
        self.conv2 = conv(c, c, 3)

    def forward(self, x):
        return x + self.conv2(F.leaky_relu(self.conv1(x), SLOPE))


class Generator(nn.Module):
    """The White-box U-Net with working additive skips and a tanh output (GeneratorBlock)."""

    def __init__(self, c=32, blocks=4):
        super().__init__()
        self.in_conv = conv(3, c, 7)
        self.down1_stride = conv(c, c, 3, 2)
        self.down1 = conv(c, 2 * c, 3)
        self.down2_stride = conv(2 * c, 2 * c, 3, 2)
        self.down2 = conv(2 * c, 4 * c, 3)
        self.residuals = nn.Sequential(*[Residual(4 * c) for _ in range(blocks)])
        self.up1_reduce = conv(4 * c, 2 * c, 3)
        self.up1_merge = conv(2 * c, 2 * c, 3)
        self.up2_reduce = conv(2 * c, c, 3)
        self.up2_merge = conv(c, c, 3)
        self.out_conv = conv(c, 3, 7)

    def forward(self, x):
        lrelu = lambda t: F.leaky_relu(t, SLOPE)
        x0 = lrelu(self.in_conv(x))                                   # (N,32,H,W)
        x1 = lrelu(self.down1(lrelu(self.down1_stride(x0))))          # (N,64,H/2,W/2)
        x2 = lrelu(self.down2(lrelu(self.down2_stride(x1))))          # (N,128,H/4,W/4)
        x2 = self.residuals(x2)
        x2 = lrelu(self.up1_reduce(x2))                               # (N,64,H/4,W/4)
        x3 = F.interpolate(x2, size=x1.shape[2:], mode="bilinear", align_corners=False)
        x3 = lrelu(self.up2_reduce(lrelu(self.up1_merge(x3 + x1))))   # (N,32,H/2,W/2)
        x4 = F.interpolate(x3, size=x0.shape[2:], mode="bilinear", align_corners=False)
        x4 = lrelu(self.up2_merge(x4 + x0))                           # (N,32,H,W)
        return torch.tanh(self.out_conv(x4))                          # (N,3,H,W)


def normalize(v):
    return v / (v.norm() + 1e-12)


class SNConv(nn.Module):
    """Conv with W / sigma, one power iteration per training forward (SpectralNormConv2dBlock)."""

    def __init__(self, cin, cout, k, stride, padding):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(cout, cin, k, k))
        nn.init.xavier_uniform_(self.weight)
        self.bias = nn.Parameter(torch.zeros(cout))
        self.register_buffer("u", normalize(torch.randn(cout)))
        self.stride = stride
        self.padding = padding

    def forward(self, x):
        w = self.weight
        out_c = w.shape[0]
        with torch.no_grad():
            mat = w.reshape(out_c, -1)
            u = self.u.clone().reshape(out_c, 1)
            v = normalize(mat.t() @ u)
            if self.training:
                u = normalize(mat @ v)
                self.u.copy_(u.reshape(-1))
        sigma = (u @ v.t()).reshape(w.shape).mul(w).sum()
        return F.conv2d(x, w / sigma, self.bias, self.stride, self.padding)


class Discriminator(nn.Module):
    """Patch discriminator: three stages (32, 64, 128) of stride-2 and stride-1 SN convs, then a 1x1 head."""

    def __init__(self, cin):
        super().__init__()
        layers = []
        c = cin
        for out in (32, 64, 128):
            layers += [SNConv(c, out, 3, 2, 1), SNConv(out, out, 3, 1, 1)]
            c = out
        self.convs = nn.ModuleList(layers)
        self.head = SNConv(c, 1, 1, 1, 0)

    def forward(self, x):
        for layer in self.convs:
            x = F.leaky_relu(layer(x), SLOPE)
        return self.head(x)


# ---------------------------------------------------------------------------------------------------- representations

def box_sum(x, r):
    c = x.shape[1]
    k = 2 * r + 1
    rows = F.conv2d(x, x.new_ones(c, 1, 1, k), padding=(0, r), groups=c)
    return F.conv2d(rows, x.new_ones(c, 1, k, 1), padding=(r, 0), groups=c)


def guided_filter(guide, src, r, eps):
    """Per-channel guided filter on centred data, as GuidedFilter.filter."""
    h, w = src.shape[2:]
    norm = box_sum(src.new_ones(1, 1, h, w), r)
    p_mean = src.mean(dim=(2, 3), keepdim=True)
    i = guide - guide.mean(dim=(2, 3), keepdim=True)
    p = src - p_mean
    ci, c = i.shape[1], p.shape[1]
    means = box_sum(torch.cat([i, p, i * p, i * i], 1), r) / norm
    mean_i, mean_p = means[:, :ci], means[:, ci:ci + c]
    corr_ip, corr_ii = means[:, ci + c:ci + 2 * c], means[:, ci + 2 * c:]
    cov_ip = corr_ip - mean_i * mean_p
    var_i = (corr_ii - mean_i * mean_i).clamp_min(0)
    a = cov_ip / (var_i + eps)
    b = mean_p - a * mean_i
    mean_ab = box_sum(torch.cat([a, b], 1), r) / norm
    return mean_ab[:, :c] * i + mean_ab[:, c:] + p_mean


def surface(x):
    return guided_filter(x, x, 5, 0.2)


def texture(x, shift):
    return (x * shift).sum(dim=1, keepdim=True)


def tv(x):
    dh = x[:, :, 1:, :] - x[:, :, :-1, :]
    dw = x[:, :, :, 1:] - x[:, :, :, :-1]
    return (dh.square().mean() + dw.square().mean()) / (3.0 * 256 * 256)


def lsgan_g(fake_logits):
    return (fake_logits - 1).square().mean()


def lsgan_d(real_logits, fake_logits):
    return ((real_logits - 1).square().mean() + fake_logits.square().mean()) * 0.5


# ---------------------------------------------------------------------------------------------------- timing

def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize()


def timed(fn, warmup, repeats, device):
    out = []
    for i in range(warmup + repeats):
        sync(device)
        start = time.perf_counter()
        fn()
        sync(device)
        if i >= warmup:
            out.append(time.perf_counter() - start)
    return out


def matmul(n, warmup, repeats, device):
    a = torch.rand(n, n, device=device) * 2 - 1
    b = torch.rand(n, n, device=device) * 2 - 1
    with torch.no_grad():
        s = timed(lambda: a @ b, warmup + 1, max(3, repeats * 2), device)
    flop = 2.0 * n ** 3
    return {"size": n, "medianGflops": round(flop / statistics.median(s) / 1e9, 2),
            "bestGflops": round(flop / min(s) / 1e9, 2)}


def inference(g, sizes, batches, warmup, repeats, device):
    g.eval()
    result = []
    for size in sizes:
        rows = []
        for batch in batches:
            log(f"inference {size}², batch {batch}")
            x = torch.rand(batch, 3, size, size, device=device) * 2 - 1
            with torch.inference_mode():
                s = timed(lambda: g(x), warmup, repeats, device)
            rows.append({"batch": batch, "msPerImage": round(statistics.median(s) * 1e3 / batch, 2)})
        best = min(rows, key=lambda r: r["msPerImage"])
        result.append({"size": size, "network": rows, "bestBatch": best["batch"], "bestMsPerImage": best["msPerImage"]})
    return result


def training(args, device):
    torch.manual_seed(42)
    n, s = args.train_batch, args.train_size
    photos = [torch.rand(n, 3, s, s, device=device) * 2 - 1 for _ in range(2)]
    cartoons = [torch.rand(n, 3, s, s, device=device) * 2 - 1 for _ in range(2)]
    steps = args.train_warmup + args.train_steps
    out = {"batch": n, "size": s}

    g = Generator().to(device).train()
    opt_g = torch.optim.Adam(g.parameters(), lr=2e-4, betas=(0.5, 0.99))

    def pretrain_step(i):
        photo = photos[i % 2]
        l1 = (g(photo) - photo).abs().mean()
        opt_g.zero_grad(set_to_none=True)
        l1.backward()
        opt_g.step()
        return l1.item()                                    # one host read per step, as the Java loop

    log(f"training: pretrain, batch {n}, {s} px, {args.train_warmup} + {args.train_steps} steps")
    out["pretrain"] = step_stats(timed_steps(pretrain_step, steps, args.train_warmup, device))

    g = Generator().to(device).train()
    d_s = Discriminator(3).to(device).train()
    d_t = Discriminator(1).to(device).train()
    opt_g = torch.optim.Adam(g.parameters(), lr=2e-4, betas=(0.5, 0.99))
    opt_d = torch.optim.Adam(list(d_s.parameters()) + list(d_t.parameters()), lr=2e-4, betas=(0.5, 0.99))
    w_tv, w_surface, w_texture = 1e4, 0.1, 1.0              # LossWeights.defaults()
    gen = torch.Generator().manual_seed(42)

    def adversarial_step(i):
        photo, cartoon = photos[i % 2], cartoons[i % 2]
        lo = torch.tensor([0.199, 0.487, 0.014])
        shift = lo + 0.2 * torch.rand(3, generator=gen)
        shift = (shift / shift.sum()).reshape(1, 3, 1, 1).to(device)
        fake = guided_filter(photo, g(photo), 1, 1e-2)
        l_tv = tv(fake)
        l_s = lsgan_g(d_s(surface(fake)))
        l_t = lsgan_g(d_t(texture(fake, shift)))
        total = w_tv * l_tv + w_surface * l_s + w_texture * l_t
        opt_g.zero_grad(set_to_none=True)
        total.backward()
        opt_g.step()
        fd = fake.detach()
        d_surface = lsgan_d(d_s(surface(cartoon)), d_s(surface(fd)))
        d_texture = lsgan_d(d_t(texture(cartoon, shift)), d_t(texture(fd, shift)))
        opt_d.zero_grad(set_to_none=True)
        (d_surface + d_texture).backward()
        opt_d.step()
        return torch.stack([l_tv, l_s, l_t, total, d_surface, d_texture]).detach().tolist()

    log(f"training: adversarial subset, batch {n}, {s} px, {args.train_warmup} + {args.train_steps} steps")
    out["adversarial"] = step_stats(timed_steps(adversarial_step, steps, args.train_warmup, device))
    return out


def timed_steps(step, steps, warmup, device):
    times = []
    for i in range(steps):
        sync(device)
        start = time.perf_counter()
        step(i)
        sync(device)
        if i >= warmup:
            times.append(time.perf_counter() - start)
    return times


def step_stats(seconds):
    m = statistics.median(seconds)
    return {"stepMs": round(m * 1e3, 1), "itPerSec": round(1 / m, 4)}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--quick", action="store_true", help="tiny sizes and counts (a smoke run)")
    p.add_argument("--device", default="auto", help="auto, cpu, gpu or gpu:N")
    p.add_argument("--sizes", default="256,512,720")
    p.add_argument("--batches", default="1,2,4")
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--train-batch", type=int, default=16)
    p.add_argument("--train-size", type=int, default=128)
    p.add_argument("--train-steps", type=int, default=3)
    p.add_argument("--train-warmup", type=int, default=1)
    p.add_argument("--matmul-size", type=int, default=2048)
    p.add_argument("--threads", type=int, default=os.cpu_count(),
                   help="intra-op threads (default: all CPUs; the Java side passes its engine's count)")
    p.add_argument("--no-inference", action="store_true")
    p.add_argument("--no-training", action="store_true")
    args = p.parse_args()
    if args.quick:
        args.sizes, args.batches, args.repeats = "64", "1,2", 2
        args.train_batch, args.train_size, args.train_steps, args.matmul_size = 2, 32, 2, 256

    spec = args.device.lower()
    if spec == "auto":
        device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    elif spec.startswith("gpu"):
        device = torch.device("cuda:" + (spec.split(":")[1] if ":" in spec else "0"))
    else:
        device = torch.device("cpu")

    # Debian's OpenMP build starts with one thread; use the same count as the Java engine.
    torch.set_num_threads(args.threads)
    torch.manual_seed(42)
    g = Generator().to(device)
    params = sum(t.numel() for t in g.parameters())
    report = {"torch": torch.__version__, "python": platform.python_version(), "threads": torch.get_num_threads(),
              "device": str(device), "generatorParameters": params,
              "included": "pretrain: G + L1 + Adam; adversarial: G, guided filter, TV, surface and texture "
                          "representations, two spectral-norm discriminators, LSGAN, Adam for G and D"}
    log(f"torch {torch.__version__} on {device}, {torch.get_num_threads()} threads, generator {params:,} parameters")
    report["matmul"] = matmul(args.matmul_size, args.warmup, args.repeats, device)
    if not args.no_inference:
        sizes = [int(s) for s in args.sizes.split(",")]
        batches = [int(b) for b in args.batches.split(",")]
        report["inference"] = inference(g, sizes, batches, args.warmup, args.repeats, device)
    if not args.no_training:
        report["training"] = training(args, device)

    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"torch {report['torch']} on {device}, {report['threads']} threads; generator {params:,} parameters")
    print(f"fp32 matmul {args.matmul_size}²: {report['matmul']['medianGflops']} GFLOP/s median")
    for row in report.get("inference", []):
        cells = "  ".join(f"b{r['batch']} {r['msPerImage']} ms/img" for r in row["network"])
        print(f"inference {row['size']}²: {cells}")
    t = report.get("training")
    if t:
        for k in ("pretrain", "adversarial"):
            print(f"training {k} (batch {t['batch']}, {t['size']} px): {t[k]['stepMs']} ms/step, {t[k]['itPerSec']} it/s")


if __name__ == "__main__":
    main()
