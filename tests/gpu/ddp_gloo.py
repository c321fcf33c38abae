# Run by the GPU tests through
#   gaplens capture -o run.json.gz -- torchrun --standalone --nproc_per_node=2 ddp_gloo.py
# Two ranks on one GPU with the gloo backend (NCCL will not put two ranks on one GPU): a small MLP
# in DistributedDataParallel, 5 steps each inside torch.cuda.nvtx.range("ddp_step"). Where gloo
# cannot reduce CUDA tensors, the gradients are all-reduced on the host instead. Each rank prints
# one line the test looks for.
import os
import sys

import torch
import torch.distributed as dist


def main():
    rank = int(os.environ["RANK"])
    world = int(os.environ["WORLD_SIZE"])
    local = int(os.environ.get("LOCAL_RANK", "0"))
    dist.init_process_group("gloo")
    device = torch.device("cuda", local % torch.cuda.device_count())
    torch.cuda.set_device(device)

    probe = torch.ones(1, device=device)
    try:
        dist.all_reduce(probe)
        cuda_collectives = True
    except RuntimeError:
        cuda_collectives = False

    torch.manual_seed(rank)
    model = torch.nn.Sequential(torch.nn.Linear(256, 512), torch.nn.ReLU(), torch.nn.Linear(512, 10)).to(device)
    net = torch.nn.parallel.DistributedDataParallel(model, device_ids=[device.index]) if cuda_collectives else model
    opt = torch.optim.SGD(net.parameters(), lr=0.01)
    x = torch.randn(64 * (rank + 1), 256, device=device)  # uneven work: rank 1 reaches each reduce later
    y = torch.randint(0, 10, (x.shape[0],), device=device)
    for _ in range(5):
        with torch.cuda.nvtx.range("ddp_step"):
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(net(x), y)
            loss.backward()
            if not cuda_collectives:
                for p in model.parameters():
                    g = p.grad.cpu()
                    dist.all_reduce(g)
                    p.grad.copy_(g / world)
            opt.step()
    torch.cuda.synchronize()
    dist.barrier()
    how = "DistributedDataParallel" if cuda_collectives else "host all_reduce (gloo has no CUDA tensors here)"
    print(f"ddp_gloo: rank {rank} of {world} on {device}: 5 steps, {how}", flush=True)
    dist.destroy_process_group()
    return 0


if __name__ == "__main__":
    sys.exit(main())
