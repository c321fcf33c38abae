// Timeline repaint cost on a synthetic 10-million-event trace (TraceBuilder), offscreen:
// a full repaint at zoom levels from the whole trace down to a few microseconds, with the geometry
// cache cold (the window just changed) and warm (hover/selection repaints), and the memory of the
// view's summaries against the model's. Run: QT_QPA_PLATFORM=offscreen bench_timeline_render [events]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include <QApplication>
#include <QImage>
#include <QPainter>

#include "core/analysis/DeadWindows.h"
#include "core/analysis/GapCauses.h"
#include "core/analysis/GpuBusy.h"
#include "core/analysis/HostActivity.h"
#include "core/model/TraceBuilder.h"
#include "core/report/Report.h"
#include "ui/timeline/TimelineWidget.h"

using namespace gaplens;
using Clock = std::chrono::steady_clock;

namespace {

double msSince(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

// Per thread, iterations of: range "step" > op "aten::mm" > cudaLaunchKernel, op "aten::add" >
// cudaLaunchKernel; the two kernels on the thread's own stream. 7 events per iteration.
Trace makeTrace(size_t events) {
    TraceBuilder b;
    const int threads = 4;
    const uint32_t host = b.process(100, "python train.py");
    const uint32_t gpu = b.process(0, "GPU 0");
    std::vector<uint32_t> cpu, streams;
    for (int i = 0; i < threads; ++i) {
        cpu.push_back(b.cpuThread(host, 1000 + i));
        streams.push_back(b.gpuStream(gpu, 0, 7 + i));
    }
    const size_t iters = events / 7 / threads;
    uint64_t rng = 12345;
    auto jitter = [&](TimeNs max) {
        rng = rng * 6364136223846793005ull + 1442695040888963407ull;
        return TimeNs((rng >> 33) % uint64_t(max));
    };
    int64_t corr = 1;
    for (int th = 0; th < threads; ++th) {
        TimeNs t = th * 3000;
        for (size_t i = 0; i < iters; ++i) {
            const TimeNs step = 18000 + jitter(6000) + (i % 5000 == 0 ? 400000 : 0);  // now and then a long stall
            b.range(cpu[size_t(th)], "step", t, step);
            b.op(cpu[size_t(th)], "aten::mm", t + 1000, 6000);
            b.launch(cpu[size_t(th)], streams[size_t(th)], "ampere_bf16_gemm", t + 4000, 2500, t + 12000 + jitter(2000),
                     3000 + jitter(500), corr++);
            b.op(cpu[size_t(th)], "aten::add", t + 8000, 5000);
            b.launch(cpu[size_t(th)], streams[size_t(th)], "vectorized_elementwise_add", t + 10000, 2000,
                     t + 17000 + jitter(1000), 1500, corr++);
            t += step;
        }
    }
    return b.build();
}

}  // namespace

int main(int argc, char** argv) {
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const size_t events = argc > 1 ? size_t(std::atoll(argv[1])) : 10000000;

    auto t0 = Clock::now();
    auto trace = std::make_shared<Trace>(makeTrace(events));
    std::printf("trace: %zu events, span %.3f s, built in %.0f ms\n", trace->eventCount(),
                double(trace->endNs() - trace->beginNs()) / 1e9, msSince(t0));
    t0 = Clock::now();
    auto report = std::make_shared<Report>();
    report->gpu = computeGpuBusy(*trace);
    const HostActivity host = buildHostActivity(*trace);
    report->gaps = analyzeGaps(*trace, report->gpu, host, 1000);
    report->deadWindows = computeDeadWindows(*trace, report->gpu, host);
    std::printf("analysis (busy, gaps, dead windows): %zu gaps, %zu dead windows in %.0f ms\n", report->gaps.gaps.size(),
                report->deadWindows.windows.size(), msSince(t0));

    TimelineWidget w;
    w.resize(1920, 1080);
    t0 = Clock::now();
    w.setTrace(trace);
    w.setAnalysis(report);
    std::printf("setTrace + setAnalysis (summaries): %.0f ms\n", msSince(t0));
    const double model = double(trace->memoryBytes());
    const double summaries = double(w.summaryMemoryBytes());
    std::printf("memory: model %.1f MB, view summaries %.1f MB = %.1f%% of the model (budget 25%%)\n", model / 1e6,
                summaries / 1e6, 100.0 * summaries / model);

    QImage target(w.size(), QImage::Format_ARGB32_Premultiplied);
    {  // The first paint ever also fills Qt's glyph and font caches: not a repaint cost.
        QPainter p(&target);
        auto f0 = Clock::now();
        w.render(&p);
        std::printf("first paint (font and glyph caches): %.2f ms\n", msSince(f0));
    }
    const TimeNs begin = trace->beginNs(), end = trace->endNs();
    std::printf("%-14s %-12s %10s %10s %12s\n", "window", "at", "cold ms", "warm ms", "primitives");
    double worst = 0;
    for (double span = double(end - begin); span >= 2000; span /= 10) {
        for (double where : {0.0, 0.5, 0.93}) {
            const TimeNs s = begin + TimeNs(where * double(end - begin - TimeNs(span)));
            w.setVisibleRange(s, s + TimeNs(span));
            double cold = 0, warm = 0;
            const int reps = 3;
            for (int r = 0; r < reps; ++r) {
                w.setVisibleRange(s + r, s + r + TimeNs(span));  // a new window: geometry rebuilt
                auto c0 = Clock::now();
                {
                    QPainter p(&target);
                    w.render(&p);
                }
                cold += msSince(c0);
                c0 = Clock::now();
                {
                    QPainter p(&target);
                    w.render(&p);
                }
                warm += msSince(c0);
            }
            cold /= reps;
            warm /= reps;
            worst = std::max(worst, cold);
            std::printf("%-14s %-12.3f %10.2f %10.2f %12zu\n", formatDuration(TimeNs(span)).c_str(), double(s) / 1e9, cold, warm,
                        w.cachedPrimitiveCount());
        }
    }
    std::printf("worst full repaint (cold geometry): %.2f ms (budget 16 ms)\n", worst);
    return 0;
}
