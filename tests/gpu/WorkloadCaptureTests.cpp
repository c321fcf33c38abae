// Built-in workloads captured on a real GPU: what a user checks first in a trace.
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <unordered_map>

#include <catch2/catch.hpp>

#include "core/capture/ChromeTraceWriter.h"
#include "core/capture/CuptiCollector.h"
#include "tests/gpu/GpuTestSupport.h"
#include "core/capture/Workloads.h"

using namespace gaplens::capture;

namespace {

WorkloadRun capture(WorkloadVariant variant, int size, int iters, Schedule schedule) {
    WorkloadOptions o;
    o.variant = variant;
    o.size = size;
    o.iters = iters;
    o.batch = 4;
    o.schedule = schedule;
    return runWorkload(o);
}

int countNamed(const CaptureData& d, const std::vector<GpuRecord>& gpu, std::string_view name) {
    return int(std::count_if(gpu.begin(), gpu.end(), [&](const GpuRecord& g) { return d.strings.str(g.name) == name; }));
}

int countRanges(const CaptureData& d, std::string_view name) {
    return int(std::count_if(d.ranges.begin(), d.ranges.end(),
                             [&](const RangeRecord& r) { return d.strings.str(r.name) == name; }));
}

const ApiRecord* launchOf(const CaptureData& d, uint32_t correlation) {
    for (const ApiRecord& a : d.apis)
        if (a.correlation == correlation) return &a;
    return nullptr;
}

}  // namespace

TEST_CASE("matmul_add at 64: one range, one GEMM launch and one add kernel per step", "[gpu]") {
    GAPLENS_REQUIRE_GPU();
    WorkloadRun run = capture(WorkloadVariant::MatmulAdd, 64, 10, Schedule::all(10));
    REQUIRE(run.error.empty());
    const CaptureData& d = run.data;
    CHECK(run.recordedSteps == 10);
    CHECK(countRanges(d, "matmul_add") == 10);
    CHECK(countNamed(d, d.gpu, "gaplens_add_bf16") == 10);
    // The fill kernels of the setup ran on the record too (three operands).
    CHECK(countNamed(d, d.gpu, "gaplens_fill_bf16") == 3);
    // Per step: the GEMM is launched through the driver (cuLaunchKernelEx), the add through the runtime.
    int stepsChecked = 0;
    for (const RangeRecord& r : d.ranges) {
        int runtimeLaunches = 0, driverLaunches = 0;
        for (const ApiRecord& a : d.apis) {
            if (a.start < r.start || a.start >= r.end || a.tid != r.tid) continue;
            const std::string_view name = d.strings.str(a.name);
            if (name == "cudaLaunchKernel") ++runtimeLaunches;
            if (name == "cuLaunchKernelEx") ++driverLaunches;
        }
        CHECK(runtimeLaunches == 1);
        CHECK(driverLaunches >= 1);
        ++stepsChecked;
    }
    CHECK(stepsChecked == 10);
    // The GEMM kernels: same number every step.
    const int kernels = int(std::count_if(d.gpu.begin(), d.gpu.end(), [](auto& g) { return g.kind == GpuRecordKind::Kernel; }));
    CHECK((kernels - 3) % 10 == 0);
    CHECK(kernels - 3 >= 20);
    CHECK(d.droppedRecords == 0);
}

TEST_CASE("captured timestamps are ordered: queued <= submitted <= start <= end, launch before kernel", "[gpu]") {
    GAPLENS_REQUIRE_GPU();
    WorkloadRun run = capture(WorkloadVariant::MatmulAdd, 256, 8, Schedule::all(8));
    REQUIRE(run.error.empty());
    const CaptureData& d = run.data;
    int kernels = 0, withLatency = 0;
    for (const GpuRecord& g : d.gpu) {
        CHECK(g.start <= g.end);
        if (g.kind != GpuRecordKind::Kernel) continue;
        ++kernels;
        if (g.queued && g.submitted) {
            ++withLatency;
            CHECK(g.queued <= g.submitted);
            CHECK(g.submitted <= g.start);
        }
        const ApiRecord* launch = launchOf(d, g.correlation);
        REQUIRE(launch != nullptr);
        CHECK(launch->start <= g.start);
    }
    CHECK(kernels > 0);
    // Latency timestamps are on: every kernel carries queued and submitted.
    CHECK(withLatency == kernels);
    // Kernels of one stream run one after another.
    std::map<uint32_t, std::vector<const GpuRecord*>> byStream;
    for (const GpuRecord& g : d.gpu) byStream[g.stream].push_back(&g);
    for (auto& [stream, list] : byStream) {
        std::sort(list.begin(), list.end(), [](auto* a, auto* b) { return a->start < b->start; });
        for (size_t i = 1; i < list.size(); ++i) CHECK(list[i - 1]->end <= list[i]->start);
    }
    for (const ApiRecord& a : d.apis) CHECK(a.start <= a.end);
    for (const RangeRecord& r : d.ranges) CHECK(r.start <= r.end);
}

TEST_CASE("every kernel links to its launch call: runtime for ours, driver for cuBLAS", "[gpu]") {
    GAPLENS_REQUIRE_GPU();
    WorkloadRun run = capture(WorkloadVariant::MatmulAdd, 1024, 6, Schedule::all(6));
    REQUIRE(run.error.empty());
    const CaptureData& d = run.data;
    int unlinked = 0, gemmByDriver = 0, addByRuntime = 0;
    for (const GpuRecord& g : d.gpu) {
        const ApiRecord* launch = launchOf(d, g.correlation);
        if (!launch) {
            ++unlinked;
            continue;
        }
        const std::string_view kernel = d.strings.str(g.name);
        if (kernel == "gaplens_add_bf16" && !launch->driver) ++addByRuntime;
        if (kernel.find("gaplens_") == std::string_view::npos && g.kind == GpuRecordKind::Kernel && launch->driver &&
            d.strings.str(launch->name) == "cuLaunchKernelEx")
            ++gemmByDriver;
    }
    CHECK(unlinked == 0);
    CHECK(addByRuntime == 6);
    CHECK(gemmByDriver >= 6);
}

TEST_CASE("schedule 1,2,5,1 over 20 steps records exactly the 5 active steps", "[gpu]") {
    GAPLENS_REQUIRE_GPU();
    std::string error;
    const auto schedule = Schedule::parse("1,2,5,1", &error);
    REQUIRE(schedule);
    WorkloadRun run = capture(WorkloadVariant::MatmulAdd, 64, 20, *schedule);
    REQUIRE(run.error.empty());
    CHECK(run.recordedSteps == 5);
    REQUIRE(run.windows.size() == 1);
    // What the trace file will hold: the windowed records.
    CaptureData& d = run.data;
    gaplens::capture::selectWindows(d, run.windows);
    CHECK(countRanges(d, "matmul_add") == 5);
    // A warm-up step's kernel still queued when the window opened stays with its launch (before the
    // window); the adds launched inside it are the 5 active steps'.
    const auto [windowBegin, windowEnd] = run.windows[0];
    int addsLaunchedInWindow = 0;
    for (const GpuRecord& g : d.gpu) {
        if (d.strings.str(g.name) != "gaplens_add_bf16") continue;
        const ApiRecord* launch = launchOf(d, g.correlation);
        CHECK(launch);
        if (launch && launch->start >= windowBegin && launch->start < windowEnd) ++addsLaunchedInWindow;
    }
    CHECK(addsLaunchedInWindow == 5);
}

TEST_CASE("matmul_add_graph: one cudaGraphLaunch per step, its kernels linked to it", "[gpu]") {
    GAPLENS_REQUIRE_GPU();
    WorkloadRun run = capture(WorkloadVariant::Graph, 64, 10, Schedule::all(10));
    REQUIRE(run.error.empty());
    const CaptureData& d = run.data;
    int graphLaunches = 0;
    std::set<uint32_t> graphCorrelations;
    for (const ApiRecord& a : d.apis)
        if (d.strings.str(a.name) == "cudaGraphLaunch") {
            ++graphLaunches;
            graphCorrelations.insert(a.correlation);
        }
    CHECK(graphLaunches == 10);
    int addFromGraph = 0;
    for (const GpuRecord& g : d.gpu)
        if (d.strings.str(g.name) == "gaplens_add_bf16" && graphCorrelations.count(g.correlation)) ++addFromGraph;
    CHECK(addFromGraph == 10);
}

TEST_CASE("matmul_add_batched: one strided-batched GEMM call per step", "[gpu]") {
    GAPLENS_REQUIRE_GPU();
    WorkloadRun run = capture(WorkloadVariant::Batched, 128, 6, Schedule::all(6));
    REQUIRE(run.error.empty());
    const CaptureData& d = run.data;
    CHECK(countRanges(d, "matmul_add") == 6);
    CHECK(countNamed(d, d.gpu, "gaplens_add_bf16") == 6);
    CHECK(run.flopsPerStep == Approx(2.0 * 128 * 128 * 128 * 4));
}
