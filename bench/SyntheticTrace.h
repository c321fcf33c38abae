#pragma once
// The synthetic training loop the analysis benchmarks run on (bench_analysis, bench_diff): 2 host
// threads, each driving its own GPU stream, iterations of a `train_step` user range holding three
// ops that each launch one kernel (range + 3 x (op + launch + kernel) = 10 events), a pageable copy
// and a stream sync every 50 iterations, cold one-time work (a 3 ms cudaMalloc, module loading
// overhead events) in the first iteration, and GPU user ranges. The defaults are bench_analysis'
// trace; a second run for a comparison changes the GEMM kernel and the ops' host time.
#include <algorithm>
#include <cstdint>

#include "core/model/TraceBuilder.h"

namespace gaplens {

struct SyntheticLoop {
    int64_t targetEvents = 10'000'000;
    TimeNs gemmNs = 6'000;  // the first op's kernel (plus a few hundred ns that vary per iteration)
    TimeNs opNs = 15'000;   // each op's host time
};

inline Trace syntheticTrace(const SyntheticLoop& loop) {
    constexpr TimeNs us = 1000;
    const int64_t targetEvents = loop.targetEvents;
    TraceBuilder b;
    const auto proc = b.process(100, "python");
    const auto gpu = b.process(0, "GPU 0");
    const auto ovh = b.overheadTrack(b.process(-1, "CUPTI"));
    const int threads = 2;
    const int64_t itersPerThread = targetEvents / 10 / threads;
    int64_t corr = 1;
    b.event(ovh, EventKind::Overhead, "Runtime Triggered Module Loading", 100 * us, 300 * us);
    b.event(ovh, EventKind::Overhead, "Lazy Function Loading", 500 * us, 60 * us);
    static const char* kOps[3] = {"aten::mm", "aten::add", "aten::relu"};
    static const char* kKernels[3] = {"nvjet_sm90_gemm", "vectorized_elementwise_kernel<add>",
                                      "vectorized_elementwise_kernel<relu>"};
    for (int t = 0; t < threads; ++t) {
        const auto th = b.cpuThread(proc, 100 + t);
        const auto stream = b.gpuStream(gpu, 0, 7 + t);
        TimeNs now = t * 7 * us;
        TimeNs gpuFree = 0;
        for (int64_t i = 0; i < itersPerThread; ++i) {
            const TimeNs rangeStart = now;
            TimeNs cursor = now + 2 * us;
            if (i == 0) {
                b.event(th, EventKind::RuntimeApi, "cudaMalloc", cursor, 3000 * us);
                cursor += 3000 * us;
            }
            TimeNs firstKernel = 0;
            for (int k = 0; k < 3; ++k) {
                const TimeNs opStart = cursor;
                const TimeNs launchStart = opStart + 8 * us + (i % 7) * 100;
                const TimeNs kernelDur = (k == 0 ? loop.gemmNs : 2 * us) + (i % 13) * 50;
                const TimeNs kernelStart = std::max(gpuFree, launchStart + 9 * us + (i % 5) * 200);
                b.op(th, kOps[k], opStart, loop.opNs);
                b.launch(th, stream, kKernels[k], launchStart, 5 * us, kernelStart, kernelDur, corr++,
                         k == 0 ? EventKind::DriverApi : EventKind::RuntimeApi);
                if (k == 0) firstKernel = kernelStart;
                gpuFree = kernelStart + kernelDur;
                cursor = opStart + 17 * us;
            }
            if (i % 50 == 49) {
                b.event(th, EventKind::RuntimeApi, "cudaMemcpyAsync", cursor, 4 * us, corr);
                const TimeNs copyStart = std::max(gpuFree, cursor + 5 * us);
                b.event(stream, EventKind::Memcpy, "Memcpy HtoD (Pageable -> Device)", copyStart, 20 * us, corr++);
                gpuFree = copyStart + 20 * us;
                b.event(th, EventKind::RuntimeApi, "cudaStreamSynchronize", cursor + 5 * us,
                        std::max<TimeNs>(1 * us, gpuFree - cursor - 5 * us));
                cursor = std::max(cursor + 6 * us, gpuFree + 1 * us);
            }
            b.range(th, "train_step", rangeStart, cursor - rangeStart);
            b.event(stream, EventKind::GpuUserRange, "train_step", firstKernel, gpuFree - firstKernel);
            now = cursor + 5 * us + (i % 11) * 300;
        }
    }
    return b.build();
}

}  // namespace gaplens
