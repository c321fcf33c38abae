#pragma once
// The built-in workloads: the reference loop of the product brief on cuBLAS, and its two fixes.
//  matmul_add          per step: cublasGemmEx (bf16 in/out, fp32 accumulate) N×N×N, then our add kernel
//  matmul_add_batched  per step: one cublasGemmStridedBatchedEx over `batch` matrices, then one add
//  matmul_add_graph    the step (GEMM + add) captured once as a CUDA graph; per step one cudaGraphLaunch
// Every step runs inside a user range named after the workload's loop ("matmul_add").
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/capture/CaptureData.h"
#include "core/capture/Schedule.h"

namespace gaplens::capture {

enum class WorkloadVariant { MatmulAdd, Batched, Graph };

// nullopt-like: returns false for an unknown name.
bool parseWorkloadName(const std::string& name, WorkloadVariant* variant);
const char* workloadName(WorkloadVariant variant);
// "" when a CUDA device is usable, else one line naming why not (for exit code 3).
std::string checkCudaDevice();

// The device state of one workload at one size: buffers, cuBLAS handle, stream, graph.
class MatmulAddLoop {
public:
    // nullptr and a one-line error when allocation or setup fails.
    static std::unique_ptr<MatmulAddLoop> create(WorkloadVariant variant, int size, int batch, std::string* error);
    ~MatmulAddLoop();
    MatmulAddLoop(const MatmulAddLoop&) = delete;
    MatmulAddLoop& operator=(const MatmulAddLoop&) = delete;

    // One iteration, asynchronous (no sync). Returns "" or a one-line error.
    std::string step();
    std::string synchronize();
    double flopsPerStep() const;

private:
    MatmulAddLoop() = default;
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

struct WorkloadOptions {
    WorkloadVariant variant = WorkloadVariant::MatmulAdd;
    int size = 64;
    int iters = 20;   // loop steps run at this size; the schedule picks the recorded ones
    int batch = 8;    // matrices per step for matmul_add_batched
    Schedule schedule = Schedule::all(20);
};

struct WorkloadRun {
    std::string error;        // "" when the loop ran
    CaptureData data;         // what the collector recorded (apply `windows` when writing)
    std::vector<std::pair<uint64_t, uint64_t>> windows;  // the schedule's active windows (CUPTI ns)
    int recordedSteps = 0;
    double flopsPerStep = 0;
};

// Runs the loop with the collector on during warm-up and active steps (CuptiCollector must not be
// running). The first step at a size is cold: cuBLAS heuristics, kernel loading.
WorkloadRun runWorkload(const WorkloadOptions& options);

}  // namespace gaplens::capture
