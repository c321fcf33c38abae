// Lane order: CPU lanes first (the widget's default), or GPU lanes first (the app's default, View >
// GPU Lanes First): GPU processes before the others and, inside a group, the devices before the threads.
#include <catch2/catch.hpp>

#include "TimelineFixture.h"
#include "core/model/TraceBuilder.h"
#include "ui/timeline/TimelineLanes.h"
#include "ui/timeline/TimelineWidget.h"

using namespace gaplens;

namespace {

// A hand-made trace: a Python process with two threads, a GPU process with two streams, and a
// process that holds both a thread and a stream (as a trace of one process with CUPTI can).
Trace threeProcesses() {
    TraceBuilder b;
    const uint32_t py = b.process(10, "python");
    const uint32_t gpu = b.process(0, "GPU 0");
    const uint32_t app = b.process(20, "app");
    const uint32_t main = b.cpuThread(py, 10, "main");
    const uint32_t loader = b.cpuThread(py, 11, "loader");
    const uint32_t s7 = b.gpuStream(gpu, 0, 7);
    const uint32_t s13 = b.gpuStream(gpu, 0, 13);
    const uint32_t appThread = b.cpuThread(app, 20, "app main");
    const uint32_t appStream = b.gpuStream(app, 1, 3);
    b.launch(main, s7, "k1", 0, 10, 20, 10, 1);
    b.op(loader, "load", 0, 50);
    b.launch(main, s13, "k2", 30, 10, 50, 10, 2);
    b.launch(appThread, appStream, "k3", 0, 10, 20, 10, 3);
    return b.build();
}

std::vector<std::string> names(const std::vector<Lane>& lanes) {
    std::vector<std::string> out;
    for (const Lane& l : lanes) out.push_back(l.name);
    return out;
}

}  // namespace

TEST_CASE("lanes: CPU processes first by default, GPU lanes first on request", "[timeline][lanes]") {
    const Trace t = threeProcesses();
    CHECK(names(buildLanes(t)) == std::vector<std::string>{
                                      "python (10)", "main", "loader",                                   //
                                      "GPU 0", "GPU 0 stream 7", "GPU 0 stream 13", "GPU 0 busy %", "GPU 0 gaps",  //
                                      "app (20)", "app main", "GPU 1 stream 3", "GPU 1 busy %", "GPU 1 gaps"});
    CHECK(names(buildLanes(t, /*gpuFirst=*/true)) ==
          std::vector<std::string>{"GPU 0", "GPU 0 stream 7", "GPU 0 stream 13", "GPU 0 busy %", "GPU 0 gaps",  //
                                   "app (20)", "GPU 1 stream 3", "GPU 1 busy %", "GPU 1 gaps", "app main",     //
                                   "python (10)", "main", "loader"});
}

TEST_CASE("the timeline reorders its lanes in place and keeps its view", "[timeline][lanes]") {
    auto trace = std::make_shared<const Trace>(threeProcesses());
    TimelineWidget w;
    w.resize(1200, 600);
    w.setTrace(trace);
    w.setVisibleRange(10, 40);
    CHECK_FALSE(w.gpuLanesFirst());
    CHECK(w.laneNames().first() == QStringLiteral("python (10)"));
    w.setGpuLanesFirst(true);
    CHECK(w.laneNames().first() == QStringLiteral("GPU 0"));
    CHECK(w.laneNames().last() == QStringLiteral("loader"));
    CHECK(w.visibleStartNs() == 10);
    CHECK(w.visibleEndNs() == 40);
    // A new trace keeps the order.
    w.setTrace(std::make_shared<const Trace>(threeProcesses()));
    CHECK(w.laneNames().first() == QStringLiteral("GPU 0"));
}

TEST_CASE("fitSteadyWindow shows the whole trace where the analysis has no steady window", "[timeline][view]") {
    test::TimelineFixture f = test::makeTimelineFixture();  // its report's bound is empty
    TimelineWidget w;
    w.resize(1200, 600);
    w.setTrace(f.trace);
    w.setAnalysis(f.report);
    w.setVisibleRange(2000, 3000);
    CHECK_FALSE(w.fitSteadyWindow());
    CHECK(w.visibleStartNs() == -200);  // fitAll: 0..10 us with 2% on each side
    CHECK(w.visibleEndNs() == 10200);
    // With a steady window 4..8 us: that window and 2% of it (80 ns) on each side.
    f.report->bound.startNs = 4000;
    f.report->bound.endNs = 8000;
    CHECK(w.fitSteadyWindow());
    CHECK(w.visibleStartNs() == 3920);
    CHECK(w.visibleEndNs() == 8080);
}
