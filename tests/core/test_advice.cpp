// Advice rules: each triggered by a trace that shows the problem, and silent on one that does not.
#include <catch2/catch.hpp>

#include "core/analysis/Advice.h"
#include "core/analysis/HostActivity.h"
#include "core/io/ChromeTraceImporter.h"
#include "core/model/TraceBuilder.h"
#include "HandMadeSteps.h"
#include "TestSupport.h"

using namespace gaplens;

namespace {
constexpr TimeNs us = 1000;

struct Analysed {
    Trace trace;
    OpsTable ops;
    GpuBusy gpu;
    GapAnalysis gaps;
    LaunchLatency latency;
    DeadWindows dead;
    BoundResult bound;
    explicit Analysed(Trace t) : trace(std::move(t)) {
        ops = computeOpsTable(trace);
        gpu = computeGpuBusy(trace);
        const HostActivity host = buildHostActivity(trace);
        gaps = analyzeGaps(trace, gpu, host);
        latency = computeLaunchLatency(trace);
        dead = computeDeadWindows(trace, gpu, host);
        bound = classifyBound(trace, gpu, dead);
    }
    AdviceInput input() const { return {&trace, &ops, &gpu, &gaps, &latency, &dead, &bound}; }
};

// n iterations of a 50 us range with one op launching one kernel of `kernelUs`, host paced at
// 60 us; with `coldMalloc` the first iteration spends 3 ms in cudaMalloc before its launch.
Trace loop(int n, TimeNs kernelUs, bool coldMalloc = false) {
    TraceBuilder b;
    const auto th = b.cpuThread(b.process(1, "app"), 1);
    const auto s = b.gpuStream(b.process(0, "GPU 0"), 0, 7);
    TimeNs gpuFree = 0, t0 = 0;
    for (int i = 0; i < n; ++i) {
        TimeNs at = t0;
        if (coldMalloc && i == 0) {
            b.range(th, "step", t0, 3050 * us);
            b.event(th, EventKind::RuntimeApi, "cudaMalloc", t0 + 1 * us, 3000 * us);
            at += 3000 * us;
        } else {
            b.range(th, "step", t0, 50 * us);
        }
        b.op(th, "aten::add", at + 10 * us, 20 * us);
        const TimeNs start = std::max(gpuFree, at + 30 * us);
        b.launch(th, s, "add_kernel", at + 20 * us, 5 * us, start, kernelUs * us, i + 1);
        gpuFree = start + kernelUs * us;
        t0 = at + 60 * us;
    }
    return b.build();
}

}  // namespace

TEST_CASE("host-overhead rule: many short kernels in a host-paced loop", "[advice]") {
    const Analysed a(loop(30, 2));
    const auto advice = adviseHostOverhead(a.input());
    REQUIRE(advice);
    CHECK(advice->rule == "host-overhead");
    CHECK(advice->savingNs == a.gaps.total(GapCause::HostOverhead).totalNs);
    CHECK(advice->text.find("CUDA graphs") != std::string::npos);
    INFO(advice->text);
    CHECK(advice->text.find("`aten::add`") != std::string::npos);
    // Not for a compute-bound loop.
    const Analysed big(loop(30, 5000));
    CHECK(big.bound.cls == BoundClass::ComputeBound);
    CHECK_FALSE(adviseHostOverhead(big.input()));
}

TEST_CASE("sync rule: a blocking sync in every step", "[advice]") {
    TraceBuilder b;
    const auto th = b.cpuThread(b.process(1, "app"), 1);
    const auto s = b.gpuStream(b.process(0, "GPU 0"), 0, 7);
    for (int i = 0; i < 10; ++i) {
        const TimeNs t0 = i * 1000 * us;
        b.launch(th, s, "k", t0, 5 * us, t0 + 10 * us, 500 * us, i + 1);                      // runs to t0+510
        b.event(th, EventKind::RuntimeApi, "cudaStreamSynchronize", t0 + 6 * us, 505 * us);  // returns t0+511
        b.op(th, "host_work", t0 + 520 * us, 400 * us);                                     // then the host works
    }
    const Analysed a(b.build());
    CHECK(a.gaps.total(GapCause::Sync).count == 9);
    const auto advice = adviseSync(a.input());
    REQUIRE(advice);
    CHECK(advice->savingNs == a.gaps.total(GapCause::Sync).totalNs);
    CHECK(advice->text.find(".item()") != std::string::npos);
    CHECK_FALSE(adviseSync(Analysed(loop(30, 2)).input()));
}

TEST_CASE("setup rule: one-time work before the first kernel", "[advice]") {
    const Analysed a(loop(5, 2, true));
    const auto advice = adviseSetup(a.input());
    REQUIRE(advice);
    CHECK(advice->savingNs >= 3000 * us);
    CHECK(advice->evidence.find("cudaMalloc") != std::string::npos);
    CHECK_FALSE(adviseSetup(Analysed(loop(5, 2)).input()));
}

TEST_CASE("pageable memcpy rule", "[advice]") {
    TraceBuilder b;
    const auto th = b.cpuThread(b.process(1, "app"), 1);
    const auto s = b.gpuStream(b.process(0, "GPU 0"), 0, 7);
    b.event(th, EventKind::RuntimeApi, "cudaMemcpyAsync", 0, 5 * us, 1);
    b.event(s, EventKind::Memcpy, "Memcpy HtoD (Pageable -> Device)", 10 * us, 200 * us, 1);
    b.event(th, EventKind::RuntimeApi, "cudaMemcpyAsync", 300 * us, 5 * us, 2);
    b.event(s, EventKind::Memcpy, "Memcpy HtoD (Pinned -> Device)", 310 * us, 100 * us, 2);
    const Analysed a(b.build());
    const auto advice = advisePageableMemcpy(a.input());
    REQUIRE(advice);
    CHECK(advice->savingNs == 200 * us);
    CHECK(advice->evidence == "1 pageable memcpy, 200 µs");
    CHECK_FALSE(advisePageableMemcpy(Analysed(loop(5, 2)).input()));
}

TEST_CASE("gpu-bound rule: launches wait long in the queue of a compute-bound window", "[advice]") {
    const Analysed big(loop(30, 5000));
    const auto advice = adviseGpuBound(big.input());
    REQUIRE(advice);
    CHECK(advice->savingNs == 30 * 5000 * us);  // the add_kernel's GPU time
    CHECK(advice->text.find("`add_kernel`") != std::string::npos);
    CHECK_FALSE(adviseGpuBound(Analysed(loop(30, 2)).input()));
}

TEST_CASE("copy-bound rule: copies keep the copy engines busy while the SMs idle", "[advice]") {
    // 3 steps of 2.7 ms: 1 ms of GEMM, and 2.6 ms of pinned host-to-device copies on a side stream.
    const Analysed a(test::sideCopySteps(1000, 2600));
    REQUIRE(a.bound.cls == BoundClass::CopyBound);
    const auto advice = adviseCopyBound(a.input());
    REQUIRE(advice);
    CHECK(advice->rule == "copy-bound");
    CHECK(advice->savingNs == a.bound.computeIdleWhileCopyingNs);
    CHECK(advice->savingNs == 3 * 1600 * us);  // the copy time that no GEMM overlaps
    CHECK(advice->text.find("pinned memory") != std::string::npos);
    CHECK(advice->text.find("overlap") != std::string::npos);
    // Copies beside a GEMM that keeps the SMs busy: compute-bound, no copy-bound advice.
    const Analysed b(test::sideCopySteps(2400, 1000));
    CHECK(b.bound.cls != BoundClass::CopyBound);
    CHECK_FALSE(adviseCopyBound(b.input()));
    CHECK_FALSE(adviseCopyBound(Analysed(loop(30, 2)).input()));
}

TEST_CASE("computeAdvice lists the rules that apply, largest saving first", "[advice]") {
    const Analysed a(loop(30, 2, true));
    const auto all = computeAdvice(a.input());
    for (const Advice& x : all) UNSCOPED_INFO(x.rule << ": " << x.text);
    REQUIRE(all.size() == 2);
    CHECK(all[0].rule == "setup");
    CHECK(all[1].rule == "host-overhead");
}

TEST_CASE("fixtures: the warm 64x64 loop gets the host-overhead advice, 8192 the gpu-bound one, side copies the copy-bound one", "[advice][fixture]") {
    {
        Trace t;
        REQUIRE(importTraces({test::dataPath("torch_mm64_warm.json")}, t).ok);
        const Analysed a(std::move(t));
        const auto all = computeAdvice(a.input());
        REQUIRE(all.size() == 1);
        CHECK(all[0].rule == "host-overhead");
        CHECK(all[0].text.find("could cut the step from 132 µs toward the 3.21 µs the GPU is busy") != std::string::npos);
    }
    {
        // Copies keep the GPU busy 96% of the step: not "look at the kernels" but the copy-bound advice.
        Trace t;
        REQUIRE(importTraces({test::dataPath("verdict_side_copies.json.gz")}, t).ok);
        const Analysed a(std::move(t));
        const auto all = computeAdvice(a.input());
        for (const Advice& x : all) UNSCOPED_INFO(x.rule << ": " << x.text);
        // Both copy rules: the pageable copies' 110 ms, and the 82.6 ms the SMs idle while copies
        // run; not host-overhead (its 2.4 ms of gaps are not what limits a copy-bound step).
        REQUIRE(all.size() >= 2);
        CHECK(all[0].rule == "pageable-memcpy");
        CHECK(all[1].rule == "copy-bound");
        CHECK(double(all[1].savingNs) / 1000.0 == Approx(82571.6).margin(0.1));
        for (const Advice& x : all) {
            CHECK(x.rule != "gpu-bound");
            CHECK(x.rule != "host-overhead");
        }
    }
    {
        Trace t;
        REQUIRE(importTraces({test::dataPath("torch_mm8192_warm.json.gz")}, t).ok);
        const Analysed a(std::move(t));
        const auto all = computeAdvice(a.input());
        REQUIRE(all.size() == 1);
        CHECK(all[0].rule == "gpu-bound");
    }
}
