#!/usr/bin/env python3
"""What the framework context costs per torch op, by way in, with the process's own noise left out.

A loop of small CPU ops (add, mul, view on a 4-element tensor; each op is a RecordFunction, so each
one a range), timed in blocks. Modes take turns block by block inside one process, and a mode's
cost is its block's ns/op minus the neighbouring block of the first mode (paired, so the drift of
the machine and the luck of the process cancel); a process's figure is the median over its cycles,
and the table gives the median over processes (rounds) with their spread. CUDA is initialized in
every process (it starts gaplens' collector), but the timed ops launch nothing: what is measured is
the cost of the ranges alone.

Processes and their modes:
  plain:    bare | nvtx_emission (torch's NVTX mode, no tool) | itt_emission (torch's ITT mode, no
            collector) | kineto_cpu (torch.profiler with CPU activity)
  gaplens:  context_off (`gaplens capture`, framework context off) | gaplens_itt (on, through ITT) |
            gaplens_nvtx (on, through NVTX) | gaplens_itt_paused (torch's ITT mode on, the capture
            paused: gaplens' handlers called, nothing recorded, CUPTI's callbacks off)
  null_collector (with --null-collector: INTEL_LIBITTNOTIFY64 names bench/capture/itt_null_collector,
            a collector whose calls return at once):  null_bare | itt_null_collector (torch's ITT mode)
torch's own share of a way is its *_emission cost; gaplens' share is gaplens_<way> minus that. Of
the ITT share, itt_null_collector minus itt_emission is what a collector's presence costs torch
(its calls now made), and gaplens_itt minus itt_null_collector what gaplens' recording costs; of
that, gaplens_itt_paused minus itt_null_collector is what gaplens' handlers cost when they record
nothing, and gaplens_itt minus gaplens_itt_paused the recording itself.

  python3 bench/capture/framework_op_cost.py --gaplens build/app/gaplens/gaplens --rounds 3 \
      [--null-collector build/bench/capture/itt_null_collector.so] [--out table.md]
"""
import argparse
import ctypes
import os
import statistics
import subprocess
import sys
import tempfile
import time

PLAIN = ["bare", "nvtx_emission", "itt_emission", "kineto_cpu"]
CAPTURED = ["context_off", "gaplens_itt", "gaplens_nvtx", "gaplens_itt_paused"]
NULL_COLLECTOR = ["null_bare", "itt_null_collector"]
MODES_OF = {"plain": PLAIN, "gaplens": CAPTURED, "null_collector": NULL_COLLECTOR}


def child(args):
    import torch
    import torch.autograd as autograd
    from torch._C._profiler import _ExperimentalConfig

    torch.ones(1, device="cuda").add_(1)  # CUDA up: under gaplens capture, the collector starts here
    torch.cuda.synchronize()
    hook = sys.modules.get("_gaplens_framework")
    captured = args.child == "gaplens"
    if captured and (hook is None or not hook._state.get("on")):
        raise SystemExit("framework_op_cost: the gaplens process needs the framework context on")
    default_way = hook._state.get("via") if hook is not None else "-"
    state = {"profiler": None, "ranges": captured, "paused": False}  # the hook's context is on at start
    capture_lib = ctypes.CDLL(os.environ["CUDA_INJECTION64_PATH"]) if captured else None

    def set_paused(paused):
        if paused != state["paused"]:
            rc = (capture_lib.gaplens_capture_pause if paused else capture_lib.gaplens_capture_resume)()
            if rc != 0:
                raise SystemExit(f"framework_op_cost: pause/resume of the capture failed ({rc})")
            state["paused"] = paused

    def ranges_off():
        if state["ranges"]:
            autograd._disable_profiler()
            state["ranges"] = False
        if state["profiler"] is not None:
            state["profiler"].__exit__(None, None, None)
            state["profiler"] = None

    def ranges_on(kind):
        config = autograd.ProfilerConfig(kind, False, False, False, False, False, _ExperimentalConfig())
        autograd._enable_profiler(config, set())
        state["ranges"] = True

    def switch(mode):
        ranges_off()
        if captured:
            set_paused(mode == "gaplens_itt_paused")
        if mode in ("nvtx_emission", "gaplens_nvtx"):
            ranges_on(autograd.ProfilerState.NVTX)
        elif mode in ("itt_emission", "gaplens_itt", "itt_null_collector", "gaplens_itt_paused"):
            ranges_on(autograd.ProfilerState.ITT)
        elif mode == "kineto_cpu":
            from torch.profiler import profile, ProfilerActivity

            state["profiler"] = profile(activities=[ProfilerActivity.CPU])
            state["profiler"].__enter__()

    a = torch.ones(4)

    def block():
        t0 = time.perf_counter_ns()
        for _ in range(args.iterations):
            a.add(1).mul(2).view(-1)
        return (time.perf_counter_ns() - t0) / (3 * args.iterations)

    modes = MODES_OF[args.child]
    per_mode = {m: [] for m in modes}
    added = {m: [] for m in modes[1:]}
    for m in modes:  # warm-up: every mode once
        switch(m)
        block()
    for cycle in range(args.cycles):
        order = modes if cycle % 2 == 0 else list(reversed(modes))
        got = {}
        for m in order:
            switch(m)
            got[m] = block()
        for m in modes:
            per_mode[m].append(got[m])
        for m in modes[1:]:
            added[m].append(got[m] - got[modes[0]])
    ranges_off()
    if captured:
        set_paused(False)
    if captured and hook is not None:
        hook._state["on"] = False  # already off: the hook's exit handler has nothing to turn off
    for m in modes:
        extra = f" added={statistics.median(added[m]):.1f}" if m in added else ""
        print(f"op_cost process={args.child} mode={m} ns_per_op={statistics.median(per_mode[m]):.1f}{extra} "
              f"default_way={default_way}", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--gaplens", default="gaplens")
    ap.add_argument("--null-collector", default="", help="the itt_null_collector module: adds its process kind")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--iterations", type=int, default=4000)
    ap.add_argument("--cycles", type=int, default=12)
    ap.add_argument("--log", default="framework_op_cost.log")
    ap.add_argument("--out", default="")
    args = ap.parse_args()
    if args.child:
        return child(args)
    me = [sys.executable, os.path.abspath(__file__), "--iterations", str(args.iterations), "--cycles", str(args.cycles)]
    kinds = ["plain", "gaplens"] + (["null_collector"] if args.null_collector else [])
    rows = {m: {"ns": [], "added": []} for k in kinds for m in MODES_OF[k]}
    way = "-"
    with tempfile.TemporaryDirectory(prefix="gaplens_op_cost_") as tmp, open(args.log, "a") as log:
        for r in range(args.rounds):
            for kind in (kinds if r % 2 == 0 else list(reversed(kinds))):
                argv = me + ["--child", kind]
                env = dict(os.environ)
                if kind == "gaplens":
                    argv = [args.gaplens, "capture", "-o", os.path.join(tmp, f"op_cost_{r}.json"), "--"] + argv
                elif kind == "null_collector":
                    env["INTEL_LIBITTNOTIFY64"] = os.path.abspath(args.null_collector)
                proc = subprocess.run(argv, capture_output=True, text=True, timeout=300, env=env)
                log.write(f"## {kind} round {r} rc={proc.returncode}\n$ {' '.join(argv)}\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}\n")
                log.flush()
                for line in proc.stdout.splitlines():
                    if not line.startswith("op_cost "):
                        continue
                    f = dict(x.split("=", 1) for x in line.split()[1:])
                    rows[f["mode"]]["ns"].append(float(f["ns_per_op"]))
                    if "added" in f:
                        rows[f["mode"]]["added"].append(float(f["added"]))
                    if kind == "gaplens":
                        way = f.get("default_way", way)
                print(f"round {r} {kind}: rc={proc.returncode}", flush=True)
                for name in os.listdir(tmp):
                    os.remove(os.path.join(tmp, name))
    lines = [f"ns per torch op (CPU ops, no launches); {args.rounds} processes of each kind, {args.cycles} cycles each; "
             f"added = paired against the first mode of the same process (median over processes, min..max); "
             f"the framework context's default way here: {way}", "",
             "| process | mode | ns/op | added per op | spread of added |", "| --- | --- | --- | --- | --- |"]
    for kind in kinds:
        modes = MODES_OF[kind]
        for m in modes:
            ns, added = rows[m]["ns"], rows[m]["added"]
            if not ns:
                lines.append(f"| {kind} | {m} | failed | | |")
                continue
            add = f"{statistics.median(added):+.0f} ns" if added else ""
            spread = f"{min(added):+.0f}..{max(added):+.0f}" if added else ""
            lines.append(f"| {kind} | {m} | {statistics.median(ns):.0f} | {add} | {spread} |")
    text = "\n".join(lines)
    if args.out:
        with open(args.out, "w") as fh:
            fh.write(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
