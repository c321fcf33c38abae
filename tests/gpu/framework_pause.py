# Run by the GPU tests through `gaplens capture -- python3 framework_pause.py`: six steps, each
# inside record_function("step<N>"), the capture paused before step 2 and resumed before step 4
# (gaplens_capture_pause/resume of the injection library). Prints whether torch's range emission
# was on in each phase: the framework context turns it off while the capture is paused.
import ctypes
import os

import torch
from torch.autograd.profiler import record_function

lib = ctypes.CDLL(os.environ["CUDA_INJECTION64_PATH"])
profiler_enabled = getattr(torch.autograd, "_profiler_enabled", None) or torch._C._autograd._profiler_enabled
x = torch.randn(64, 64, device="cuda")
emission = {}
for step in range(6):
    if step == 2:
        torch.cuda.synchronize()
        print("framework_pause: pause", lib.gaplens_capture_pause())
        emission["paused"] = profiler_enabled()
    if step == 4:
        print("framework_pause: resume", lib.gaplens_capture_resume())
        emission["resumed"] = profiler_enabled()
    with record_function(f"step{step}"):
        y = torch.mm(x, x).relu()
torch.cuda.synchronize()
print("framework_pause: emission paused=%s resumed=%s" % (emission["paused"], emission["resumed"]))
