// Bound classification of the steady-state window.
#include <catch2/catch.hpp>

#include "core/analysis/BoundClass.h"
#include "core/analysis/HostActivity.h"
#include "core/io/ChromeTraceImporter.h"
#include "core/model/TraceBuilder.h"
#include "TestSupport.h"

using namespace gaplens;

namespace {
constexpr TimeNs us = 1000;

BoundResult boundOf(const Trace& t) {
    const GpuBusy busy = computeGpuBusy(t);
    return classifyBound(t, busy, computeDeadWindows(t, busy, buildHostActivity(t)));
}

// n iterations of a 100 us range, each launching one kernel of `kernelUs`; the first iteration
// takes 2 ms of warm-up on the host.
Trace loop(TimeNs kernelUs, int n) {
    TraceBuilder b;
    const auto th = b.cpuThread(b.process(1, "app"), 1);
    const auto s = b.gpuStream(b.process(0, "GPU 0"), 0, 7);
    b.range(th, "iter", 0, 2000 * us);
    b.launch(th, s, "k", 1990 * us, 5 * us, 2000 * us, kernelUs * us, 1);
    TimeNs gpuFree = 2000 * us + kernelUs * us;
    for (int i = 1; i < n; ++i) {
        const TimeNs t0 = 2000 * us + 100 * us * i;
        b.range(th, "iter", t0, 100 * us);
        const TimeNs start = std::max(gpuFree, t0 + 20 * us);
        b.launch(th, s, "k", t0 + 10 * us, 5 * us, start, kernelUs * us, 1 + i);
        gpuFree = start + kernelUs * us;
    }
    return b.build();
}

}  // namespace

TEST_CASE("busy thresholds", "[bound]") {
    CHECK(classifyBusy(49.9) == BoundClass::OverheadBound);
    CHECK(classifyBusy(50.0) == BoundClass::Mixed);
    CHECK(classifyBusy(90.0) == BoundClass::Mixed);
    CHECK(classifyBusy(90.1) == BoundClass::ComputeBound);
    CHECK(boundClassName(BoundClass::OverheadBound) == "overhead-bound");
}

TEST_CASE("short kernels in a host-paced loop are overhead-bound; the warm-up is left out", "[bound]") {
    const BoundResult r = boundOf(loop(10, 11));
    CHECK(r.rangeName == "iter");
    CHECK(r.warmupInstances == 1);
    CHECK(r.instances == 10);
    CHECK(r.cls == BoundClass::OverheadBound);
    // Steady window: 10 iterations of 100 us on the host, 10 kernels of 10 us.
    CHECK(r.gpuBusyNs == 100 * us);
    CHECK(r.cpuNs == 1000 * us);
    CHECK(r.gpuOverCpu == Approx(0.1));
    CHECK(r.cpuPerIterNs == 100 * us);
    CHECK(r.gpuPerIterNs == 10 * us);
    REQUIRE(r.iterations.size() == 10);
    CHECK(r.iterations.front().dur() == 100 * us);
    CHECK(r.iterations[1].start - r.iterations[0].start == 100 * us);
}

TEST_CASE("long kernels that queue up are compute-bound; the window runs until the GPU finishes", "[bound]") {
    const BoundResult r = boundOf(loop(1000, 11));
    CHECK(r.cls == BoundClass::ComputeBound);
    CHECK(r.busyPct > 99.0);
    CHECK(r.gpuOverCpu == Approx(10.0));
}

TEST_CASE("no ranges: the whole trace is the window", "[bound]") {
    TraceBuilder b;
    const auto th = b.cpuThread(b.process(1, "app"), 1);
    const auto s = b.gpuStream(b.process(0, "GPU 0"), 0, 7);
    b.op(th, "op", 0, 100 * us);
    b.launch(th, s, "k", 10 * us, 5 * us, 20 * us, 60 * us, 1);
    const BoundResult r = boundOf(b.build());
    CHECK(r.window == "whole trace");
    CHECK(r.busyPct == Approx(60.0));
    CHECK(r.cls == BoundClass::Mixed);
}

TEST_CASE("fixtures: the 64x64 loop is overhead-bound, 8192 is compute-bound", "[bound][fixture]") {
    for (const char* name : {"torch_mm64_cold.json", "torch_mm64_warm.json"}) {
        Trace t;
        REQUIRE(importTraces({test::dataPath(name)}, t).ok);
        const BoundResult r = boundOf(t);
        INFO(name << ": " << r.window << " busy " << r.busyPct);
        CHECK(r.rangeName == "matmul_add");
        CHECK(r.cls == BoundClass::OverheadBound);
        CHECK(r.busyPct < 5.0);  // DESIGN: GPU busy / CPU time ~2% warm
        CHECK(r.gpuOverCpu < 0.05);
    }
    for (const char* name : {"torch_mm8192_cold.json", "torch_mm8192_warm.json.gz"}) {
        Trace t;
        REQUIRE(importTraces({test::dataPath(name)}, t).ok);
        const BoundResult r = boundOf(t);
        INFO(name << ": " << r.window << " busy " << r.busyPct);
        CHECK(r.cls == BoundClass::ComputeBound);
        CHECK(r.gpuOverCpu > 10.0);
    }
    {
        Trace t;
        REQUIRE(importTraces({test::dataPath("torch_mm64_cold.json")}, t).ok);
        CHECK(boundOf(t).warmupInstances == 2);  // the 141 ms and the 274 us first instances
    }
}
