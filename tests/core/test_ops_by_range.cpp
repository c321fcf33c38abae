// The ops table grouped by range: hand-made traces with exact numbers (nested ranges, ops outside
// any range, kernels launched inside a range, two threads) and the torch 64x64 loop fixture.
#include <catch2/catch.hpp>

#include <map>
#include <tuple>

#include "core/analysis/OpsByRange.h"
#include "core/io/ChromeTraceImporter.h"
#include "core/model/TraceBuilder.h"
#include "TestSupport.h"

using namespace gaplens;
using test::findRow;

namespace {

// Thread 1:  outer [0, 100us)
//              aten::mm [10, 30)           launch [15, 20) -> gemm 8us
//              inner [40, 80)
//                aten::add [45, 65)        launch [50, 55) -> add 2us
//            aten::copy_ [150, 160)        launch [152, 155) -> copy 1us     (no range)
//            inner [200, 230)
//              aten::add [205, 215)
// Thread 2:  inner [0, 50)
//              aten::mm [10, 20)
//            aten::mm [60, 65)                                               (no range)
// Stream 7:  also a kernel with no launch record (0.5us) and outer's span on the GPU (50us).
Trace nestedRanges() {
    TraceBuilder b;
    const auto p = b.process(1, "python");
    const auto th = b.cpuThread(p, 1);
    const auto th2 = b.cpuThread(p, 2);
    const auto gp = b.process(0, "GPU 0");
    const auto s = b.gpuStream(gp, 0, 7);
    b.range(th, "outer", 0, 100'000);
    b.op(th, "aten::mm", 10'000, 20'000);
    b.launch(th, s, "gemm", 15'000, 5'000, 40'000, 8'000, 1);
    b.range(th, "inner", 40'000, 40'000);
    b.op(th, "aten::add", 45'000, 20'000);
    b.launch(th, s, "add", 50'000, 5'000, 90'000, 2'000, 2);
    b.op(th, "aten::copy_", 150'000, 10'000);
    b.launch(th, s, "copy", 152'000, 3'000, 170'000, 1'000, 3);
    b.range(th, "inner", 200'000, 30'000);
    b.op(th, "aten::add", 205'000, 10'000);
    b.range(th2, "inner", 0, 50'000);
    b.op(th2, "aten::mm", 10'000, 10'000);
    b.op(th2, "aten::mm", 60'000, 5'000);
    b.event(s, EventKind::Kernel, "orphan", 300'000, 500, 99);
    b.event(s, EventKind::GpuUserRange, "outer", 40'000, 50'000);
    return b.build();
}

}  // namespace

TEST_CASE("ops by range: each op in the innermost range enclosing it, kernels with their launch", "[ops][range]") {
    const OpsByRange t = computeOpsTableByRange(nestedRanges());
    // Longest range total first, "(no range)" last.
    REQUIRE(t.groups.size() == 3);
    CHECK(t.groups[0].range == "inner");
    CHECK(t.groups[1].range == "outer");
    CHECK(t.groups[2].range == "(no range)");

    SECTION("the nested range, over its three instances on two threads") {
        const OpsRangeGroup& g = t.groups[0];
        CHECK(g.instances == 3);
        CHECK(g.rangeTotalNs == 40'000 + 30'000 + 50'000);
        CHECK(g.ops.rows.size() == 5);
        const OpRow* inner = findRow(g.ops, "inner", false);
        REQUIRE(inner);
        CHECK(inner->calls == 3);
        CHECK(inner->cpuTotalNs == 120'000);
        CHECK(inner->selfCpuNs == (40'000 - 20'000) + (30'000 - 10'000) + (50'000 - 10'000));
        CHECK(inner->gpuTotalNs == 2'000);  // the add kernel, through aten::add
        CHECK(inner->selfGpuNs == 0);
        const OpRow* add = findRow(g.ops, "aten::add", false);
        REQUIRE(add);
        CHECK(add->calls == 2);
        CHECK(add->cpuTotalNs == 30'000);
        CHECK(add->selfCpuNs == 25'000);  // minus its launch call
        CHECK(add->selfGpuNs == 2'000);
        const OpRow* mm = findRow(g.ops, "aten::mm", false);  // thread 2's, inside its range
        REQUIRE(mm);
        CHECK(mm->calls == 1);
        CHECK(mm->selfCpuNs == 10'000);
        const OpRow* launch = findRow(g.ops, "cudaLaunchKernel", false);
        REQUIRE(launch);
        CHECK(launch->calls == 1);
        CHECK(launch->cpuTotalNs == 5'000);
        const OpRow* kernel = findRow(g.ops, "add", true);  // launched from inside the range
        REQUIRE(kernel);
        CHECK(kernel->calls == 1);
        CHECK(kernel->selfGpuNs == 2'000);
        CHECK(g.ops.selfCpuTotalNs == 80'000 + 25'000 + 10'000 + 5'000);
        CHECK(g.ops.selfGpuTotalNs == 2'000);
    }
    SECTION("the outer range: its own ops, not the nested range's") {
        const OpsRangeGroup& g = t.groups[1];
        CHECK(g.instances == 1);
        CHECK(g.rangeTotalNs == 100'000);
        CHECK(g.ops.rows.size() == 5);
        const OpRow* outer = findRow(g.ops, "outer", false);
        REQUIRE(outer);
        CHECK(outer->calls == 1);
        CHECK(outer->cpuTotalNs == 100'000);
        CHECK(outer->selfCpuNs == 100'000 - 20'000 - 40'000);  // minus aten::mm and the nested range
        CHECK(outer->gpuTotalNs == 8'000 + 2'000);             // GPU total spans groups, as CPU total does
        CHECK(findRow(g.ops, "aten::add", false) == nullptr);
        const OpRow* mm = findRow(g.ops, "aten::mm", false);
        REQUIRE(mm);
        CHECK(mm->calls == 1);
        CHECK(mm->selfCpuNs == 15'000);
        CHECK(mm->selfGpuNs == 8'000);
        REQUIRE(findRow(g.ops, "gemm", true));
        CHECK(findRow(g.ops, "gemm", true)->selfGpuNs == 8'000);
        const OpRow* span = findRow(g.ops, "outer", true);  // the range's span on the GPU stream
        REQUIRE(span);
        CHECK(span->gpuTotalNs == 50'000);
        CHECK(g.ops.selfCpuTotalNs == 40'000 + 15'000 + 5'000);
        CHECK(g.ops.selfGpuTotalNs == 8'000);
    }
    SECTION("ops outside any range, on both threads, and the kernel with no launch record") {
        const OpsRangeGroup& g = t.groups[2];
        CHECK(g.instances == 0);
        CHECK(g.rangeTotalNs == 0);
        CHECK(g.ops.rows.size() == 5);
        const OpRow* copy = findRow(g.ops, "aten::copy_", false);
        REQUIRE(copy);
        CHECK(copy->selfCpuNs == 7'000);
        CHECK(copy->selfGpuNs == 1'000);
        const OpRow* mm = findRow(g.ops, "aten::mm", false);
        REQUIRE(mm);
        CHECK(mm->calls == 1);
        CHECK(mm->cpuTotalNs == 5'000);
        REQUIRE(findRow(g.ops, "cudaLaunchKernel", false));
        CHECK(findRow(g.ops, "cudaLaunchKernel", false)->cpuTotalNs == 3'000);
        REQUIRE(findRow(g.ops, "copy", true));
        REQUIRE(findRow(g.ops, "orphan", true));
        CHECK(g.ops.selfGpuTotalNs == 1'000 + 500);
    }
}

TEST_CASE("ops by range: the groups add up to the ungrouped table row by row", "[ops][range]") {
    for (const char* file : {"", "torch_mm64_warm.json", "torch_mm64_cold.json", "torch_train_step.json.gz"}) {
        INFO(file);
        Trace trace;
        if (*file)
            REQUIRE(importTraces({test::dataPath(file)}, trace).ok);
        else
            trace = nestedRanges();
        const OpsTable all = computeOpsTable(trace);
        const OpsByRange byRange = computeOpsTableByRange(trace);
        using Sums = std::tuple<int64_t, TimeNs, TimeNs, TimeNs, TimeNs>;
        std::map<std::pair<std::string, bool>, Sums> summed;
        TimeNs selfCpu = 0, selfGpu = 0;
        for (const OpsRangeGroup& g : byRange.groups) {
            selfCpu += g.ops.selfCpuTotalNs;
            selfGpu += g.ops.selfGpuTotalNs;
            for (const OpRow& r : g.ops.rows) {
                auto& [calls, sc, ct, sg, gt] = summed[{r.name, r.onGpu}];
                calls += r.calls, sc += r.selfCpuNs, ct += r.cpuTotalNs, sg += r.selfGpuNs, gt += r.gpuTotalNs;
            }
        }
        CHECK(selfCpu == all.selfCpuTotalNs);
        CHECK(selfGpu == all.selfGpuTotalNs);
        REQUIRE(summed.size() == all.rows.size());
        for (const OpRow& r : all.rows) {
            INFO(r.name);
            CHECK(summed[{r.name, r.onGpu}] == Sums{r.calls, r.selfCpuNs, r.cpuTotalNs, r.selfGpuNs, r.gpuTotalNs});
        }
    }
}

// Counts from the raw events with python3: 5 matmul_add instances (596.794 us in all), each inside
// a ProfilerStep#N (726.263 us in all) and holding one aten::mm, one aten::add, their two launches
// (cuLaunchKernelEx for the cuBLAS GEMM, cudaLaunchKernel for the add) and the two kernels; the
// final cudaDeviceSynchronize is outside every range.
TEST_CASE("ops by range on the torch 64x64 warm loop: the matmul_add group holds the loop's ops", "[ops][range][fixture]") {
    Trace trace;
    REQUIRE(importTraces({test::dataPath("torch_mm64_warm.json")}, trace).ok);
    OpsByRange t = computeOpsTableByRange(trace);
    REQUIRE(t.groups.size() == 3);
    CHECK(t.groups[0].range == "ProfilerStep*");
    CHECK(t.groups[1].range == "matmul_add");
    CHECK(t.groups[2].range == "(no range)");

    const OpsRangeGroup& steps = t.groups[0];
    CHECK(steps.instances == 5);
    CHECK(steps.rangeTotalNs == 726'263);
    REQUIRE(steps.ops.rows.size() == 1);  // only the steps themselves: all their ops are in matmul_add
    CHECK(steps.ops.rows[0].name == "ProfilerStep*");
    CHECK(steps.ops.rows[0].selfCpuNs == 726'263 - 596'794);

    const OpsRangeGroup& g = t.groups[1];
    CHECK(g.instances == 5);
    CHECK(g.rangeTotalNs == 596'794);
    for (const char* name : {"matmul_add", "aten::mm", "aten::add", "cuLaunchKernelEx", "cudaLaunchKernel"}) {
        INFO(name);
        const OpRow* r = findRow(g.ops, name, false);
        REQUIRE(r);
        CHECK(r->calls == g.instances);
    }
    CHECK(findRow(g.ops, "matmul_add", true));  // its gpu_user_annotation span
    int kernels = 0;
    for (const OpRow& r : g.ops.rows) kernels += r.kind == EventKind::Kernel ? int(r.calls) : 0;
    CHECK(kernels == 10);
    CHECK(g.ops.selfGpuTotalNs == computeOpsTable(trace).selfGpuTotalNs);  // every kernel was launched in the loop

    const OpsRangeGroup& none = t.groups[2];
    REQUIRE(none.ops.rows.size() == 1);
    CHECK(none.ops.rows[0].name == "cudaDeviceSynchronize");

    REQUIRE(sortOpsByRange(t, "calls"));
    CHECK(t.groups[1].range == "matmul_add");
    CHECK(!sortOpsByRange(t, "bogus"));
}
