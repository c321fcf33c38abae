#!/usr/bin/env python3
"""What capture costs a PyTorch training step, against the same program run without any tool.

Each mode runs as its own process (bench/train_step.py, which prints the median ms/step of its
timed steps, each step synchronized). The modes run interleaved: every round runs each mode once,
in an order rotated from round to round, so that the machine's drift lands on all modes alike.
A mode's figure is the median over rounds of its per-process medians, with the spread (min..max)
of those per-process medians; its cost is that median over the untraced median.

Modes:
  untraced            python bench/train_step.py
  torch_cuda          torch.profiler, CUDA activity only (Kineto's CUPTI tracing: the CUPTI floor)
  torch_cpu_cuda      torch.profiler, CPU and CUDA activity (what torch.profiler users run)
  nvtx_emission       torch's NVTX ranges on, no tool listening (the framework context's own floor)
  gaplens             gaplens capture --framework=none (kernels, copies, CUDA calls, NVTX ranges)
  gaplens_framework   gaplens capture (framework context: torch ops and record_function ranges)
  gaplens_paused      gaplens capture --framework=none, paused from the first step (pause/resume API)

  python3 bench/capture/framework_overhead.py --gaplens build/app/gaplens/gaplens --model transformer \
      --rounds 5 [--modes untraced,gaplens,...] [--steps 60] [--out table.md]
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TRAIN_STEP = os.path.join(HERE, "..", "train_step.py")
ALL_MODES = ["untraced", "torch_cuda", "torch_cpu_cuda", "nvtx_emission", "gaplens", "gaplens_framework",
             "gaplens_paused"]


def command(mode, args, trace_dir, round_no):
    step = [sys.executable, TRAIN_STEP, "--model", args.model, "--steps", str(args.steps),
            "--warmup", str(args.warmup)]
    env = dict(os.environ)
    trace = os.path.join(trace_dir, f"{mode}_{round_no}.json")
    capture = [args.gaplens, "capture", "-o", trace]
    if mode == "untraced":
        return step, env
    if mode == "torch_cuda":
        return step + ["--profiler", "cuda"], env
    if mode == "torch_cpu_cuda":
        return step + ["--profiler", "cpu+cuda"], env
    if mode == "nvtx_emission":
        return step + ["--nvtx-emission"], env
    flags = ["--framework=auto" if mode == "gaplens_framework" else "--framework=none"]
    if mode in ("gaplens", "gaplens_framework"):
        return capture + flags + ["--"] + step, env
    if mode == "gaplens_paused":
        return capture + flags + ["--"] + step + ["--pause"], env
    raise SystemExit(f"unknown mode {mode}")


def run_once(mode, args, trace_dir, round_no, log):
    argv, env = command(mode, args, trace_dir, round_no)
    t0 = time.time()
    proc = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=args.timeout)
    log.write(f"## {mode} round {round_no} rc={proc.returncode} wall={time.time() - t0:.1f}s\n$ {' '.join(argv)}\n")
    log.write(proc.stdout[-3000:] + proc.stderr[-3000:] + "\n")
    for line in proc.stdout.splitlines():
        if line.startswith("train_step ") and "ms_per_step=" in line:
            return float(line.split("ms_per_step=")[1].split()[0])
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gaplens", default="gaplens")
    ap.add_argument("--model", default="transformer")
    ap.add_argument("--modes", default=",".join(ALL_MODES))
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--steps", type=int, default=60)
    ap.add_argument("--warmup", type=int, default=10)
    ap.add_argument("--timeout", type=int, default=180)
    ap.add_argument("--log", default="framework_overhead.log")
    ap.add_argument("--out", default="")
    args = ap.parse_args()
    modes = args.modes.split(",")
    results = {m: [] for m in modes}
    with tempfile.TemporaryDirectory(prefix="gaplens_overhead_") as trace_dir, open(args.log, "a") as log:
        for r in range(args.rounds):
            order = modes[r % len(modes):] + modes[:r % len(modes)]
            for mode in order:
                ms = run_once(mode, args, trace_dir, r, log)
                results[mode].append(ms)
                print(f"round {r} {mode}: {ms}", flush=True)
                for f in os.listdir(trace_dir):
                    os.remove(os.path.join(trace_dir, f))
    base = [v for v in results.get("untraced", []) if v is not None]
    base_median = statistics.median(base) if base else None
    lines = [f"model={args.model} rounds={args.rounds} steps={args.steps} (median ms/step of each process; "
             f"figure = median over processes)", "",
             "| mode | ms/step | spread (min..max) | vs untraced |", "| --- | --- | --- | --- |"]
    for mode in modes:
        vals = [v for v in results[mode] if v is not None]
        if not vals:
            lines.append(f"| {mode} | failed | | |")
            continue
        med = statistics.median(vals)
        cost = f"{100 * (med - base_median) / base_median:+.1f}%" if base_median else ""
        lines.append(f"| {mode} | {med:.2f} | {min(vals):.2f}..{max(vals):.2f} | {cost} |")
    text = "\n".join(lines)
    print(text)
    if args.out:
        with open(args.out, "a") as f:
            f.write(text + "\n\n")


if __name__ == "__main__":
    main()
