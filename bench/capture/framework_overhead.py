#!/usr/bin/env python3
"""What capture costs a PyTorch training step, against the same program run without any tool.

Each mode runs as its own process (bench/train_step.py, which prints the median ms/step of its
timed steps, each step synchronized). The modes run interleaved: every round runs each mode once,
in an order rotated from round to round, so that the machine's drift lands on all modes alike.
A mode's figure is the median over rounds of its per-process medians, with the spread (min..max)
of those per-process medians; its cost is that median over the untraced median. With
--model transformer,cnn each process runs both models one after the other (the start-up of a
Python process with torch is most of its wall time), and each model gets its own table.

The machine drifts: on the H100 the first rounds after a busy GPU ran 10-25% slower than later
ones, for every mode alike. --settle-rounds N runs N rounds first that are not counted. The
"paired" column is the median over rounds of each round's mode/untraced ratio: a drift slower than
one round cancels in it.

Modes:
  untraced            python bench/train_step.py
  torch_cuda          torch.profiler, CUDA activity only (Kineto's CUPTI tracing: the CUPTI floor)
  torch_cpu_cuda      torch.profiler, CPU and CUDA activity (what torch.profiler users run)
  nvtx_emission       torch's NVTX ranges on, no tool listening (the NVTX way's own floor)
  itt_emission        torch's ITT ranges on, no collector (the ITT way's own floor)
  itt_null_collector  torch's ITT ranges on, INTEL_LIBITTNOTIFY64 naming bench/capture/itt_null_collector
                      (a collector whose calls return at once; needs --itt-null-collector): what torch's
                      ITT path costs with its calls made, so gaplens_framework minus this is gaplens' share
  gaplens             gaplens capture --framework=none (kernels, copies, CUDA calls, NVTX ranges)
  gaplens_framework   gaplens capture (framework context: torch ops and record_function ranges, through ITT)
  gaplens_framework_nvtx  the same, through torch's NVTX ranges (GAPLENS_FRAMEWORK_PROBE=nvtx)
  gaplens_framework_cupti_clock  the same through ITT, ranges stamped with CUPTI's timestamp instead of
                      the time-stamp counter (GAPLENS_CAPTURE_OPTIONS=cupti-clock; the default before 2026-12-06)
  gaplens_paused      gaplens capture --framework=none, paused from the first step (pause/resume API;
                      CUPTI detached while paused, the default)
  gaplens_paused_attached  the same with GAPLENS_CAPTURE_OPTIONS=no-detach: CUPTI stays attached with
                      every kind disabled (what detaching saves)
  gaplens_framework_paused  gaplens capture (framework context), paused from the first step
  gaplens_loaded      gaplens capture --framework=none with GAPLENS_CAPTURE_OPTIONS=off: the injection
                      library loaded, CUPTI never started (what a paused capture keeps, without its past)
  null_injection      untraced, with CUDA_INJECTION64_PATH naming bench/capture/null_injection (a library
                      whose InitializeInjection returns at once, no CUPTI): what any injected tool costs

  python3 bench/capture/framework_overhead.py --gaplens build/app/gaplens/gaplens --model transformer,cnn \
      --rounds 5 [--modes untraced,gaplens,...] [--steps 60] [--deadline SECONDS] [--out table.md]
      [--null-injection build/bench/capture/libnull_injection.so]
      [--itt-null-collector build/bench/capture/libitt_null_collector.so]
      [--cpus auto|LIST]
--cpus runs every process under `taskset -c`: `auto` is the CPUs local to the GPU (its PCI device's
local_cpulist). Whether pinning steadies a noisy host is not shown yet: on two H100 machines of one
day, untraced processes ranged 7.2-13.8 ms/step and the steps inside a process spread 3 times as
much as on the quiet machine of the same day (5.3-6.2 ms), on hosts with nothing else running; the
quiet machine had a single NUMA node, so `auto` pinned to every CPU.
When the untraced processes spread more than 25% of their median, the table says so: on such a
host the process-to-process noise is as large as the costs, and only the paired column means much.
The tables are rewritten after every round, so a run cut short still leaves the rounds it made.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TRAIN_STEP = os.environ.get("GAPLENS_TRAIN_STEP", os.path.join(HERE, "..", "train_step.py"))  # override: tests of this runner
ALL_MODES = ["untraced", "torch_cuda", "torch_cpu_cuda", "nvtx_emission", "itt_emission", "itt_null_collector",
             "gaplens", "gaplens_framework", "gaplens_framework_nvtx", "gaplens_framework_cupti_clock", "gaplens_paused", "gaplens_paused_attached",
             "gaplens_framework_paused", "gaplens_loaded", "gaplens_kernels_only",
             "null_injection"]
# Spread of the untraced processes, (max - min) / median, above which the table warns. On one day's
# H100 machines, 8 processes each: the quiet one 16% and 5% (transformer, conv net); the noisy ones
# 45-61%, and 17% on one conv-net table, which this misses.
NOISY_SPREAD = 0.25
# The gaplens modes that set GAPLENS_CAPTURE_OPTIONS of the injection library (what each part of
# the default capture costs), and the setting of each.
CAPTURE_OPTIONS = {
    "gaplens_framework_cupti_clock": "cupti-clock",
    "gaplens_kernels_only": "no-apis,no-latency,no-markers,no-sync,no-overhead",
    "gaplens_loaded": "off",
    "gaplens_paused_attached": "no-detach",
}


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
    if mode == "null_injection":
        if not args.null_injection:
            raise SystemExit("the null_injection mode needs --null-injection")
        env["CUDA_INJECTION64_PATH"] = os.path.abspath(args.null_injection)
        return step, env
    if mode in ("nvtx_emission", "itt_emission"):
        return step + ["--emission", mode.split("_")[0]], env
    if mode == "itt_null_collector":
        if not args.itt_null_collector:
            raise SystemExit("the itt_null_collector mode needs --itt-null-collector")
        env["INTEL_LIBITTNOTIFY64"] = os.path.abspath(args.itt_null_collector)
        return step + ["--emission", "itt"], env
    flags = ["--framework=auto" if mode.startswith("gaplens_framework") else "--framework=none"]
    if mode in CAPTURE_OPTIONS:
        env["GAPLENS_CAPTURE_OPTIONS"] = CAPTURE_OPTIONS[mode]
    if mode == "gaplens_framework_nvtx":
        env["GAPLENS_FRAMEWORK_PROBE"] = "nvtx"
    paused = ["--pause"] if mode in ("gaplens_paused", "gaplens_framework_paused", "gaplens_paused_attached") else []
    if mode.startswith("gaplens"):
        return capture + flags + ["--"] + step + paused, env
    raise SystemExit(f"unknown mode {mode}")


def gpu_local_cpus():
    """The CPU list of the first GPU's NUMA node, from sysfs through its PCI bus id."""
    bus = subprocess.run(["nvidia-smi", "--query-gpu=pci.bus_id", "--format=csv,noheader", "-i", "0"],
                         capture_output=True, text=True, check=True).stdout.strip()
    domain, rest = bus.split(":", 1)
    path = f"/sys/bus/pci/devices/{domain[-4:].lower()}:{rest.lower()}/local_cpulist"
    with open(path) as f:
        return f.read().strip()


def run_once(mode, args, trace_dir, round_no, log):
    """Runs one process; returns {model: median ms/step} for the models it reported."""
    argv, env = command(mode, args, trace_dir, round_no)
    if args.cpus:
        argv = ["taskset", "-c", args.cpus] + argv
    t0 = time.time()
    try:
        proc = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=args.timeout)
        out, err, rc = proc.stdout, proc.stderr, proc.returncode
    except subprocess.TimeoutExpired as e:
        out, err, rc = str(e.stdout or ""), str(e.stderr or ""), "timeout"
    log.write(f"## {mode} round {round_no} rc={rc} wall={time.time() - t0:.1f}s\n$ {' '.join(argv)}\n")
    log.write(out[-3000:] + err[-3000:] + "\n")
    log.flush()
    result = {}
    for line in out.splitlines():
        if line.startswith("train_step ") and "ms_per_step=" in line:
            fields = dict(f.split("=", 1) for f in line.split()[1:] if "=" in f)
            result[fields.get("model", args.model)] = float(fields["ms_per_step"])
    return result


def paired_cost(mode_values, untraced_values):
    """Median over rounds of (mode / untraced - 1) within each round, or None without a pair."""
    ratios = [m / u - 1 for m, u in zip(mode_values, untraced_values) if m is not None and u]
    return statistics.median(ratios) if ratios else None


def table(model, modes, results, args, rounds_done):
    base = [v for v in results["untraced"] if v is not None] if "untraced" in results else []
    base_median = statistics.median(base) if base else None
    settled = f", after {args.settle_rounds} uncounted" if args.settle_rounds else ""
    pinned = f", pinned to CPUs {args.cpus}" if args.cpus else ""
    lines = [f"model={model} rounds={rounds_done}{settled} steps={args.steps}{pinned} (median ms/step of each process; "
             f"figure = median over processes; paired = median over rounds of mode/untraced in the round)", "",
             "| mode | ms/step | spread (min..max) | vs untraced | paired |", "| --- | --- | --- | --- | --- |"]
    base_spread = (max(base) - min(base)) / base_median if base_median else 0
    if base_spread > NOISY_SPREAD:
        lines[2:2] = [f"NOISY HOST: the untraced processes spread {min(base):.2f}..{max(base):.2f} ms/step, "
                      f"{100 * base_spread:.0f}% of their median; read the paired column", ""]
    for mode in modes:
        vals = [v for v in results[mode] if v is not None]
        if not vals:
            lines.append(f"| {mode} | failed | | | |")
            continue
        med = statistics.median(vals)
        cost = f"{100 * (med - base_median) / base_median:+.1f}%" if base_median else ""
        paired = paired_cost(results[mode], results["untraced"]) if "untraced" in results else None
        paired_text = f"{100 * paired:+.1f}%" if paired is not None else ""
        lines.append(f"| {mode} | {med:.2f} | {min(vals):.2f}..{max(vals):.2f} | {cost} | {paired_text} |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gaplens", default="gaplens")
    ap.add_argument("--model", default="transformer")
    ap.add_argument("--modes", default="untraced,torch_cuda,torch_cpu_cuda,gaplens,gaplens_framework,gaplens_paused")
    ap.add_argument("--null-injection", default="", help="the null_injection module, for that mode")
    ap.add_argument("--itt-null-collector", default="", help="the itt_null_collector module, for that mode")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--settle-rounds", type=int, default=1, help="rounds run first and not counted")
    ap.add_argument("--steps", type=int, default=60)
    ap.add_argument("--warmup", type=int, default=10)
    ap.add_argument("--timeout", type=int, default=180)
    ap.add_argument("--deadline", type=float, default=0, help="start no round that would end after this many seconds")
    ap.add_argument("--cpus", default="", help="taskset -c list for every process, or auto (the GPU's local CPUs)")
    ap.add_argument("--log", default="framework_overhead.log")
    ap.add_argument("--out", default="")
    args = ap.parse_args()
    modes = args.modes.split(",")
    for m in modes:
        if m not in ALL_MODES:
            raise SystemExit(f"unknown mode {m} (known: {', '.join(ALL_MODES)})")
    if args.cpus == "auto":
        try:
            args.cpus = gpu_local_cpus()
        except (OSError, ValueError, subprocess.CalledProcessError) as e:
            print(f"--cpus auto: no GPU-local CPU list ({e}); processes not pinned", flush=True)
            args.cpus = ""
    if args.cpus:
        print(f"every process pinned to CPUs {args.cpus}", flush=True)
    models = args.model.split(",")
    results = {model: {m: [] for m in modes} for model in models}
    start = time.time()
    rounds_done = 0
    text = ""
    with tempfile.TemporaryDirectory(prefix="gaplens_overhead_") as trace_dir, open(args.log, "a") as log:
        for r in range(-args.settle_rounds, args.rounds):
            elapsed = time.time() - start
            rounds_run = r + args.settle_rounds
            if args.deadline and rounds_done and elapsed + elapsed / rounds_run > args.deadline:
                print(f"deadline: stopping after {rounds_done} rounds", flush=True)
                break
            order = modes[r % len(modes):] + modes[:r % len(modes)]
            for mode in order:
                got = run_once(mode, args, trace_dir, r, log)
                if r >= 0:
                    for model in models:
                        results[model][mode].append(got.get(model))
                print(f"round {r}{' (settling, not counted)' if r < 0 else ''} {mode}: {got}", flush=True)
                for f in os.listdir(trace_dir):
                    os.remove(os.path.join(trace_dir, f))
            if r < 0:
                continue
            rounds_done += 1
            text = "\n\n".join(table(model, modes, results[model], args, rounds_done) for model in models)
            if args.out:
                with open(args.out, "w") as f:
                    f.write(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
