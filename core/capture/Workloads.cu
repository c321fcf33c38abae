#include "core/capture/Workloads.h"

#include <cublas_v2.h>
#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include "core/capture/CublasLibrary.h"
#include "core/capture/CuptiCollector.h"

namespace gaplens::capture {
namespace {

// extern "C": the kernels keep their plain names in traces.
// E = D + C, elementwise, grid-stride: the "+ c" of `torch.mm(a, b) + c`.
extern "C" __global__ void gaplens_add_bf16(const __nv_bfloat16* d, const __nv_bfloat16* c, __nv_bfloat16* e, size_t n) {
    for (size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x; i < n; i += size_t(gridDim.x) * blockDim.x)
        e[i] = __hadd(d[i], c[i]);
}

extern "C" __global__ void gaplens_fill_bf16(__nv_bfloat16* p, size_t n, float scale) {
    for (size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x; i < n; i += size_t(gridDim.x) * blockDim.x)
        p[i] = __float2bfloat16(float(int(i % 17) - 8) * scale);
}

std::string cudaError(cudaError_t e, const char* what) {
    return std::string(what) + " failed: " + cudaGetErrorName(e) + " (" + cudaGetErrorString(e) + ")";
}
std::string cublasError(const CublasLibrary* blas, cublasStatus_t s, const char* what) {
    return std::string(what) + " failed: " + blas->statusName(s) + " (" + blas->statusString(s) + ")";
}

#define GAPLENS_CUDA_TRY(call)                                    \
    do {                                                          \
        if (cudaError_t e_ = (call); e_ != cudaSuccess) return cudaError(e_, #call); \
    } while (0)
#define GAPLENS_CUBLAS_TRY(call)                                  \
    do {                                                          \
        if (cublasStatus_t s_ = (call); s_ != CUBLAS_STATUS_SUCCESS) return cublasError(blas, s_, #call); \
    } while (0)

constexpr size_t kWorkspaceBytes = 32u << 20;

}  // namespace

bool parseWorkloadName(const std::string& name, WorkloadVariant* variant) {
    if (name == "matmul_add") *variant = WorkloadVariant::MatmulAdd;
    else if (name == "matmul_add_batched") *variant = WorkloadVariant::Batched;
    else if (name == "matmul_add_graph") *variant = WorkloadVariant::Graph;
    else return false;
    return true;
}

const char* workloadName(WorkloadVariant variant) {
    switch (variant) {
    case WorkloadVariant::MatmulAdd: return "matmul_add";
    case WorkloadVariant::Batched: return "matmul_add_batched";
    case WorkloadVariant::Graph: return "matmul_add_graph";
    }
    return "matmul_add";
}

std::string checkCudaDevice() {
    int count = 0;
    const cudaError_t e = cudaGetDeviceCount(&count);
    if (e != cudaSuccess)
        return "no CUDA device: cudaGetDeviceCount returned " + std::to_string(int(e)) + " (" + cudaGetErrorString(e) + ")";
    if (count == 0) return "no CUDA device: cudaGetDeviceCount found 0 devices";
    return "";
}

struct MatmulAddLoop::Impl {
    WorkloadVariant variant = WorkloadVariant::MatmulAdd;
    int n = 0;
    int batch = 1;
    size_t elements = 0;  // per operand, all batches
    __nv_bfloat16 *a = nullptr, *b = nullptr, *c = nullptr, *d = nullptr, *e = nullptr;
    void* workspace = nullptr;
    cudaStream_t stream = nullptr;
    const CublasLibrary* blas = nullptr;  // loaded in setup()
    cublasHandle_t handle = nullptr;
    cudaGraph_t graph = nullptr;
    cudaGraphExec_t graphExec = nullptr;

    std::string body() {
        const float alpha = 1.0f, beta = 0.0f;
        if (variant == WorkloadVariant::Batched) {
            const long long stride = (long long)n * n;
            GAPLENS_CUBLAS_TRY(blas->gemmStridedBatchedEx(handle, CUBLAS_OP_N, CUBLAS_OP_N, n, n, n, &alpha, a,
                                                          CUDA_R_16BF, n, stride, b, CUDA_R_16BF, n, stride, &beta, d,
                                                          CUDA_R_16BF, n, stride, batch, CUBLAS_COMPUTE_32F,
                                                          CUBLAS_GEMM_DEFAULT));
        } else {
            GAPLENS_CUBLAS_TRY(blas->gemmEx(handle, CUBLAS_OP_N, CUBLAS_OP_N, n, n, n, &alpha, a, CUDA_R_16BF, n, b,
                                            CUDA_R_16BF, n, &beta, d, CUDA_R_16BF, n, CUBLAS_COMPUTE_32F,
                                            CUBLAS_GEMM_DEFAULT));
        }
        const int threads = 256;
        const int blocks = int(std::min<size_t>((elements + threads - 1) / threads, 132 * 16));
        gaplens_add_bf16<<<blocks, threads, 0, stream>>>(d, c, e, elements);
        GAPLENS_CUDA_TRY(cudaGetLastError());
        return "";
    }

    std::string setup() {
        std::string loadError;
        if (!(blas = cublasLibrary(&loadError))) return loadError;
        elements = size_t(n) * n * size_t(batch);
        for (__nv_bfloat16** p : {&a, &b, &c, &d, &e})
            GAPLENS_CUDA_TRY(cudaMalloc(reinterpret_cast<void**>(p), elements * sizeof(__nv_bfloat16)));
        GAPLENS_CUDA_TRY(cudaMalloc(&workspace, kWorkspaceBytes));
        GAPLENS_CUDA_TRY(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));
        float scale = 0.01f;
        for (__nv_bfloat16* p : {a, b, c}) {
            gaplens_fill_bf16<<<264, 256, 0, stream>>>(p, elements, scale);
            scale *= 1.5f;
        }
        GAPLENS_CUDA_TRY(cudaGetLastError());
        GAPLENS_CUBLAS_TRY(blas->create(&handle));
        GAPLENS_CUBLAS_TRY(blas->setStream(handle, stream));
        // A fixed workspace: no allocation inside the loop, and legal inside graph capture.
        GAPLENS_CUBLAS_TRY(blas->setWorkspace(handle, workspace, kWorkspaceBytes));
        if (variant == WorkloadVariant::Graph) {
            GAPLENS_CUDA_TRY(cudaStreamBeginCapture(stream, cudaStreamCaptureModeThreadLocal));
            std::string err = body();
            cudaGraph_t g = nullptr;
            const cudaError_t endErr = cudaStreamEndCapture(stream, &g);
            if (!err.empty()) return err;
            if (endErr != cudaSuccess) return cudaError(endErr, "cudaStreamEndCapture");
            graph = g;
            GAPLENS_CUDA_TRY(cudaGraphInstantiate(&graphExec, graph, 0));
            GAPLENS_CUDA_TRY(cudaGraphUpload(graphExec, stream));
        }
        GAPLENS_CUDA_TRY(cudaStreamSynchronize(stream));
        return "";
    }

    ~Impl() {
        if (graphExec) cudaGraphExecDestroy(graphExec);
        if (graph) cudaGraphDestroy(graph);
        if (handle) blas->destroy(handle);
        if (stream) cudaStreamDestroy(stream);
        for (void* p : {(void*)a, (void*)b, (void*)c, (void*)d, (void*)e, workspace})
            if (p) cudaFree(p);
    }
};

std::unique_ptr<MatmulAddLoop> MatmulAddLoop::create(WorkloadVariant variant, int size, int batch, std::string* error) {
    std::unique_ptr<MatmulAddLoop> loop(new MatmulAddLoop());
    loop->impl_ = std::make_unique<Impl>();
    loop->impl_->variant = variant;
    loop->impl_->n = size;
    loop->impl_->batch = variant == WorkloadVariant::Batched ? std::max(1, batch) : 1;
    if (std::string err = loop->impl_->setup(); !err.empty()) {
        if (error) *error = err;
        return nullptr;
    }
    return loop;
}

MatmulAddLoop::~MatmulAddLoop() = default;

std::string MatmulAddLoop::step() {
    if (impl_->graphExec) {
        GAPLENS_CUDA_TRY(cudaGraphLaunch(impl_->graphExec, impl_->stream));
        return "";
    }
    return impl_->body();
}

std::string MatmulAddLoop::synchronize() {
    GAPLENS_CUDA_TRY(cudaStreamSynchronize(impl_->stream));
    return "";
}

double MatmulAddLoop::flopsPerStep() const { return 2.0 * impl_->n * double(impl_->n) * impl_->n * impl_->batch; }

WorkloadRun runWorkload(const WorkloadOptions& options) {
    WorkloadRun run;
    CuptiCollector& collector = CuptiCollector::instance();
    if (collector.running()) {
        run.error = "the CUPTI collector is already running in this process";
        return run;
    }
    // cuBLAS is loaded now, before anything is recorded: a program linked with it has it loaded
    // before its first step too (CublasLibrary.h says why gaplens loads it late).
    if (!cublasLibrary(&run.error)) return run;
    // The collector runs from before the buffers are made so that the first (cold) step's setup
    // (allocation, cuBLAS handle, module loading) is on the record when the schedule keeps step 0.
    const bool recordSetup = options.schedule.phase(0) != StepPhase::Idle;
    if (recordSetup) {
        if (std::string err = collector.start(); !err.empty()) {
            run.error = err;
            return run;
        }
    }
    const uint64_t setupStart = CuptiCollector::now();
    std::string error;
    std::unique_ptr<MatmulAddLoop> loop = MatmulAddLoop::create(options.variant, options.size, options.batch, &error);
    if (!loop) {
        collector.stop();
        collector.discard();
        run.error = error;
        return run;
    }
    run.flopsPerStep = loop->flopsPerStep();
    const std::string rangeName = "matmul_add";
    uint64_t windowStart = 0;
    bool windowOpen = false;
    if (recordSetup && options.schedule.phase(0) == StepPhase::Active) {
        windowStart = setupStart;
        windowOpen = true;
    }
    for (int s = 0; s < options.iters && run.error.empty(); ++s) {
        const StepPhase phase = options.schedule.phase(s);
        if (phase != StepPhase::Idle && !collector.running()) {
            if (std::string err = collector.start(); !err.empty()) {
                run.error = err;
                break;
            }
        }
        if (phase == StepPhase::Active && !windowOpen) {
            windowStart = CuptiCollector::now();
            windowOpen = true;
        }
        const uint64_t t0 = CuptiCollector::now();
        run.error = loop->step();
        const uint64_t t1 = CuptiCollector::now();
        if (phase != StepPhase::Idle) collector.addRange(rangeName, t0, t1);
        if (phase == StepPhase::Active) ++run.recordedSteps;
        if (options.schedule.endsCycle(s) || (windowOpen && s == options.iters - 1)) {
            if (std::string err = loop->synchronize(); !err.empty() && run.error.empty()) run.error = err;
            run.windows.emplace_back(windowStart, CuptiCollector::now());
            windowOpen = false;
            if (options.schedule.phase(s + 1) == StepPhase::Idle) collector.stop();
        }
    }
    if (std::string err = loop->synchronize(); !err.empty() && run.error.empty()) run.error = err;
    if (windowOpen) run.windows.emplace_back(windowStart, CuptiCollector::now());
    collector.stop();
    run.data = collector.take();
    if (run.data.devices.empty()) {
        int device = 0;
        cudaDeviceProp prop{};
        if (cudaGetDevice(&device) == cudaSuccess && cudaGetDeviceProperties(&prop, device) == cudaSuccess)
            run.data.devices.push_back({uint32_t(device), prop.name, uint32_t(prop.multiProcessorCount),
                                        uint64_t(prop.totalGlobalMem), uint32_t(prop.major), uint32_t(prop.minor)});
    }
    return run;
}

}  // namespace gaplens::capture
