// Bound classification of the steady-state window.
#include <catch2/catch.hpp>

#include "core/analysis/BoundClass.h"
#include "core/analysis/HostActivity.h"
#include "core/io/ChromeTraceImporter.h"
#include "core/model/TraceBuilder.h"
#include "HandMadeSteps.h"
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

TEST_CASE("short kernels in a host-paced loop are overhead-bound, the warm-up is left out", "[bound]") {
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

TEST_CASE("long kernels that queue up are compute-bound, the window runs until the GPU finishes", "[bound]") {
    const BoundResult r = boundOf(loop(1000, 11));
    CHECK(r.cls == BoundClass::ComputeBound);
    CHECK(r.busyPct > 99.0);
    // GPU busy in the window (2.1 .. 13 ms: it opens while the warm-up's kernel still runs) over
    // the CPU time of the 10 steady steps (1 ms).
    CHECK(r.gpuBusyNs == 10900 * us);
    CHECK(r.cpuNs == 1000 * us);
    CHECK(r.gpuOverCpu == Approx(10.9));
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
    // The whole trace is one iteration of its own window.
    CHECK(r.kind == WindowKind::WholeTrace);
    REQUIRE(r.iterations.size() == 1);
    CHECK(r.iterations[0] == TimeInterval{0, 100 * us});
    CHECK(r.instances == 0);
    CHECK(r.cpuNs == 100 * us);
}

TEST_CASE("fixtures: the 64x64 loop is overhead-bound, 8192 is compute-bound", "[bound][fixture]") {
    for (const char* name : {"torch_mm64_cold.json", "torch_mm64_warm.json"}) {
        Trace t;
        REQUIRE(importTraces({test::dataPath(name)}, t).ok);
        const BoundResult r = boundOf(t);
        INFO(name << ": " << r.window << " busy " << r.busyPct);
        // The warm trace was recorded with a schedule: torch.profiler's steps make its window.
        CHECK(r.rangeName == (std::string(name) == "torch_mm64_warm.json" ? "ProfilerStep" : "matmul_add"));
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

TEST_CASE("fixtures: an 8192 loop recorded with a schedule opens while the GPU runs the warm-up's work",
          "[bound][fixture]") {
    // python3 on the raw events: the window runs from the first step to the end of its last kernel;
    // the GPU runs kernels launched in the warm-up steps from the window's start (the first
    // recorded kernel has no launch record); the rest is busy but for a few gaps of ~3 us.
    struct Case {
        const char* file;
        const char* window;
        double unknownUs, busyPct;
    };
    for (const Case& c : {Case{"torch_mm8192_warm.json.gz", "ProfilerStep#3..#7 (steady, 0 warm-up left out)", 491.58, 99.677},
                          Case{"sweep/matmul_add_8192.json", "matmul_add #0..#4 (steady, 0 warm-up left out)", 844.42, 99.540}}) {
        Trace t;
        REQUIRE(importTraces({test::dataPath(c.file)}, t).ok);
        const BoundResult r = boundOf(t);
        INFO(c.file);
        CHECK(r.window == c.window);
        CHECK(double(r.unknownNs) / 1000.0 == Approx(c.unknownUs).margin(0.01));
        CHECK(r.busyPct == Approx(c.busyPct).margin(0.001));  // was 94.9% and 92.1%
        CHECK(r.cls == BoundClass::ComputeBound);
        CHECK(r.gpuOverCpu > 10.0);
    }
}

TEST_CASE("a window that opens while the GPU runs work launched before the recording: that time is not idle",
          "[bound]") {
    // 5 steps of 100 us launch one 1 ms kernel each; the GPU is still busy with a kernel launched
    // before the recording until 2.17 ms (it is in the trace from 1.17 ms, without its launch).
    TraceBuilder b;
    const auto th = b.cpuThread(b.process(1, "app"), 1);
    const auto s = b.gpuStream(b.process(0, "GPU 0"), 0, 7);
    b.event(s, EventKind::Kernel, "gemm", 1170 * us, 1000 * us, 99);  // launched before the recording
    for (int i = 0; i < 5; ++i) {
        const TimeNs t0 = 100 * us * i;
        b.range(th, "step", t0, 80 * us);
        b.launch(th, s, "gemm", t0 + 10 * us, 5 * us, 2170 * us + 1000 * us * i, 1000 * us, 1 + i);
    }
    const BoundResult r = boundOf(b.build());
    CHECK(r.window == "step #0..#4 (steady, 0 warm-up left out)");
    CHECK(r.startNs == 0);
    CHECK(r.endNs == 7170 * us);
    CHECK(r.unknownNs == 1170 * us);
    CHECK(r.gpuBusyNs == 6000 * us);
    CHECK(r.busyPct == Approx(100.0));  // was 6000 / 7170 = 83.7%: "mixed"
    CHECK(r.cls == BoundClass::ComputeBound);
    CHECK(r.cpuNs == 400 * us);
    CHECK(r.gpuOverCpu == Approx(15.0));
}

TEST_CASE("CPU time leaves out the time the host waits in a sync", "[bound]") {
    // 4 steps of 1 ms: a 950 us kernel, then the host waits for it in cudaDeviceSynchronize.
    const BoundResult r = boundOf(test::syncedComputeSteps());
    CHECK(r.cls == BoundClass::ComputeBound);
    CHECK(r.busyPct == Approx(95.0));
    CHECK(r.blockedNs == 4 * 945 * us);
    CHECK(r.cpuNs == 4 * 55 * us);                       // was the steps' 4 ms
    CHECK(r.gpuOverCpu == Approx(3800.0 / 220.0));       // was 0.95
    CHECK(r.cpuPerIterNs == 1000 * us);                  // the iteration still takes 1 ms on the host
}

TEST_CASE("copies on a side stream that keep the copy engines busy while the SMs idle: copy-bound", "[bound]") {
    // 3 steps of 2.7 ms: 1 ms of GEMM on one stream; 2.6 ms of host-to-device copies on another.
    const Trace t = test::sideCopySteps(1000, 2600, true);
    const GpuBusy busy = computeGpuBusy(t);
    REQUIRE(busy.devices.size() == 1);
    const DeviceBusy& d = busy.devices[0];
    CHECK(d.busyNs == 3 * 2600 * us);
    CHECK(d.computeBusyNs == 3 * 1000 * us);
    CHECK(d.copyBusyNs == 3 * 2600 * us);
    CHECK(d.computeIdleWhileCopyingNs == 3 * 1600 * us);
    const BoundResult r = boundOf(t);
    CHECK(r.busyPct == Approx(100.0 * 7800 / 8100));  // "compute-bound 96%" by busy alone
    CHECK(r.computeBusyPct == Approx(100.0 * 3000 / 8100));
    CHECK(r.copyBusyPct == Approx(100.0 * 7800 / 8100));
    CHECK(r.computeIdleWhileCopyingNs == 4800 * us);
    CHECK(r.cls == BoundClass::CopyBound);
    CHECK(boundClassName(r.cls) == "copy-bound");
    CHECK(classifyEngines(95.0, 60.0, 80.0) == BoundClass::ComputeBound);  // kernels busy half the time: not copy-bound
}

TEST_CASE("no ranges: the iterations are detected, one-time work left out", "[bound]") {
    TraceBuilder b;
    const auto th = b.cpuThread(b.process(1, "python"), 1);
    const auto s = b.gpuStream(b.process(0, "GPU 0"), 0, 7);
    int64_t corr = 1;
    b.launch(th, s, "compile_autotune", 0, 10 * us, 20 * us, 3000 * us, corr++);  // one-time
    for (int i = 0; i < 6; ++i) {
        const TimeNs t0 = 5000 * us + 200 * us * i;
        b.op(th, "step", t0, 150 * us);
        b.launch(th, s, "gemm", t0 + 100 * us, 5 * us, t0 + 110 * us, 40 * us, corr++);
        b.launch(th, s, "add", t0 + 120 * us, 5 * us, t0 + 150 * us, 10 * us, corr++);
    }
    const BoundResult r = boundOf(b.build());
    CHECK(r.kind == WindowKind::Detected);
    CHECK(r.window == "6 iterations (detected)");
    CHECK(r.detectedPeriod == 2);
    REQUIRE(r.iterations.size() == 6);
    CHECK(r.iterations[0] == TimeInterval{5100 * us, 5300 * us});
    CHECK(r.startNs == 5100 * us);
    CHECK(r.cls == BoundClass::OverheadBound);
    CHECK(r.gpuPerIterNs == 50 * us);
}

TEST_CASE("fixtures: a side stream of 64 MB pageable copies is copy-bound", "[bound][fixture]") {
    Trace t;
    REQUIRE(importTraces({test::dataPath("verdict_side_copies.json.gz")}, t).ok);
    const BoundResult r = boundOf(t);
    // python3 on the raw events over the same window (first steady step to the end of its work):
    // busy 96.267%, kernels 25.197%, copies 94.579%, copies with no kernel 82571.6 us.
    CHECK(r.window == "ProfilerStep#2..#4 (steady, 0 warm-up left out)");
    CHECK(r.cls == BoundClass::CopyBound);  // was compute-bound (busy 96.3%)
    CHECK(r.busyPct == Approx(96.267).margin(0.001));
    CHECK(r.computeBusyPct == Approx(25.197).margin(0.001));
    CHECK(r.copyBusyPct == Approx(94.579).margin(0.001));
    CHECK(double(r.computeIdleWhileCopyingNs) / 1000.0 == Approx(82571.6).margin(0.1));
}

TEST_CASE("fixtures: a compute-bound training step that waits in .item(): CPU time leaves the wait out",
          "[bound][fixture]") {
    Trace t;
    REQUIRE(importTraces({test::dataPath("verdict_sync_step.json.gz")}, t).ok);
    const BoundResult r = boundOf(t);
    // python3 on the raw events: the launching threads (main and autograd) busy 32.27 ms in the
    // steady steps, 22171.7 us of it blocked in syncs; GPU busy 94.215%.
    CHECK(r.cls == BoundClass::ComputeBound);
    CHECK(r.busyPct == Approx(94.215).margin(0.001));
    CHECK(double(r.blockedNs) / 1000.0 == Approx(22171.7).margin(0.1));
    CHECK(double(r.cpuNs) / 1000.0 == Approx(10095.3).margin(0.1));
    CHECK(r.gpuOverCpu == Approx(3.0226).margin(0.0001));  // was 0.434
}

TEST_CASE("fixtures: steps without ranges are detected, compilation left out", "[bound][fixture]") {
    SECTION("eager training, torch.profiler without a schedule: 8 steps of 228 launches") {
        Trace t;
        REQUIRE(importTraces({test::dataPath("verdict_no_ranges.json.gz")}, t).ok);
        const BoundResult r = boundOf(t);
        // Not the Optimizer.step#AdamW.step range, which encloses a small part of each step.
        CHECK(r.kind == WindowKind::Detected);
        CHECK(r.window == "8 iterations (detected)");
        CHECK(r.detectedPeriod == 228);  // python3: 1824 launches, 228 between optimizer steps
        CHECK(r.startNs == 2'931'496);   // the first launch of the trace
        CHECK(r.cls == BoundClass::OverheadBound);
    }
    SECTION("torch.compile with CUDA graphs: compilation and autotuning, then one graph launch per step") {
        Trace t;
        REQUIRE(importTraces({test::dataPath("verdict_compiled.json.gz")}, t).ok);
        const BoundResult r = boundOf(t);
        CHECK(r.kind == WindowKind::Detected);
        CHECK(r.detectedPeriod == 2);  // the input copy and the graph launch
        CHECK(r.window == "30 iterations (detected)");
        CHECK(r.warmupInstances == 1);
        // python3: the input copy's launch before the third cudaGraphLaunch, 4.05 s in, after
        // compilation (whose autotuning repeats kernels too, but not to the end of the trace).
        CHECK(r.startNs == Approx(4'050'593'920).margin(1));
        CHECK(r.cls == BoundClass::OverheadBound);
    }
}
