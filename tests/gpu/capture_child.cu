// A small CUDA program that `gaplens capture -- ...` runs in the GPU tests:
//   capture_child <mode> [steps]
// Each step: an NVTX range "child_step" around a kernel launch and a device-to-host copy.
// mode: ok (exit 0), exit3 (exit code 3 after the steps), segv (SIGSEGV after the steps),
//       term (SIGTERM to itself after the steps),
//       pause (pauses the capture at odd steps and resumes it at even ones, through
//       gaplens_capture_pause/resume of the injection library), pauseblip (pauses and resumes at
//       once, before step 1).
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <cuda_runtime.h>
#include <dlfcn.h>
#include <nvtx3/nvToolsExt.h>

extern "C" __global__ void gaplens_child_kernel(float* p, int n) {
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) p[i] = p[i] * 2.0f + 1.0f;
}

using CaptureControl = int (*)();

// The injection library the CUDA driver loaded for `gaplens capture`: same path, same handle.
CaptureControl captureControl(const char* name) {
    const char* library = std::getenv("CUDA_INJECTION64_PATH");
    void* handle = library ? dlopen(library, RTLD_NOW | RTLD_NOLOAD) : nullptr;
    return handle ? reinterpret_cast<CaptureControl>(dlsym(handle, name)) : nullptr;
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
    // pause: paused at each odd step, resumed at each even one (steps 0, 2, 4 captured), with CUDA
    // calls in between, so the capture detaches CUPTI and attaches it again each time.
    // pauseblip: paused and resumed at once before step 1, no CUDA call in between (all captured).
    const bool pauseMode = !std::strcmp(mode, "pause");
    const bool blipMode = !std::strcmp(mode, "pauseblip");
    int paused = -2, resumed = -2;  // -2: not called
    const CaptureControl pause = captureControl("gaplens_capture_pause");
    const CaptureControl resume = captureControl("gaplens_capture_resume");
    for (int s = 0; s < steps; ++s) {
        if ((pauseMode && s % 2 == 1) || (blipMode && s == 1)) {
            cudaDeviceSynchronize();
            paused = pause ? pause() : -3;
        }
        if ((pauseMode && s > 0 && s % 2 == 0) || (blipMode && s == 1)) resumed = resume ? resume() : -3;
        nvtxRangePushA("child_step");
        gaplens_child_kernel<<<(n + 255) / 256, 256>>>(d, n);
        cudaMemcpy(host, d, n * sizeof(float), cudaMemcpyDeviceToHost);
        nvtxRangePop();
    }
    std::printf("capture_child: %d steps, host[0]=%g\n", steps, host[0]);
    if (pauseMode || blipMode) std::printf("capture_child: pause=%d resume=%d\n", paused, resumed);
    std::fflush(stdout);
    if (!std::strcmp(mode, "exit3")) return 3;
    if (!std::strcmp(mode, "segv")) std::raise(SIGSEGV);
    if (!std::strcmp(mode, "term")) std::raise(SIGTERM);
    cudaFree(d);
    return 0;
}
