#!/usr/bin/env python3
"""A small PyTorch training step: 4-layer d256 transformer encoder, AdamW, bf16.
Used to measure what capture costs on a real framework workload (bare vs torch.profiler vs
`gaplens capture -- python bench/train_step.py`), and to make a real trace fixture.

  python bench/train_step.py --steps 60            # prints median ms/step (synchronized per step)
  python bench/train_step.py --torch-profiler      # same, every step under torch.profiler
  python bench/train_step.py --trace out.json.gz   # 3 profiled steps after warm-up, exported
"""
import argparse, statistics, time
import torch
import torch.nn as nn


def build(dev):
    torch.manual_seed(0)
    layer = nn.TransformerEncoderLayer(d_model=256, nhead=4, dim_feedforward=1024,
                                       batch_first=True, dropout=0.0)
    model = nn.Sequential(nn.TransformerEncoder(layer, num_layers=4), nn.Linear(256, 256))
    model = model.to(dev, dtype=torch.bfloat16)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, foreach=True)
    x = torch.randn(32, 128, 256, device=dev, dtype=torch.bfloat16)
    y = torch.randn(32, 128, 256, device=dev, dtype=torch.bfloat16)
    return model, opt, x, y


def train_step(model, opt, x, y):
    with torch.cuda.nvtx.range("train_step"):
        with torch.autograd.profiler.record_function("train_step"):
            opt.zero_grad(set_to_none=True)
            loss = nn.functional.mse_loss(model(x), y)
            loss.backward()
            opt.step()
    return loss


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=60)
    ap.add_argument("--warmup", type=int, default=10)
    ap.add_argument("--torch-profiler", action="store_true")
    ap.add_argument("--trace")
    args = ap.parse_args()
    model, opt, x, y = build("cuda")
    for _ in range(args.warmup):
        train_step(model, opt, x, y)
    torch.cuda.synchronize()
    if args.trace:
        from torch.profiler import profile, ProfilerActivity
        with profile(activities=[ProfilerActivity.CPU, ProfilerActivity.CUDA]) as prof:
            for _ in range(3):
                train_step(model, opt, x, y)
            torch.cuda.synchronize()
        prof.export_chrome_trace(args.trace)
        return
    times = []
    ctx = None
    if args.torch_profiler:
        from torch.profiler import profile, ProfilerActivity
        ctx = profile(activities=[ProfilerActivity.CPU, ProfilerActivity.CUDA])
        ctx.__enter__()
    for _ in range(args.steps):
        t0 = time.perf_counter()
        train_step(model, opt, x, y)
        torch.cuda.synchronize()
        times.append((time.perf_counter() - t0) * 1e3)
    if ctx:
        ctx.__exit__(None, None, None)
    mode = "torch_profiler" if args.torch_profiler else "bare"
    print(f"train_step mode={mode} ms_per_step={statistics.median(times):.3f} steps={args.steps}")


if __name__ == "__main__":
    main()
