#pragma once
// A small hand-made trace and its analysis, with round numbers the timeline tests can check:
// one thread (range 0..10 us with two launches), one GPU stream with two kernels, and the busy
// intervals, gaps and dead window core's analyses give for it, filled in by hand.
#include <memory>

#include "core/model/TraceBuilder.h"
#include "core/report/Report.h"

namespace gaplens::test {

struct TimelineFixture {
    std::shared_ptr<const Trace> trace;
    std::shared_ptr<Report> report;
    uint32_t thread = 0;
    uint32_t stream = 0;
};

inline TimelineFixture makeTimelineFixture() {
    TimelineFixture f;
    TraceBuilder b;
    const uint32_t py = b.process(1, "python");
    const uint32_t gpu = b.process(2, "GPU 0");
    f.thread = b.cpuThread(py, 1, "main");
    f.stream = b.gpuStream(gpu, 0, 7);
    b.range(f.thread, "matmul_add", 0, 10000);
    b.op(f.thread, "aten::mm", 800, 800);
    b.launch(f.thread, f.stream, "gemm_kernel", 1000, 500, 4000, 2000, 1);
    b.op(f.thread, "aten::add", 5800, 800);
    b.launch(f.thread, f.stream, "add_kernel", 6000, 500, 7000, 1000, 2);
    f.trace = std::make_shared<Trace>(b.build());

    auto r = std::make_shared<Report>();
    DeviceBusy d;
    d.device = 0;
    d.windowStartNs = 0;
    d.windowEndNs = 10000;
    d.busy = {{4000, 6000}, {7000, 8000}};
    d.idle = {{0, 4000}, {6000, 7000}, {8000, 10000}};
    d.busyNs = 3000;
    d.idleNs = 7000;
    d.kernels = 2;
    r->gpu.devices.push_back(d);
    auto gap = [](TimeNs s, TimeNs dur, GapCause c) {
        Gap g;
        g.device = 0;
        g.start = s;
        g.dur = dur;
        g.cause = c;
        return g;
    };
    // Longest first, as analyzeGaps lists them.
    r->gaps.gaps = {gap(0, 4000, GapCause::Setup), gap(8000, 2000, GapCause::HostIdle), gap(6000, 1000, GapCause::HostOverhead)};
    DeadWindow w;
    r->deadWindows.rangeNames = {"matmul_add"};
    w.rangeName = 0;
    w.rangeEvent = EventRef{f.thread, 0};
    w.rangeStartNs = 0;
    w.rangeDurNs = 10000;
    w.hasGpuWork = true;
    w.startNs = 0;
    w.durNs = 4000;
    w.firstLaunchNs = 1000;
    w.firstGpuStartNs = 4000;
    w.cold = true;
    r->deadWindows.windows.push_back(w);
    f.report = r;
    return f;
}

}  // namespace gaplens::test
