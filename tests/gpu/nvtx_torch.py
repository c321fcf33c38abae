# Run by the GPU tests through `gaplens capture -- python3 nvtx_torch.py`: 5 steps of a bf16
# matmul + add, each inside torch.cuda.nvtx.range("torch_step").
import torch

a, b, c = (torch.randn(256, 256, device="cuda", dtype=torch.bfloat16) for _ in range(3))
for _ in range(5):
    with torch.cuda.nvtx.range("torch_step"):
        torch.mm(a, b) + c
torch.cuda.synchronize()
print("nvtx_torch: done")
