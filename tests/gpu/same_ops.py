# Run by the GPU tests twice: `python3 same_ops.py torch OUT.json` records 5 training steps with
# torch.profiler (CPU + CUDA) and exports them; `gaplens capture -- python3 same_ops.py gaplens`
# runs the same 5 steps with no profiler of its own, the capture paused during the 3 warm-up steps
# (so both traces hold exactly the 5 steps). The test compares the two ops tables and verdicts.
import ctypes
import os
import sys

import torch
import torch.nn as nn
from torch.autograd.profiler import record_function

mode = sys.argv[1]
# CUDA first, so that gaplens' capture (which starts with CUDA) can be paused before the model is
# built: otherwise the copies of the parameters to the GPU are on its record and not on
# torch.profiler's, which starts after them.
torch.cuda.init()
capture = ctypes.CDLL(os.environ["CUDA_INJECTION64_PATH"]) if mode == "gaplens" else None
if capture:
    assert capture.gaplens_capture_pause() == 0
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(512, 1024), nn.GELU(), nn.Linear(1024, 512)).cuda()
opt = torch.optim.AdamW(model.parameters(), lr=1e-4, foreach=True)
x = torch.randn(128, 512, device="cuda")


def step():
    with record_function("train_step"):
        opt.zero_grad(set_to_none=True)
        model(x).pow(2).mean().backward()
        opt.step()


for _ in range(3):
    step()
torch.cuda.synchronize()
if mode == "torch":
    from torch.profiler import ProfilerActivity, profile

    with profile(activities=[ProfilerActivity.CPU, ProfilerActivity.CUDA]) as prof:
        for _ in range(5):
            step()
        torch.cuda.synchronize()
    prof.export_chrome_trace(sys.argv[2])
else:
    assert capture.gaplens_capture_resume() == 0
    for _ in range(5):
        step()
    torch.cuda.synchronize()
print("same_ops: done")
