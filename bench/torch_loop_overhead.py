#!/usr/bin/env python3
"""µs/iter of the reference loop (bf16 mm + add in record_function) in PyTorch, bare and
under torch.profiler, in one process: the baseline that gaplens' capture overhead is compared to.
Under `gaplens capture --`, mode `gaplens` runs with the capture on and `bare` with it paused
(gaplens_capture_pause/resume of libgaplens_inject.so), also in one process.
Prints one line per mode."""
import argparse, ctypes, os, time, statistics
import torch
from torch.profiler import profile, record_function, ProfilerActivity


def loop(a, b, c, iters):
    torch.cuda.synchronize()
    t0 = time.perf_counter()
    for _ in range(iters):
        with record_function("matmul_add"):
            torch.mm(a, b) + c
    torch.cuda.synchronize()
    return (time.perf_counter() - t0) / iters * 1e6


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=64)
    ap.add_argument("--iters", type=int, default=2000)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--modes", default="bare,torch_profiler")
    args = ap.parse_args()
    n = args.size
    a, b, c = (torch.randn(n, n, device="cuda", dtype=torch.bfloat16) for _ in range(3))
    loop(a, b, c, 200)
    capture = None
    if os.environ.get("CUDA_INJECTION64_PATH") and os.environ.get("GAPLENS_OUTPUT"):
        capture = ctypes.CDLL(os.environ["CUDA_INJECTION64_PATH"])
    res = {}
    modes = args.modes.split(",")
    for rep in range(args.reps):
        for i in range(len(modes)):
            mode = modes[(i + rep) % len(modes)]  # rotated, so no mode always follows another
            if mode in ("bare", "gaplens") and capture is not None:
                (capture.gaplens_capture_resume if mode == "gaplens" else capture.gaplens_capture_pause)()
            if mode in ("bare", "gaplens"):
                t = loop(a, b, c, args.iters)
            else:
                with profile(activities=[ProfilerActivity.CPU, ProfilerActivity.CUDA]):
                    t = loop(a, b, c, args.iters)
            res.setdefault(mode, []).append(t)
    base = statistics.median(res.get("bare", [float("nan")]))
    for mode, ts in res.items():
        m = statistics.median(ts)
        print(f"torch_loop size={n} mode={mode} us_per_iter={m:.2f} ratio={m / base:.3f}")


if __name__ == "__main__":
    main()
