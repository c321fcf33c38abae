#!/usr/bin/env python3
"""A small PyTorch training step, to measure what capture costs on a real framework workload
(untraced vs torch.profiler vs `gaplens capture -- python bench/train_step.py`; runner:
bench/capture/framework_overhead.py), and to make real trace fixtures.
Models: `transformer` (4-layer d256 encoder, AdamW, bf16, ~300 kernels per step) and `cnn`
(a ResNet-style conv net on 64x64 images, SGD with momentum, bf16 autocast).

  python bench/train_step.py --steps 60            # prints median ms/step (synchronized per step)
  python bench/train_step.py --profiler cuda       # every step under torch.profiler: cuda, cpu or cpu+cuda
  python bench/train_step.py --emission nvtx      # torch's NVTX (or itt: ITT) ranges on, no tool listening
  gaplens capture -o t.json -- python bench/train_step.py --pause   # capture paused from the start
  python bench/train_step.py --trace out.json.gz   # 3 profiled steps after warm-up, exported
  gaplens capture -o t.json.gz -- python bench/train_step.py --alternate 8
      # in one process: blocks of steps with the capture paused and resumed in turn
      # (gaplens_capture_pause/resume of libgaplens_inject.so), median ms/step of each
  gaplens capture -o t.json.gz -- python bench/train_step.py --pair framework --rounds 8
      # in one process: blocks with gaplens' framework context off, on through ITT, on through NVTX
  python bench/train_step.py --pair profiler --rounds 8
      # in one process: blocks under torch.profiler with CUDA only and with CPU + CUDA in turn
Pairs give what the second mode adds over the first with the process's own noise left out: per
round, the median of a block minus the median of its neighbour; the figure is the median of those.
"""
import argparse, ctypes, os, statistics, time
import torch
import torch.nn as nn


def build(dev, model_name="transformer"):
    if model_name == "cnn":
        return build_cnn(dev)
    torch.manual_seed(0)
    layer = nn.TransformerEncoderLayer(d_model=256, nhead=4, dim_feedforward=1024,
                                       batch_first=True, dropout=0.0)
    model = nn.Sequential(nn.TransformerEncoder(layer, num_layers=4), nn.Linear(256, 256))
    model = model.to(dev, dtype=torch.bfloat16)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, foreach=True)
    x = torch.randn(32, 128, 256, device=dev, dtype=torch.bfloat16)
    y = torch.randn(32, 128, 256, device=dev, dtype=torch.bfloat16)
    return model, opt, x, y


class ConvNet(nn.Module):
    """ResNet-style: a stem, three stages of two residual blocks, global pooling, a linear head."""

    def __init__(self, width=64, classes=100):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, width, 3, padding=1, bias=False), nn.BatchNorm2d(width), nn.ReLU())
        blocks, c = [], width
        for stage in range(3):
            out = width * 2 ** stage
            for b in range(2):
                stride = 2 if (b == 0 and stage > 0) else 1
                blocks.append(Block(c, out, stride))
                c = out
        self.blocks = nn.Sequential(*blocks)
        self.head = nn.Linear(c, classes)

    def forward(self, x):
        x = self.blocks(self.stem(x))
        return self.head(torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1))


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.skip = None if (stride == 1 and cin == cout) else nn.Sequential(
            nn.Conv2d(cin, cout, 1, stride=stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = nn.functional.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return nn.functional.relu(y + (x if self.skip is None else self.skip(x)))


def build_cnn(dev):
    torch.manual_seed(0)
    model = ConvNet().to(dev, memory_format=torch.channels_last)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, foreach=True)
    x = torch.randn(64, 3, 64, 64, device=dev).to(memory_format=torch.channels_last)
    y = torch.randint(0, 100, (64,), device=dev)
    return model, opt, x, y


def cnn_step(model, opt, x, y):
    with torch.cuda.nvtx.range("train_step"):
        with torch.autograd.profiler.record_function("train_step"):
            opt.zero_grad(set_to_none=True)
            with torch.autocast("cuda", dtype=torch.bfloat16):
                loss = nn.functional.cross_entropy(model(x), y)
            loss.backward()
            opt.step()
    return loss


def train_step(model, opt, x, y):
    if isinstance(model, ConvNet):
        return cnn_step(model, opt, x, y)
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


def paired(model, opt, x, y, args, model_name):
    """Blocks of args.steps steps in two or three modes, in turn (the order reverses every round);
    the first 2 steps of each block are dropped (the switch's own cost). Prints each mode's median
    and, for each later mode, the median over rounds of its block median minus the first mode's.
      framework (under gaplens capture): context off | on through ITT | on through NVTX
      profiler: torch.profiler with CUDA only | with CPU + CUDA"""
    import sys
    if args.pair == "framework":
        import torch.autograd as autograd
        from torch._C._profiler import _ExperimentalConfig
        hook = sys.modules.get("_gaplens_framework")
        if hook is None:
            raise SystemExit("--pair framework: run under `gaplens capture` (framework context on)")
        names = ["gaplens", "gaplens_framework_itt", "gaplens_framework_nvtx"]
        kinds = {"gaplens_framework_itt": autograd.ProfilerState.ITT,
                 "gaplens_framework_nvtx": autograd.ProfilerState.NVTX}
        if hook._state["on"]:  # the hook's context; the blocks switch it themselves
            autograd._disable_profiler()
            hook._state["on"] = False

        def block(name):
            if name in kinds:
                autograd._enable_profiler(autograd.ProfilerConfig(kinds[name], False, False, False, False, False,
                                                                  _ExperimentalConfig()), set())
            times = timed_steps(model, opt, x, y, args.steps)
            if name in kinds:
                autograd._disable_profiler()
            return times
    else:
        from torch.profiler import profile, ProfilerActivity
        names = ["torch_cuda", "torch_cpu_cuda"]

        def block(name):
            acts = [ProfilerActivity.CPU, ProfilerActivity.CUDA] if name == "torch_cpu_cuda" else [ProfilerActivity.CUDA]
            with profile(activities=acts):
                return timed_steps(model, opt, x, y, args.steps)
    medians = {n: [] for n in names}
    for r in range(args.rounds):
        for name in (names if r % 2 == 0 else list(reversed(names))):
            medians[name].append(statistics.median(block(name)[2:]))
    for name in names:
        print(f"train_step model={model_name} mode=pair_{name} ms_per_step={statistics.median(medians[name]):.3f} "
              f"rounds={args.rounds} steps={args.steps}", flush=True)
    for name in names[1:]:
        diffs = [b - a for a, b in zip(medians[names[0]], medians[name])]
        print(f"train_step model={model_name} pair={name}-{names[0]} added_ms={statistics.median(diffs):.3f} "
              f"added_min={min(diffs):.3f} added_max={max(diffs):.3f} rounds={args.rounds}", flush=True)


def measure(model_name, args):
    """Builds one model, warms it up, times args.steps steps (under torch.profiler if asked)."""
    model, opt, x, y = build("cuda", model_name)
    if args.pause and not args.paused_already:  # after the first build: the capture starts with CUDA
        controls = capture_controls()
        if controls is None or controls[0]() != 0:
            raise SystemExit("--pause: run under `gaplens capture -- python bench/train_step.py --pause`")
        args.paused_already = True
    for _ in range(args.warmup):
        train_step(model, opt, x, y)
    torch.cuda.synchronize()
    if args.alternate:
        alternate(model, opt, x, y, args.alternate, args.steps)
        return
    if args.pair:
        paired(model, opt, x, y, args, model_name)
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
    if args.profiler != "none":
        from torch.profiler import profile, ProfilerActivity
        acts = {"cpu": ProfilerActivity.CPU, "cuda": ProfilerActivity.CUDA}
        ctx = profile(activities=[acts[a] for a in args.profiler.split("+")])
        ctx.__enter__()
    times = timed_steps(model, opt, x, y, args.steps)
    if ctx:
        ctx.__exit__(None, None, None)
    mode = "torch_profiler_" + args.profiler if args.profiler != "none" else "bare"
    q = statistics.quantiles(times, n=4)
    print(f"train_step model={model_name} mode={mode} ms_per_step={statistics.median(times):.3f} "
          f"p25={q[0]:.3f} p75={q[2]:.3f} steps={args.steps} cpu={current_cpu()}", flush=True)


def current_cpu():
    """The CPU this thread last ran on (field 39 of /proc/thread-self/stat), or -1: processes of one mode
    that differ by tens of percent may differ by where the scheduler put them."""
    try:
        with open("/proc/thread-self/stat") as f:
            return int(f.read().rsplit(")", 1)[1].split()[36])
    except (OSError, ValueError, IndexError):
        return -1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=60)
    ap.add_argument("--warmup", type=int, default=10)
    ap.add_argument("--model", default="transformer",
                    help="transformer, cnn, or both in one process: transformer,cnn (one line each)")
    ap.add_argument("--torch-profiler", action="store_true", help="same as --profiler cpu+cuda")
    ap.add_argument("--profiler", choices=["none", "cuda", "cpu", "cpu+cuda"], default="none",
                    help="run the timed steps under torch.profiler with these activities")
    ap.add_argument("--emission", choices=["none", "nvtx", "itt"], default="none",
                    help="torch's NVTX or ITT ranges for every op on, no tool listening (the framework context's floor)")
    ap.add_argument("--nvtx-emission", action="store_true", help="same as --emission nvtx")
    ap.add_argument("--pair", choices=["framework", "profiler"],
                    help="in one process, blocks in two modes in turn: gaplens framework context off/on "
                         "(under gaplens capture), or torch.profiler CUDA only / CPU + CUDA")
    ap.add_argument("--rounds", type=int, default=8, help="--pair: rounds of two blocks")
    ap.add_argument("--pause", action="store_true",
                    help="under gaplens capture: pause the capture before the first step and keep it paused")
    ap.add_argument("--trace")
    ap.add_argument("--alternate", type=int, default=0, metavar="ROUNDS",
                    help="under gaplens capture: ROUNDS x (--steps paused, --steps captured)")
    args = ap.parse_args()
    args.paused_already = False
    if args.torch_profiler:
        args.profiler = "cpu+cuda"
    models = args.model.split(",")
    for m in models:
        if m not in ("transformer", "cnn"):
            raise SystemExit(f"--model {m}: expected transformer or cnn")
    if args.nvtx_emission:
        args.emission = "nvtx"
    if args.emission != "none":
        from torch._C._profiler import _ExperimentalConfig
        import torch.autograd as autograd
        state = autograd.ProfilerState.NVTX if args.emission == "nvtx" else autograd.ProfilerState.ITT
        autograd._enable_profiler(autograd.ProfilerConfig(state, False, False, False, False, False,
                                                          _ExperimentalConfig()), set())
    for m in (models[:1] if (args.trace or args.alternate) else models):
        measure(m, args)


if __name__ == "__main__":
    main()
