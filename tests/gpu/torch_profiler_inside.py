# Run by the GPU tests under `gaplens capture -- python3 torch_profiler_inside.py OUT.json`: a
# program that runs torch.profiler itself, between steps that it does not profile. Three phases of
# 5 steps (bf16 mm 256 + add), each phase in an NVTX range named after it; the middle one under
# torch.profiler (CPU + CUDA), exported to OUT.json. Prints the kernels torch.profiler saw.
import json
import sys

import torch
from torch.profiler import ProfilerActivity, profile

out = sys.argv[1]
a, b, c = (torch.randn(256, 256, device="cuda", dtype=torch.bfloat16) for _ in range(3))


def steps(phase):
    with torch.cuda.nvtx.range(phase):
        for _ in range(5):
            torch.mm(a, b) + c
        torch.cuda.synchronize()


steps("before")
with profile(activities=[ProfilerActivity.CPU, ProfilerActivity.CUDA]) as prof:
    steps("during")
prof.export_chrome_trace(out)
steps("after")
with open(out) as f:
    events = json.load(f).get("traceEvents", [])
print("torch_profiler_inside: torch.profiler kernels", sum(1 for e in events if e.get("cat") == "kernel"))
