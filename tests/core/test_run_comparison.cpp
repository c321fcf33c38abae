// Comparing two runs (analysis 9): hand-made loops with exact numbers for each figure and each
// kind of op row, runs with different step counts and warm-up, noise, and real pairs of captures.
#include <catch2/catch.hpp>

#include "core/analysis/RunComparison.h"
#include "core/model/TraceBuilder.h"
#include "core/report/ReportLoading.h"
#include "LoopTrace.h"
#include "TestSupport.h"

using namespace gaplens;

namespace {

using test::LoopSpec;
using test::loop;
constexpr TimeNs us = 1000;

struct Run {
    Trace trace;
    Report report;
};

Run run(const LoopSpec& s, const std::string& path) {
    Run r{loop(s), {}};
    ReportOptions o;
    o.path = path;
    r.report = buildReport(r.trace, o);
    return r;
}

RunComparison compare(const Run& a, const Run& b) { return compareRuns(a.trace, a.report, b.trace, b.report); }

const OpDelta* row(const RunComparison& c, std::string_view name, bool onGpu = false) {
    for (const OpDelta& o : c.ops)
        if (o.name == name && o.onGpu == onGpu) return &o;
    return nullptr;
}

size_t rank(const RunComparison& c, std::string_view name, bool onGpu = false) {
    for (size_t i = 0; i < c.ops.size(); ++i)
        if (c.ops[i].name == name && c.ops[i].onGpu == onGpu) return i;
    return c.ops.size();
}

}  // namespace

TEST_CASE("compare: two launches per step against one graph launch, per steady iteration", "[compare]") {
    // Before: 10 steps, 1 warm-up, 20 us each. After: 6 steps, 2 warm-ups, 10 us each, as a graph.
    const Run a = run({.iterations = 10, .warmup = 1, .period = 20 * us}, "before.json");
    const Run b = run({.iterations = 6, .warmup = 2, .period = 10 * us, .graph = true}, "after.json");
    const RunComparison c = compare(a, b);

    CHECK(c.a.iterations == 9);
    CHECK(c.b.iterations == 4);
    CHECK(c.a.rangeName == "step");
    CHECK_FALSE(c.a.wholeTrace);

    // Every step is alike: no spread, so every difference is a change.
    const FigureDelta& iter = c.figure(FigureId::IterTime);
    CHECK(iter.a == 20'000);
    CHECK(iter.b == 10'000);
    CHECK(iter.noise == 0);
    CHECK(iter.direction() == -1);
    CHECK(c.iterRatio() == 0.5);
    CHECK(c.figure(FigureId::HostTime).a == 20'000);
    CHECK(c.figure(FigureId::HostTime).b == 10'000);
    // GPU time: gemm 4 + add 2 in both.
    CHECK(c.figure(FigureId::GpuTime).a == 6'000);
    CHECK(c.figure(FigureId::GpuTime).b == 6'000);
    CHECK_FALSE(c.figure(FigureId::GpuTime).changed());
    CHECK(c.figure(FigureId::BusyPct).a == Approx(30.0));
    CHECK(c.figure(FigureId::BusyPct).b == Approx(60.0));
    CHECK(c.figure(FigureId::BusyPct).direction() == 1);
    // The rest of each step is host-overhead idle: 20 - 6 and 10 - 6.
    CHECK(c.figure(FigureId::IdleHostOverhead).a == 14'000);
    CHECK(c.figure(FigureId::IdleHostOverhead).b == 4'000);
    CHECK(c.figure(FigureId::IdleHostIdle).a == 0);
    CHECK(c.figure(FigureId::IdleSetup).b == 0);
    CHECK(c.figure(FigureId::Launches).a == 2);
    CHECK(c.figure(FigureId::Launches).b == 1);
    CHECK(c.figure(FigureId::Kernels).a == 2);
    CHECK(c.figure(FigureId::Kernels).b == 2);
    // Launch -> start: gemm 7 us, add 5 us before; gemm 3 us, add 7 us after. The medians (5 -> 3)
    // differ by less than the latencies' own spread (4 us after): no change.
    const FigureDelta& latency = c.figure(FigureId::LaunchP50);
    CHECK(latency.a == 5'000);
    CHECK(latency.b == 3'000);
    CHECK(latency.noise == 4'000);
    CHECK_FALSE(latency.changed());
    // Range start -> first kernel: 9 us before, 4 us after (the cold warm-up steps are left out).
    CHECK(c.figure(FigureId::DeadWindowP50).a == 9'000);
    CHECK(c.figure(FigureId::DeadWindowP50).b == 4'000);

    // Op rows, per iteration, largest change in time (self CPU + self GPU) first.
    const OpDelta* mm = row(c, "aten::mm");
    REQUIRE(mm);
    CHECK(mm->change == RowChange::Gone);
    CHECK(mm->aCalls == 1);
    CHECK(mm->aSelfCpuNs == 3'000);  // 6 us minus its launch call's 3
    CHECK(mm->aSelfGpuNs == 4'000);  // gemm
    CHECK(mm->bCalls == 0);
    const OpDelta* launch = row(c, "cudaLaunchKernel");
    REQUIRE(launch);
    CHECK(launch->change == RowChange::Gone);
    CHECK(launch->aCalls == 2);
    CHECK(launch->aSelfCpuNs == 5'000);
    const OpDelta* graph = row(c, "cudaGraphLaunch");
    REQUIRE(graph);
    CHECK(graph->change == RowChange::New);
    CHECK(graph->bCalls == 1);
    CHECK(graph->bSelfCpuNs == 2'000);
    // The step range: 20 - 6 - 4 = 10 us of self CPU before; 10 - 2 = 8 after, and the graph's
    // kernels (6 us) are its self GPU now that no op encloses the launch.
    const OpDelta* step = row(c, "step");
    REQUIRE(step);
    CHECK(step->aSelfCpuNs == 10'000);
    CHECK(step->bSelfCpuNs == 8'000);
    CHECK(step->bSelfGpuNs == 6'000);
    CHECK(step->timeDeltaNs() == 4'000);
    CHECK(step->change == RowChange::Slower);
    const OpDelta* gemm = row(c, "gemm", true);
    REQUIRE(gemm);
    CHECK(gemm->aSelfGpuNs == 4'000);
    CHECK(gemm->bSelfGpuNs == 4'000);
    CHECK(gemm->change == RowChange::Same);
    CHECK(row(c, "add", true)->change == RowChange::Same);
    // Order: aten::mm (7 us), cudaLaunchKernel (5), aten::add and step (4, by name), cudaGraphLaunch (2).
    CHECK(rank(c, "aten::mm") == 0);
    CHECK(rank(c, "cudaLaunchKernel") == 1);
    CHECK(rank(c, "aten::add") == 2);
    CHECK(rank(c, "step") == 3);
    CHECK(rank(c, "cudaGraphLaunch") == 4);

    CHECK(c.anyChange());
    INFO(c.summary);
    CHECK(c.summary.find("Iteration time 20.0 µs → 10.0 µs (×0.50)") == 0);
    CHECK(c.summary.find("Host-overhead idle per iteration fell from 14.0 µs to 4.00 µs: 1 fewer launch per "
                         "iteration (2 → 1).") != std::string::npos);
    CHECK(c.summary.find("aten::mm is gone (was 1 call, 7.00 µs per iteration)") != std::string::npos);
}

TEST_CASE("compare: a delta within the iterations' p10-p90 spread is no change", "[compare]") {
    // Before: gemm alternates 4 and 6 us (10 steady steps); after: 5.5 us every step, 5 steady
    // steps after 3 warm-ups. Means move by 0.5 us; the before run's own steps differ by 2 us.
    const Run a = run({.iterations = 11, .warmup = 1, .gemmNs = 4 * us, .gemmOddNs = 6 * us}, "a.json");
    const Run b = run({.iterations = 8, .warmup = 3, .gemmNs = 5'500}, "b.json");
    const RunComparison c = compare(a, b);
    CHECK(c.a.iterations == 10);
    CHECK(c.b.iterations == 5);
    const FigureDelta& gpu = c.figure(FigureId::GpuTime);
    CHECK(gpu.a == 7'000);
    CHECK(gpu.b == 7'500);
    CHECK(gpu.noise == 2'000);
    CHECK_FALSE(gpu.changed());
    CHECK(c.figure(FigureId::IdleHostOverhead).a == 13'000);
    CHECK(c.figure(FigureId::IdleHostOverhead).b == 12'500);
    CHECK_FALSE(c.figure(FigureId::IdleHostOverhead).changed());
    CHECK(c.figure(FigureId::BusyPct).noise == Approx(10.0));  // 30% and 40% steps
    const OpDelta* gemm = row(c, "gemm", true);
    REQUIRE(gemm);
    CHECK(gemm->aSelfGpuNs == 5'000);
    CHECK(gemm->bSelfGpuNs == 5'500);
    CHECK(gemm->noiseNs == 2'000);
    CHECK(gemm->change == RowChange::Same);
    CHECK_FALSE(c.anyChange());
    CHECK(c.summary.rfind("No change beyond noise: iteration time 20.0 µs → 20.0 µs", 0) == 0);
}

TEST_CASE("compare: a faster kernel, the same launches", "[compare]") {
    // The GEMM takes 3 us instead of 4; the host does the same work, so the step stays 20 us and
    // the idle host-overhead time grows by what the GPU saves.
    const Run a = run({.iterations = 6, .warmup = 1}, "a.json");
    const Run b = run({.iterations = 6, .warmup = 1, .gemmNs = 3'000}, "b.json");
    const RunComparison c = compare(a, b);
    CHECK(c.figure(FigureId::GpuTime).a == 6'000);
    CHECK(c.figure(FigureId::GpuTime).b == 5'000);
    CHECK(c.figure(FigureId::GpuTime).direction() == -1);
    CHECK_FALSE(c.figure(FigureId::IterTime).changed());
    CHECK(c.figure(FigureId::IdleHostOverhead).b == 15'000);
    CHECK(c.figure(FigureId::BusyPct).b == Approx(25.0));
    const OpDelta* gemm = row(c, "gemm", true);
    REQUIRE(gemm);
    CHECK(gemm->change == RowChange::Faster);
    CHECK(gemm->timeDeltaNs() == -1'000);
    const OpDelta* mm = row(c, "aten::mm");
    REQUIRE(mm);
    CHECK(mm->change == RowChange::Faster);  // its self GPU is the GEMM
    CHECK(mm->bSelfGpuNs == 3'000);
    CHECK(row(c, "aten::add")->change == RowChange::Same);
    CHECK(row(c, "cudaLaunchKernel")->change == RowChange::Same);
    INFO(c.summary);
    CHECK(c.summary.rfind("Iteration time unchanged within noise (20.0 µs → 20.0 µs), GPU busy 30.0% → 25.0% "
                          "(overhead-bound).", 0) == 0);
    CHECK(c.summary.find("Host-overhead idle per iteration rose from 14.0 µs to 15.0 µs: the GPU has less work per "
                         "iteration to hide the host's overhead behind (GPU time 6.00 µs → 5.00 µs). Most of the GPU "
                         "time change: gemm 4.00 µs → 3.00 µs.") != std::string::npos);
}

TEST_CASE("compare: a run against itself changes nothing", "[compare]") {
    LoadedRun r = loadRun(test::dataPath("capture_matmul_add_64.json"));
    REQUIRE(r.report);
    const RunComparison c = compareRuns(r.trace, *r.report, r.trace, *r.report);
    for (const FigureDelta& f : c.figures) {
        CHECK(f.delta() == 0);
        CHECK_FALSE(f.changed());
    }
    REQUIRE_FALSE(c.ops.empty());
    for (const OpDelta& o : c.ops) {
        CHECK(o.timeDeltaNs() == 0);
        CHECK(o.aCalls == o.bCalls);
        CHECK(o.change == RowChange::Same);
    }
    CHECK(c.iterRatio() == 1.0);
    CHECK_FALSE(c.anyChange());
    CHECK(c.summary.rfind("No change beyond noise", 0) == 0);
}

TEST_CASE("compare: a trace without iterations is one iteration over the whole trace", "[compare]") {
    TraceBuilder tb;
    const auto th = tb.cpuThread(tb.process(1, "p"), 1);
    const auto st = tb.gpuStream(tb.process(0, "GPU 0"), 0, 7);
    tb.launch(th, st, "k", 0, 2 * us, 5 * us, 10 * us, 1);
    tb.launch(th, st, "k", 20 * us, 2 * us, 25 * us, 15 * us, 2);
    const Trace t = tb.build();
    const Report r = buildReport(t);
    const RunComparison c = compareRuns(t, r, t, r);
    CHECK(c.a.wholeTrace);
    CHECK(c.a.iterations == 1);
    CHECK(c.figure(FigureId::Kernels).a == 2);
    CHECK(c.figure(FigureId::GpuTime).a == 25'000);
    CHECK_FALSE(c.anyChange());
}
