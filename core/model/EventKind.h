#pragma once
// What an event is, derived once at import from its category (Kineto's `cat`) so that analyses
// switch on a byte instead of comparing strings.
#include <cstdint>
#include <string_view>

namespace gaplens {

enum class EventKind : uint8_t {
    CpuOp,          // framework op on a CPU thread (Kineto cpu_op, generic X slices)
    UserRange,      // user range: record_function, NVTX range, gaplens::Range
    PythonFunction, // python_function
    RuntimeApi,     // CUDA runtime API call (cudaLaunchKernel, cudaMemcpyAsync, ...)
    DriverApi,      // CUDA driver API call (cuLaunchKernelEx: cuBLAS launches come this way)
    Kernel,         // GPU kernel
    Memcpy,         // GPU memcpy
    Memset,         // GPU memset
    GpuUserRange,   // a user range projected on a GPU stream (Kineto gpu_user_annotation)
    GpuSync,        // CUPTI synchronization record on a stream (Kineto cuda_sync)
    Overhead,       // profiler / driver overhead (Kineto overhead: module loading, buffer requests)
    Instant,        // zero-duration marker (ph i/I)
    Other,
};

EventKind eventKindFromCategory(std::string_view category);
std::string_view eventKindName(EventKind kind);

// Work that occupies the GPU: what "busy" is made of.
inline bool isGpuWork(EventKind k) {
    return k == EventKind::Kernel || k == EventKind::Memcpy || k == EventKind::Memset;
}
// Host calls that can launch GPU work (they carry the correlation id of what they launched).
inline bool isApiCall(EventKind k) { return k == EventKind::RuntimeApi || k == EventKind::DriverApi; }

}  // namespace gaplens
