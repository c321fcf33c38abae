// A small CUDA program that `gaplens capture -- ...` runs in the GPU tests:
//   capture_child <mode> [steps]
// Each step: an NVTX range "child_step" around a kernel launch and a device-to-host copy.
// mode: ok (exit 0), exit3 (exit code 3 after the steps), segv (SIGSEGV after the steps),
//       term (SIGTERM to itself after the steps).
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <cuda_runtime.h>
#include <nvtx3/nvToolsExt.h>

extern "C" __global__ void gaplens_child_kernel(float* p, int n) {
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) p[i] = p[i] * 2.0f + 1.0f;
}

int main(int argc, char** argv) {
    const char* mode = argc > 1 ? argv[1] : "ok";
    const int steps = argc > 2 ? std::atoi(argv[2]) : 5;
    const int n = 1 << 16;
    float* d = nullptr;
    if (cudaMalloc(&d, n * sizeof(float)) != cudaSuccess) {
        std::fprintf(stderr, "capture_child: cudaMalloc failed\n");
        return 2;
    }
    cudaMemset(d, 0, n * sizeof(float));
    static float host[1 << 16];
    for (int s = 0; s < steps; ++s) {
        nvtxRangePushA("child_step");
        gaplens_child_kernel<<<(n + 255) / 256, 256>>>(d, n);
        cudaMemcpy(host, d, n * sizeof(float), cudaMemcpyDeviceToHost);
        nvtxRangePop();
    }
    std::printf("capture_child: %d steps, host[0]=%g\n", steps, host[0]);
    std::fflush(stdout);
    if (!std::strcmp(mode, "exit3")) return 3;
    if (!std::strcmp(mode, "segv")) std::raise(SIGSEGV);
    if (!std::strcmp(mode, "term")) std::raise(SIGTERM);
    cudaFree(d);
    return 0;
}
