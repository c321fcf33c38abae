#pragma once
// A hand-made training loop with exact numbers, for the comparison of runs (core) and the compare
// view (ui): each step in a `step` range, the ranges tiling the host's time (so every GPU gap is
// host-overhead), the first `warmup` steps cold (a 1 ms cudaMalloc first).
#include "core/model/TraceBuilder.h"

namespace gaplens::test {

// The loop, from t = 100 us (times in ns):
//   launches: aten::mm [+1, +7) launches gemm (call [+2, +5)) at +9; aten::add [+7, +11) launches
//             add (call [+8, +10)) right after gemm.
//   graph:    one cudaGraphLaunch [+1, +3) whose gemm starts at +4 and add right after it.
// gemm lasts gemmNs (gemmOddNs in odd steps, when set), add 2 us; a step lasts `period`.
struct LoopSpec {
    int iterations = 10;
    int warmup = 1;
    TimeNs period = 20'000;
    TimeNs gemmNs = 4'000;
    TimeNs gemmOddNs = 0;
    bool graph = false;
};

inline Trace loop(const LoopSpec& s) {
    constexpr TimeNs us = 1000;
    TraceBuilder b;
    const auto th = b.cpuThread(b.process(1, "python"), 1);
    const auto st = b.gpuStream(b.process(0, "GPU 0"), 0, 7);
    int64_t corr = 1;
    TimeNs t = 100 * us;
    for (int i = 0; i < s.iterations; ++i) {
        const TimeNs stepStart = t;
        TimeNs at = t;  // where the step's ops begin, after any one-time work
        if (i < s.warmup) {
            b.event(th, EventKind::RuntimeApi, "cudaMalloc", t + 1 * us, 1000 * us);
            at += 1000 * us;
        }
        const TimeNs gemm = (i % 2 == 1 && s.gemmOddNs > 0) ? s.gemmOddNs : s.gemmNs;
        if (s.graph) {
            b.event(th, EventKind::RuntimeApi, "cudaGraphLaunch", at + 1 * us, 2 * us, corr);
            b.event(st, EventKind::Kernel, "gemm", at + 4 * us, gemm, corr);
            b.event(st, EventKind::Kernel, "add", at + 4 * us + gemm, 2 * us, corr);
            ++corr;
        } else {
            b.op(th, "aten::mm", at + 1 * us, 6 * us);
            b.launch(th, st, "gemm", at + 2 * us, 3 * us, at + 9 * us, gemm, corr++);
            b.op(th, "aten::add", at + 7 * us, 4 * us);
            b.launch(th, st, "add", at + 8 * us, 2 * us, at + 9 * us + gemm, 2 * us, corr++);
        }
        t = at + s.period;
        b.range(th, "step", stepStart, t - stepStart);
    }
    return b.build();
}

}  // namespace gaplens::test
