#!/usr/bin/env python3
"""A small PyTorch training step: 4-layer d256 transformer encoder, AdamW, bf16.
Used to measure what capture costs on a real framework workload (bare vs torch.profiler vs
`gaplens capture -- python bench/train_step.py`), and to make a real trace fixture.

  python bench/train_step.py --steps 60            # prints median ms/step (synchronized per step)
  python bench/train_step.py --torch-profiler      # same, every step under torch.profiler
  python bench/train_step.py --trace out.json.gz   # 3 profiled steps after warm-up, exported
  gaplens capture -o t.json.gz -- python bench/train_step.py --alternate 8
      # in one process: blocks of steps with the capture paused and resumed in turn
      # (gaplens_capture_pause/resume of libgaplens_inject.so), median ms/step of each
"""
import argparse, ctypes, os, statistics, time
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


def capture_controls():
    """pause() and resume() of the gaplens capture this process runs under, or None."""
    path = os.environ.get("CUDA_INJECTION64_PATH")
    if not path or not os.environ.get("GAPLENS_OUTPUT"):
        return None
    lib = ctypes.CDLL(path)  # the library the driver already loaded: same handle, same state
    return lib.gaplens_capture_pause, lib.gaplens_capture_resume


def timed_steps(model, opt, x, y, steps):
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        train_step(model, opt, x, y)
        torch.cuda.synchronize()
        times.append((time.perf_counter() - t0) * 1e3)
    return times


def alternate(model, opt, x, y, rounds, steps):
    controls = capture_controls()
    if controls is None:
        raise SystemExit("--alternate: run under `gaplens capture -- python bench/train_step.py --alternate N`")
    pause, resume = controls
    paused, captured = [], []
    for r in range(rounds):
        # Alternate which block comes first, so neither always follows the other.
        order = ("paused", "captured") if r % 2 == 0 else ("captured", "paused")
        for block in order:
            if block == "paused":
                if pause() != 0:
                    raise SystemExit("gaplens_capture_pause failed")
                paused += timed_steps(model, opt, x, y, steps)
            else:
                if resume() != 0:
                    raise SystemExit("gaplens_capture_resume failed")
                captured += timed_steps(model, opt, x, y, steps)
    resume()
    p, c = statistics.median(paused), statistics.median(captured)
    print(f"train_step mode=same_process_paused ms_per_step={p:.3f} steps={len(paused)}")
    print(f"train_step mode=same_process_captured ms_per_step={c:.3f} steps={len(captured)}")
    print(f"train_step same_process overhead_pct={100 * (c - p) / p:.1f}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=60)
    ap.add_argument("--warmup", type=int, default=10)
    ap.add_argument("--torch-profiler", action="store_true")
    ap.add_argument("--trace")
    ap.add_argument("--alternate", type=int, default=0, metavar="ROUNDS",
                    help="under gaplens capture: ROUNDS x (--steps paused, --steps captured)")
    args = ap.parse_args()
    model, opt, x, y = build("cuda")
    for _ in range(args.warmup):
        train_step(model, opt, x, y)
    torch.cuda.synchronize()
    if args.alternate:
        alternate(model, opt, x, y, args.alternate, args.steps)
        return
    if args.trace:
        from torch.profiler import profile, ProfilerActivity
        with profile(activities=[ProfilerActivity.CPU, ProfilerActivity.CUDA]) as prof:
            for _ in range(3):
                train_step(model, opt, x, y)
            torch.cuda.synchronize()
        prof.export_chrome_trace(args.trace)
        return
    ctx = None
    if args.torch_profiler:
        from torch.profiler import profile, ProfilerActivity
        ctx = profile(activities=[ProfilerActivity.CPU, ProfilerActivity.CUDA])
        ctx.__enter__()
    times = timed_steps(model, opt, x, y, args.steps)
    if ctx:
        ctx.__exit__(None, None, None)
    mode = "torch_profiler" if args.torch_profiler else "bare"
    print(f"train_step mode={mode} ms_per_step={statistics.median(times):.3f} steps={args.steps}")


if __name__ == "__main__":
    main()
