// The GPU work a launch call started, read from the host side: one op, or every kernel of a graph.
#include <catch2/catch.hpp>

#include <vector>

#include "core/analysis/LaunchedWork.h"
#include "core/model/TraceBuilder.h"

using namespace gaplens;

namespace {
constexpr TimeNs us = 1000;
}  // namespace

TEST_CASE("a kernel launch is its kernel, a graph launch is all the kernels sharing its correlation id",
          "[launched_work]") {
    TraceBuilder b;
    const auto th = b.cpuThread(b.process(1, "app"), 1);
    const auto s = b.gpuStream(b.process(0, "GPU 1"), 1, 7);
    b.launch(th, s, "k", 0, 5 * us, 10 * us, 20 * us, 1);  // 10..30
    b.event(th, EventKind::RuntimeApi, "cudaGraphLaunch", 40 * us, 5 * us, 2);
    b.event(s, EventKind::Kernel, "g1", 50 * us, 10 * us, 2);
    b.event(s, EventKind::Kernel, "g2", 60 * us, 15 * us, 2);
    b.launch(th, s, "after", 80 * us, 5 * us, 90 * us, 3 * us, 3);
    b.event(th, EventKind::RuntimeApi, "cudaStreamSynchronize", 100 * us, 5 * us);  // launches nothing
    const Trace t = b.build();

    std::vector<EventRef> calls;
    forEachLaunchIn(t, th, 0, 200 * us, [&](EventRef c) { calls.push_back(c); });
    REQUIRE(calls.size() == 3);
    const LaunchedWork k = launchedWorkOf(t, calls[0]);
    CHECK(k.gpuNs == 20 * us);
    CHECK(k.endNs == 30 * us);
    CHECK(k.device == 1);
    const LaunchedWork g = launchedWorkOf(t, calls[1]);
    CHECK(g.gpuNs == 25 * us);
    CHECK(g.endNs == 75 * us);
    CHECK(launchedWorkOf(t, calls[2]).gpuNs == 3 * us);

    // Only calls that start inside [from, to).
    calls.clear();
    forEachLaunchIn(t, th, 40 * us, 80 * us, [&](EventRef c) { calls.push_back(c); });
    REQUIRE(calls.size() == 1);
    CHECK(t.name(calls[0]) == "cudaGraphLaunch");
}
