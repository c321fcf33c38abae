// Gap causes: one hand-made trace per cause, the precedence between them, the edges of the
// window, and the real cold/warm fixtures.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>

#include "core/analysis/GapCauses.h"
#include "core/analysis/HostActivity.h"
#include "core/analysis/IntervalSet.h"
#include "core/io/ChromeTraceImporter.h"
#include "core/model/TraceBuilder.h"
#include "TestSupport.h"

using namespace gaplens;

namespace {

struct Fixture {
    TraceBuilder b;
    uint32_t th, s, ovh;
    Fixture() {
        const auto p = b.process(1, "app");
        th = b.cpuThread(p, 1);
        const auto gp = b.process(0, "GPU 0");
        s = b.gpuStream(gp, 0, 7);
        ovh = b.overheadTrack(b.process(-1, "CUPTI"));
    }
};

GapAnalysis gapsOf(const Trace& t) {
    const GpuBusy busy = computeGpuBusy(t);
    return analyzeGaps(t, busy, buildHostActivity(t));
}

const Gap& gapAt(const GapAnalysis& g, TimeNs start) {
    for (const Gap& x : g.gaps)
        if (x.start == start) return x;
    FAIL("no gap at " << start);
    return g.gaps.front();
}

constexpr TimeNs us = 1000;

// Two steps 100 us apart, each launching one short kernel: gaps of 98 us (host idle between the
// steps), 5 us (the cold start) and 3 us (after the last kernel).
void addTwoSteps(Fixture& f) {
    f.b.op(f.th, "step", 0, 10 * us);
    f.b.launch(f.th, f.s, "k1", 2 * us, 1 * us, 5 * us, 2 * us, 1);
    f.b.op(f.th, "step", 100 * us, 10 * us);
    f.b.launch(f.th, f.s, "k2", 101 * us, 1 * us, 105 * us, 2 * us, 2);
}

}  // namespace

TEST_CASE("host-idle between steps, host-overhead at the start and after the last GPU work", "[gaps]") {
    Fixture f;
    addTwoSteps(f);
    const GapAnalysis g = gapsOf(f.b.build());
    REQUIRE(g.gaps.size() == 3);
    // Longest first.
    CHECK(g.gaps[0].start == 7 * us);
    CHECK(g.gaps[0].dur == 98 * us);
    CHECK(g.gaps[0].cause == GapCause::HostIdle);
    CHECK(g.detailOf(0) == "no host activity for 90.0 µs before cudaLaunchKernel");
    CHECK(g.gaps[1].start == 0);  // the cold start counts: the window begins at the first event
    CHECK(g.gaps[1].dur == 5 * us);
    CHECK(g.gaps[1].cause == GapCause::HostOverhead);
    CHECK(g.detailOf(1) == "host ops: step 2.00 µs, cudaLaunchKernel 1.00 µs");
    CHECK(g.gaps[2].start == 107 * us);  // after the last GPU op, to the end of the window
    CHECK(g.gaps[2].dur == 3 * us);
    CHECK(g.gaps[2].cause == GapCause::HostOverhead);
    CHECK(g.detailOf(2) == "host ops: step 3.00 µs (after the last GPU work)");
    CHECK(g.total(GapCause::HostIdle).totalNs == 98 * us);
    CHECK(g.total(GapCause::HostOverhead).count == 2);
    CHECK(g.idleNs == 106 * us);
}

TEST_CASE("queued-launch: the next work was launched before the gap began", "[gaps]") {
    Fixture f;
    f.b.launch(f.th, f.s, "a", 0, 1 * us, 10 * us, 10 * us, 1);
    f.b.launch(f.th, f.s, "b", 2 * us, 1 * us, 25 * us, 5 * us, 2);
    const GapAnalysis g = gapsOf(f.b.build());
    const Gap& x = gapAt(g, 20 * us);
    CHECK(x.dur == 5 * us);
    CHECK(x.cause == GapCause::QueuedLaunch);
    CHECK(g.detailOf(x) == "b launched 18.0 µs before the gap began (cudaLaunchKernel): dispatch latency");
}

TEST_CASE("sync: a blocking call returned inside the gap, then the host submitted new work", "[gaps]") {
    Fixture f;
    f.b.op(f.th, "step", 0, 100 * us);
    f.b.launch(f.th, f.s, "k1", 1 * us, 1 * us, 5 * us, 10 * us, 1);
    f.b.event(f.th, EventKind::RuntimeApi, "cudaDeviceSynchronize", 3 * us, 13 * us);  // returns at 16
    f.b.op(f.th, "aten::add", 20 * us, 10 * us);
    f.b.launch(f.th, f.s, "k2", 25 * us, 2 * us, 40 * us, 5 * us, 2);
    const GapAnalysis g = gapsOf(f.b.build());
    const Gap& x = gapAt(g, 15 * us);
    CHECK(x.dur == 25 * us);
    CHECK(x.cause == GapCause::Sync);
    CHECK(x.syncNs == 1 * us);
    CHECK(g.detailOf(x) == "cudaDeviceSynchronize returned 1.00 µs into the gap; then aten::add 5.00 µs, step 4.00 µs, "
                      "cudaLaunchKernel 2.00 µs");
}

TEST_CASE("sync must explain most of the gap: mostly unrecorded host time after it is host-idle", "[gaps]") {
    // A sync returns 10 us into the gap; then 6.3 s of Python start-up that nothing records.
    Fixture f;
    f.b.launch(f.th, f.s, "k1", 0, 1 * us, 5 * us, 10 * us, 1);                       // GPU 5..15 us
    f.b.event(f.th, EventKind::RuntimeApi, "cudaDeviceSynchronize", 3 * us, 22 * us);  // returns at 25 us
    const TimeNs later = 6'300'000 * us;
    f.b.op(f.th, "aten::add", later, 20 * us);
    f.b.launch(f.th, f.s, "k2", later + 5 * us, 2 * us, later + 30 * us, 5 * us, 2);
    const GapAnalysis g = gapsOf(f.b.build());
    const Gap& x = gapAt(g, 15 * us);
    CHECK(x.dur == later + 15 * us);
    CHECK(x.cause == GapCause::HostIdle);
    CHECK(x.syncNs == 10 * us);
    CHECK(g.detailOf(x) == "no host activity for 6.30 s after cudaDeviceSynchronize returned 10.0 µs into the gap, "
                           "before cudaLaunchKernel");
    CHECK(g.total(GapCause::Sync).count == 0);
}

TEST_CASE("setup: one-time calls fill most of the gap", "[gaps]") {
    Fixture f;
    f.b.op(f.th, "step", 0, 100 * us);
    f.b.launch(f.th, f.s, "k1", 1 * us, 1 * us, 3 * us, 2 * us, 1);
    f.b.event(f.th, EventKind::RuntimeApi, "cudaMalloc", 10 * us, 60 * us);
    f.b.launch(f.th, f.s, "k2", 75 * us, 2 * us, 80 * us, 5 * us, 2);
    const GapAnalysis g = gapsOf(f.b.build());
    const Gap& x = gapAt(g, 5 * us);
    CHECK(x.dur == 75 * us);
    CHECK(x.cause == GapCause::Setup);
    CHECK(x.setupNs == 60 * us);
    // 5..75 inside `step`: 60 in cudaMalloc, 10 in the op itself with no API record.
    CHECK(x.unrecordedNs == 10 * us);
    CHECK(g.detailOf(x) == "one-time work: cudaMalloc 60.0 µs; 10.0 µs of host time inside ops with no API record");
}

TEST_CASE("setup: a cold first call and module loading, unrecorded host time is accounted", "[gaps]") {
    Fixture f;
    // aten::mm's first call takes 200 us (its later calls 10 us): cold heuristics and loading.
    f.b.op(f.th, "aten::mm", 0, 200 * us);
    f.b.event(f.ovh, EventKind::Overhead, "Lazy Function Loading", 50 * us, 20 * us);
    f.b.launch(f.th, f.s, "gemm", 190 * us, 5 * us, 200 * us, 2 * us, 1);
    f.b.op(f.th, "aten::mm", 300 * us, 10 * us);
    f.b.launch(f.th, f.s, "gemm", 305 * us, 2 * us, 310 * us, 2 * us, 2);
    f.b.op(f.th, "aten::mm", 400 * us, 10 * us);
    f.b.launch(f.th, f.s, "gemm", 405 * us, 2 * us, 410 * us, 2 * us, 3);
    const GapAnalysis g = gapsOf(f.b.build());
    const Gap& x = gapAt(g, 0);
    CHECK(x.dur == 200 * us);
    CHECK(x.cause == GapCause::Setup);
    CHECK(x.setupNs == 200 * us);
    // 0..190 before the launch: 20 us explained by the overhead event, the rest recorded by nothing.
    CHECK(x.unrecordedNs == 170 * us);
    CHECK(g.detailOf(x) == "one-time work: first aten::mm call 200 µs (later calls 10.0 µs), Lazy Function Loading "
                      "20.0 µs; 170 µs of host time inside ops with no API record");
    CHECK(g.unrecordedNs >= 170 * us);
    // The later, warm gaps are not setup.
    CHECK(gapAt(g, 202 * us).cause == GapCause::HostIdle);
}

TEST_CASE("precedence: queued-launch before setup, setup before sync", "[gaps]") {
    SECTION("a gap full of one-time work whose next kernel was launched before it is queued-launch") {
        Fixture f;
        f.b.launch(f.th, f.s, "a", 0, 1 * us, 2 * us, 3 * us, 1);
        f.b.launch(f.th, f.s, "b", 1 * us, 1 * us, 50 * us, 3 * us, 2);
        f.b.event(f.th, EventKind::RuntimeApi, "cudaMalloc", 4 * us, 45 * us);
        const GapAnalysis g = gapsOf(f.b.build());
        CHECK(gapAt(g, 5 * us).cause == GapCause::QueuedLaunch);
    }
    SECTION("a sync that returns inside a gap mostly spent in one-time work is setup") {
        Fixture f;
        f.b.launch(f.th, f.s, "a", 0, 1 * us, 2 * us, 3 * us, 1);
        f.b.event(f.th, EventKind::RuntimeApi, "cudaStreamSynchronize", 1 * us, 5 * us);  // returns at 6
        f.b.event(f.th, EventKind::RuntimeApi, "cudaMalloc", 7 * us, 40 * us);
        f.b.launch(f.th, f.s, "b", 48 * us, 1 * us, 50 * us, 3 * us, 2);
        const GapAnalysis g = gapsOf(f.b.build());
        CHECK(gapAt(g, 5 * us).cause == GapCause::Setup);
    }
}

TEST_CASE("gaps before work with no launch record and before work from before the trace", "[gaps]") {
    Fixture f;
    f.b.op(f.th, "step", 0, 100 * us);
    f.b.event(f.s, EventKind::Kernel, "old1", 10 * us, 5 * us, 77);  // launched before the trace
    f.b.event(f.s, EventKind::Kernel, "old2", 20 * us, 5 * us, 78);
    f.b.launch(f.th, f.s, "k", 30 * us, 1 * us, 35 * us, 5 * us, 1);
    f.b.event(f.s, EventKind::Memcpy, "Memcpy HtoD", 60 * us, 5 * us, 79);  // launch not recorded
    const GapAnalysis g = gapsOf(f.b.build());
    // 0..10 is unknown (not a gap); 15..20 is before the first linked op.
    CHECK(gapAt(g, 15 * us).cause == GapCause::QueuedLaunch);
    CHECK(g.detailOf(gapAt(g, 15 * us)) == "old2 was launched before the trace began");
    const Gap& m = gapAt(g, 40 * us);
    CHECK(m.cause == GapCause::HostOverhead);  // the thread was busy in `step` throughout
    CHECK(g.detailOf(m) == "host ops: step 20.0 µs (launch of Memcpy HtoD not recorded)");
    for (const Gap& x : g.gaps) CHECK(x.start >= 10 * us);
}

TEST_CASE("cold 64x64 fixture: the 141 ms cold start is setup, with its unrecorded host time", "[gaps][fixture]") {
    Trace t;
    REQUIRE(importTraces({test::dataPath("torch_mm64_cold.json")}, t).ok);
    const GapAnalysis g = gapsOf(t);
    REQUIRE(!g.gaps.empty());
    const Gap& first = g.gaps.front();
    // python3 on the raw events: first kernel 141118.868 us after the first event; 134834 us of
    // the thread's time before the launch is covered by no API call and no overhead event.
    CHECK(first.start == 0);
    CHECK(first.dur == Approx(141'118'868).margin(1'000));
    CHECK(first.cause == GapCause::Setup);
    CHECK(first.unrecordedNs == Approx(134'834'079).margin(1'000));
    CHECK(g.detailOf(first).find("first aten::mm call 136 ms") != std::string::npos);
    CHECK(g.detailOf(first).find("cudaMalloc x4") != std::string::npos);
    // The steady iterations are host-overhead gaps.
    CHECK(g.total(GapCause::HostOverhead).count >= 30);
}

TEST_CASE("start-up fixture: 1.5 s of unrecorded host time after a sync is host-idle, naming the sync", "[gaps][fixture]") {
    Trace t;
    REQUIRE(importTraces({test::dataPath("verdict_startup_gap.json.gz")}, t).ok);
    const GapAnalysis g = gapsOf(t);
    const Gap& longest = g.gaps.front();
    CHECK(longest.dur > 1'500'000'000);
    CHECK(longest.cause == GapCause::HostIdle);  // was sync
    CHECK(g.detailOf(longest).find("after cudaDeviceSynchronize returned 233 µs into the gap") != std::string::npos);
    CHECK(g.total(GapCause::Sync).count == 0);
}

TEST_CASE("warm 8192 fixture: the GPU is fed ahead, its gaps are queued launches", "[gaps][fixture]") {
    Trace t;
    REQUIRE(importTraces({test::dataPath("torch_mm8192_warm.json.gz")}, t).ok);
    const GapAnalysis g = gapsOf(t);
    CHECK(g.total(GapCause::QueuedLaunch).count == 18);
    CHECK(g.total(GapCause::HostOverhead).count + g.total(GapCause::Setup).count + g.total(GapCause::Sync).count == 0);
    CHECK(g.gaps.front().cause == GapCause::HostIdle);  // after the last GPU work
}

TEST_CASE("gaps are listed longest first, equal lengths by start, then device", "[gaps]") {
    TraceBuilder b;
    const auto th = b.cpuThread(b.process(1, "app"), 1);
    const auto gp = b.process(0, "GPUs");
    const auto s0 = b.gpuStream(gp, 0, 7), s1 = b.gpuStream(gp, 1, 7);
    // Device 0 runs 1..6, 16..21, 41..46 us; device 1 runs 1..6, 16..21, 31..36 us.
    b.launch(th, s0, "a", 0, 1 * us, 1 * us, 5 * us, 1);
    b.launch(th, s1, "b", 0, 1 * us, 1 * us, 5 * us, 2);
    b.launch(th, s0, "a", 10 * us, 1 * us, 16 * us, 5 * us, 3);
    b.launch(th, s1, "b", 11 * us, 1 * us, 16 * us, 5 * us, 4);
    b.launch(th, s1, "b", 25 * us, 1 * us, 31 * us, 5 * us, 5);
    b.launch(th, s0, "a", 35 * us, 1 * us, 41 * us, 5 * us, 6);
    const GapAnalysis g = gapsOf(b.build());
    std::vector<std::array<TimeNs, 3>> order;  // device, start, dur (us)
    for (const Gap& x : g.gaps) order.push_back({x.device, x.start / us, x.dur / us});
    CHECK(order == std::vector<std::array<TimeNs, 3>>{
                       {0, 21, 20}, {0, 6, 10}, {1, 6, 10}, {1, 21, 10}, {1, 36, 10}, {0, 0, 1}, {1, 0, 1}});
}

TEST_CASE("searches from a hint give the answers of lone searches, whatever the order of the queries", "[gaps]") {
    // Intervals added out of order (the merge restarts) and queries that jump back and forth, as
    // the detail pass and a gap on another thread make them.
    IntervalSet set;
    const std::vector<std::pair<TimeNs, TimeNs>> added = {{50, 60}, {0, 10}, {5, 20}, {30, 35}, {35, 40},
                                                          {70, 70}, {90, 100}, {95, 96}, {55, 80}};
    for (const auto& [s, e] : added) set.add(s, e);
    set.build();
    REQUIRE(set.size() == 4);  // 0..20, 30..40, 50..80, 90..100
    CHECK(set.total() == 20 + 10 + 30 + 10);
    size_t hint = 0;
    for (const TimeNs a : {-5, 0, 15, 45, 3, 99, 100, 35, 60, 7, 120, 52}) {
        for (const TimeNs len : {0, 1, 7, 40, 200}) {
            TimeNs expected = 0;  // by the definition: each ns covered by some added interval
            for (TimeNs t = a; t < a + len; ++t) {
                bool in = false;
                for (const auto& [s, e] : added) in = in || (s <= t && t < e);
                expected += in;
            }
            CHECK(set.covered(a, a + len, hint) == expected);
            CHECK(set.covered(a, a + len) == expected);
        }
    }
    const std::vector<TimeNs> v = {1, 3, 3, 3, 8, 9, 20, 20, 21};
    for (size_t h = 0; h <= v.size() + 2; ++h)
        for (TimeNs t = 0; t <= 22; ++t) {
            CHECK(partitionPointFrom(v, h, [t](TimeNs x) { return x < t; }) ==
                  size_t(std::lower_bound(v.begin(), v.end(), t) - v.begin()));
            CHECK(partitionPointFrom(v, h, [t](TimeNs x) { return x <= t; }) ==
                  size_t(std::upper_bound(v.begin(), v.end(), t) - v.begin()));
        }
}

TEST_CASE("interval ends, containment and the first interval ending after a time", "[gaps]") {
    // The ends follow from the starts and the covered-time sums: check them after merging in
    // order (touching and nested intervals) and after a restart from out-of-order adds.
    using Spans = std::vector<std::pair<TimeNs, TimeNs>>;
    IntervalSet inOrder, outOfOrder;
    for (const auto& [s, e] : Spans{{0, 10}, {2, 5}, {10, 12}, {20, 30}, {25, 40}, {50, 51}}) inOrder.add(s, e);
    for (const auto& [s, e] : Spans{{20, 30}, {50, 51}, {0, 10}, {25, 40}, {10, 12}, {2, 5}}) outOfOrder.add(s, e);
    inOrder.build();
    outOfOrder.build();
    for (const IntervalSet* set : {&inOrder, &outOfOrder}) {
        REQUIRE(set->size() == 3);  // 0..12, 20..40, 50..51
        CHECK(std::array{set->start(0), set->end(0), set->start(1), set->end(1), set->start(2), set->end(2)} ==
              std::array<TimeNs, 6>{0, 12, 20, 40, 50, 51});
        CHECK(set->total() == 12 + 20 + 1);
        CHECK(set->contains(0));
        CHECK(set->contains(11));
        CHECK_FALSE(set->contains(12));
        CHECK(set->contains(39));
        CHECK_FALSE(set->contains(45));
        CHECK_FALSE(set->contains(51));
        CHECK(set->firstEndingAfter(-1) == 0);
        CHECK(set->firstEndingAfter(11) == 0);
        CHECK(set->firstEndingAfter(12) == 1);
        CHECK(set->firstEndingAfter(40) == 2);
        CHECK(set->firstEndingAfter(51) == 3);
    }
}

TEST_CASE("details are kept for the listed gaps only", "[gaps]") {
    Fixture f;
    addTwoSteps(f);
    const Trace t = f.b.build();
    const GpuBusy busy = computeGpuBusy(t);
    // Gaps of 98, 5 and 3 us: with a 4 us minimum only the first two get their text.
    const GapAnalysis g = analyzeGaps(t, busy, buildHostActivity(t), 4 * us);
    REQUIRE(g.gaps.size() == 3);
    CHECK(g.detailCount() == 2);
    CHECK(g.detailOf(0) == "no host activity for 90.0 µs before cudaLaunchKernel");
    CHECK(g.detailOf(g.gaps[1]) == "host ops: step 2.00 µs, cudaLaunchKernel 1.00 µs");
    CHECK(g.detailOf(2).empty());
    CHECK(g.detailOf(g.gaps[2]).empty());
    const Gap copy = g.gaps[0];  // not held by the analysis: no detail
    CHECK(g.detailOf(copy).empty());
    CHECK(g.detailOf(99).empty());
}
