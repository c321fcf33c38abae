# Run by the GPU tests through `gaplens capture -- python3 framework_torch.py`: a training loop of
# 8 steps, each inside record_function("train_step"): an eager MLP, then a torch.compile'd layer,
# then backward. The program has no NVTX of its own and never starts torch.profiler: what the trace
# shows of torch comes from gaplens' framework context.
import torch
import torch.nn as nn
from torch.autograd.profiler import record_function

torch.manual_seed(0)
eager = nn.Sequential(nn.Linear(256, 512), nn.GELU(), nn.Linear(512, 256)).cuda()
compiled = torch.compile(nn.Sequential(nn.Linear(256, 256), nn.ReLU()).cuda())
x = torch.randn(64, 256, device="cuda")
for _ in range(8):
    with record_function("train_step"):
        loss = compiled(eager(x)).sum()
        loss.backward()
torch.cuda.synchronize()
print("framework_torch: done")
