#pragma once
// Hand-made traces with exact numbers that several tests (core and UI) read the same way: steps
// whose GPU is kept busy by copies, and compute-bound steps that wait in a sync.
#include "core/model/TraceBuilder.h"

namespace gaplens::test {

// 3 steps of 2.7 ms, each in a `step` range: a GEMM of `gemmUs` on stream 7 from 100 us into the
// step, and one host-to-device copy of `copyUs` on stream 8 from 50 us (pageable or pinned);
// with `syncEachStep` the host waits in cudaStreamSynchronize from 30 us to 2.66 ms.
inline Trace sideCopySteps(TimeNs gemmUs, TimeNs copyUs, bool pageable = false, bool syncEachStep = false) {
    constexpr TimeNs us = 1000;
    TraceBuilder b;
    const auto th = b.cpuThread(b.process(1, "app"), 1);
    const auto gpu = b.process(0, "GPU 0");
    const auto compute = b.gpuStream(gpu, 0, 7), side = b.gpuStream(gpu, 0, 8);
    int64_t corr = 1;
    for (int i = 0; i < 3; ++i) {
        const TimeNs t0 = 2700 * us * i;
        b.range(th, "step", t0, 2700 * us);
        b.launch(th, compute, "gemm", t0 + 10 * us, 5 * us, t0 + 100 * us, gemmUs * us, corr++);
        b.event(th, EventKind::RuntimeApi, "cudaMemcpyAsync", t0 + 20 * us, 4 * us, corr);
        b.event(side, EventKind::Memcpy, pageable ? "Memcpy HtoD (Pageable -> Device)" : "Memcpy HtoD (Pinned -> Device)",
                t0 + 50 * us, copyUs * us, corr++);
        if (syncEachStep) b.event(th, EventKind::RuntimeApi, "cudaStreamSynchronize", t0 + 30 * us, 2630 * us);
    }
    return b.build();
}

// 4 steps of 1 ms, each in a `step` range: a 950 us kernel from 20 us, and the host waiting for it
// in cudaDeviceSynchronize from 30 us to 975 us.
inline Trace syncedComputeSteps() {
    constexpr TimeNs us = 1000;
    TraceBuilder b;
    const auto th = b.cpuThread(b.process(1, "app"), 1);
    const auto s = b.gpuStream(b.process(0, "GPU 0"), 0, 7);
    for (int i = 0; i < 4; ++i) {
        const TimeNs t0 = 1000 * us * i;
        b.range(th, "step", t0, 1000 * us);
        b.launch(th, s, "gemm", t0 + 10 * us, 5 * us, t0 + 20 * us, 950 * us, 1 + i);
        b.event(th, EventKind::RuntimeApi, "cudaDeviceSynchronize", t0 + 30 * us, 945 * us);
    }
    return b.build();
}

}  // namespace gaplens::test
