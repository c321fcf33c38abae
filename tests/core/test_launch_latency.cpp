// Launch latency per kernel name: percentiles, queue wait vs dispatch, outliers.
#include <catch2/catch.hpp>

#include "core/analysis/LaunchLatency.h"
#include "core/io/ChromeTraceImporter.h"
#include "core/model/TraceBuilder.h"
#include "TestSupport.h"

using namespace gaplens;

namespace {
constexpr TimeNs us = 1000;

const KernelLatency* find(const LaunchLatency& l, std::string_view name) {
    for (const KernelLatency& k : l.perKernel)
        if (k.kernel == name) return &k;
    return nullptr;
}
}  // namespace

TEST_CASE("nearest-rank percentiles", "[latency]") {
    const std::vector<TimeNs> v{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    CHECK(percentileSorted(v, 50) == 5);
    CHECK(percentileSorted(v, 90) == 9);
    CHECK(percentileSorted(v, 100) == 10);
    CHECK(percentileSorted({}, 50) == 0);
}

TEST_CASE("latency splits into queue wait (stream busy) and dispatch", "[latency]") {
    TraceBuilder b;
    const auto th = b.cpuThread(b.process(1, "app"), 1);
    const auto s = b.gpuStream(b.process(0, "GPU 0"), 0, 7);
    // A long kernel, then an add launched while it runs: it waits 40 us in the queue, then 5 us.
    b.launch(th, s, "long", 0, 2 * us, 10 * us, 50 * us, 1);  // runs 10..60
    b.launch(th, s, "add", 20 * us, 2 * us, 65 * us, 1 * us, 2);
    b.launch(th, s, "add", 100 * us, 2 * us, 108 * us, 1 * us, 3);
    b.launch(th, s, "add", 200 * us, 2 * us, 206 * us, 1 * us, 4);
    const LaunchLatency l = computeLaunchLatency(b.build());
    CHECK(l.count == 4);
    const KernelLatency* add = find(l, "add");
    REQUIRE(add);
    CHECK(add->count == 3);
    CHECK(add->p50Ns == 8 * us);   // latencies 45, 8, 6
    CHECK(add->p90Ns == 45 * us);
    CHECK(add->maxNs == 45 * us);
    CHECK(add->queueP50Ns == 0);   // queue waits 40, 0, 0
    CHECK(add->dispatchP50Ns == 6 * us);  // dispatch 5, 8, 6
    const KernelLatency* lg = find(l, "long");
    REQUIRE(lg);
    CHECK(lg->p50Ns == 10 * us);
    CHECK(l.perKernel.front().kernel == "add");  // most launches first
    CHECK(l.queueTotalNs == 40 * us);
    CHECK(l.outliers.empty());  // 45 us is > 4x the p50 but under the 50 us floor
}

TEST_CASE("outliers: far above their name's median and at least 50 us", "[latency]") {
    TraceBuilder b;
    const auto th = b.cpuThread(b.process(1, "app"), 1);
    const auto s = b.gpuStream(b.process(0, "GPU 0"), 0, 7);
    for (int i = 0; i < 5; ++i) b.launch(th, s, "k", i * 1000 * us, 2 * us, i * 1000 * us + 10 * us, 1 * us, i + 1);
    b.launch(th, s, "k", 9000 * us, 2 * us, 9000 * us + 900 * us, 1 * us, 99);  // a 900 us outlier
    const LaunchLatency l = computeLaunchLatency(b.build());
    REQUIRE(l.outliers.size() == 1);
    CHECK(l.outliers[0].latencyNs == 900 * us);
    CHECK(l.outliers[0].queueNs == 0);
    CHECK(l.outliers[0].kernel == "k");
}

TEST_CASE("kernels with no launch record are left out", "[latency]") {
    TraceBuilder b;
    b.cpuThread(b.process(1, "app"), 1);
    const auto s = b.gpuStream(b.process(0, "GPU 0"), 0, 7);
    b.event(s, EventKind::Kernel, "orphan", 0, 5 * us, 42);
    const LaunchLatency l = computeLaunchLatency(b.build());
    CHECK(l.count == 0);
    CHECK(l.perKernel.empty());
}

TEST_CASE("fixtures: warm 64x64 launches in ~10 us, warm 8192 launches wait milliseconds in the queue",
          "[latency][fixture]") {
    {
        Trace t;
        REQUIRE(importTraces({test::dataPath("torch_mm64_warm.json")}, t).ok);
        const LaunchLatency l = computeLaunchLatency(t);
        CHECK(l.count == 10);
        // python3: the 10 launch->start latencies, nearest-rank median 10.186 us; no queueing.
        CHECK(l.p50Ns == Approx(10'186).margin(100));
        CHECK(l.queueP50Ns == 0);
    }
    {
        Trace t;
        REQUIRE(importTraces({test::dataPath("torch_mm8192_warm.json.gz")}, t).ok);
        const LaunchLatency l = computeLaunchLatency(t);
        CHECK(l.count == 15);
        CHECK(l.p50Ns > 3'000'000);       // DESIGN: ~3.6 ms at 8192
        CHECK(l.queueP50Ns > 3'000'000);  // almost all of it queueing
        CHECK(l.dispatchP50Ns < 5'000);
    }
}
