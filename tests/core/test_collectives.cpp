// Collectives across ranks (analysis 10): hand-made two-rank jobs with exact arrivals, waits and
// skews; clocks of several hosts; the straggler rule; and the real two-H100 DDP run checked against
// a computation made here from its NCCL kernels' own start and end times.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>

#include "core/analysis/Advice.h"
#include "core/analysis/Collectives.h"
#include "core/analysis/JobRanks.h"
#include "core/io/ChromeTraceImporter.h"
#include "core/model/TraceBuilder.h"
#include "core/report/Report.h"
#include "TestSupport.h"

using namespace gaplens;

namespace {
constexpr TimeNs us = 1000;
const char* kAllReduce = "ncclDevKernel_AllReduce_Sum_f32_RING_LL(ncclDevKernelArgsStorage<4096ul>)";

struct Span {
    TimeNs start, dur;  // µs
};
struct RankSpec {
    std::vector<Span> compute;      // kernels on stream 7
    std::vector<Span> collectives;  // NCCL kernels on stream 17
    std::vector<Span> ops;          // aten::mm on the host
    std::string host;
    TimeNs shift = 0;               // µs added to every time (another host's clock)
};

// One file per rank (Process::file), each with a host thread that launches every kernel 5 µs
// before it starts, and metadata as Kineto writes it (distributedInfo) plus the host where given.
Trace jobTrace(const std::vector<RankSpec>& ranks) {
    TraceBuilder b;
    int64_t correlation = 1;
    for (uint32_t r = 0; r < ranks.size(); ++r) {
        const RankSpec& spec = ranks[r];
        const TimeNs d = spec.shift;
        const auto cpu = b.cpuThread(b.process(100 + r, "python", r), 1);
        const uint32_t gpuProcess = b.process(int64_t(r), "python", r);
        const auto compute = b.gpuStream(gpuProcess, int32_t(r), 7);
        const auto nccl = b.gpuStream(gpuProcess, int32_t(r), 17);
        for (const Span& s : spec.compute)
            b.launch(cpu, compute, "gemm", (d + s.start - 5) * us, 2 * us, (d + s.start) * us, s.dur * us, correlation++);
        for (const Span& s : spec.collectives)
            b.launch(cpu, nccl, kAllReduce, (d + s.start - 5) * us, 2 * us, (d + s.start) * us, s.dur * us, correlation++);
        for (const Span& s : spec.ops) b.op(cpu, "aten::mm", (d + s.start) * us, s.dur * us);
        nlohmann::json meta = {{"distributedInfo", {{"rank", r}, {"world_size", ranks.size()}}}};
        if (!spec.host.empty()) meta["gaplens"] = {{"host", spec.host}};
        b.trace().metadata["files"][r] = meta;
        b.trace().sourcePaths.push_back("rank" + std::to_string(r) + ".json");
    }
    return b.build();
}

// Rank 0 arrives first at the first all-reduce (110 vs 140 µs), rank 1 at the second (290 vs 310).
std::vector<RankSpec> twoRanks() {
    RankSpec r0, r1;
    r0.compute = {{10, 90}, {320, 10}};  // the second runs inside rank 0's second all-reduce
    r0.collectives = {{110, 50}, {310, 40}};
    r1.compute = {{10, 120}};
    r1.collectives = {{140, 20}, {290, 60}};
    r1.ops = {{100, 35}};
    return {r0, r1};
}

JobCollectives analyze(const Trace& trace, const JobOptions& options = {}) {
    const JobRanks ranks = findJobRanks(trace);
    std::vector<RankCollectives> per;
    for (const RankFile& r : ranks.ranks) per.push_back(computeRankCollectives(trace, r));
    return analyzeCollectives(std::move(per), options);
}

}  // namespace

TEST_CASE("ranks of a job: one per file, numbered by distributedInfo, labelled with their GPUs", "[collectives]") {
    const Trace trace = jobTrace(twoRanks());
    const JobRanks ranks = findJobRanks(trace);
    REQUIRE(ranks.ranks.size() == 2);
    CHECK(ranks.job);
    CHECK(ranks.warnings.empty());
    CHECK(ranks.ranks[1].rank == 1);
    CHECK(ranks.ranks[1].fromMetadata);
    CHECK(ranks.ranks[1].worldSize == 2);
    CHECK(ranks.ranks[1].path == "rank1.json");
    CHECK(rankLabel(ranks.ranks[1]) == "rank 1 \xC2\xB7 GPU 1");
}

TEST_CASE("rank numbers: claimed ones kept, the others in file order, duplicates renumbered", "[collectives]") {
    std::string warning;
    CHECK(numberRanks({3, -1, 0}, &warning) == std::vector<int>{3, 1, 0});
    CHECK(warning.empty());
    CHECK(numberRanks({-1, 0, -1}, &warning) == std::vector<int>{1, 0, 2});
    CHECK(numberRanks({1, 1}, &warning) == std::vector<int>{0, 1});
    CHECK(warning.find("same rank") != std::string::npos);
}

TEST_CASE("per rank: busy, collective time, overlap with compute, time alone, from its own trace", "[collectives]") {
    const Trace trace = jobTrace(twoRanks());
    const JobRanks ranks = findJobRanks(trace);
    const RankCollectives r0 = computeRankCollectives(trace, ranks.ranks[0]);
    // Window: the first launch call at 5 µs to the last kernel's end at 350 µs.
    CHECK(r0.spanNs == 345 * us);
    CHECK(r0.busyNs == (90 + 50 + 40) * us);
    CHECK(r0.collectiveNs == 90 * us);
    CHECK(r0.overlapNs == 10 * us);  // the 10 µs gemm inside the second all-reduce
    REQUIRE(r0.kernels.size() == 2);
    CHECK(r0.groups == std::vector<std::string>{"stream 17"});
    CHECK(r0.kernels[0].aloneNs == 50 * us);
    CHECK(r0.kernels[1].aloneNs == 30 * us);
    CHECK(r0.kernels[1].seq == 1);
    CHECK(r0.kernels[1].startAbsNs == 310 * us);
}

TEST_CASE("per collective: last rank, skew, each rank's wait, per rank: wait, transfer, last to arrive", "[collectives]") {
    const Trace trace = jobTrace(twoRanks());
    const JobCollectives job = analyze(trace);
    REQUIRE(job.instances.size() == 2);
    CHECK_FALSE(job.clockAligned);  // hosts unknown, the ends agree: one clock
    CHECK(job.clockNote.find("one host") != std::string::npos);
    const CollectiveInstance& a = job.instances[0];
    CHECK(a.firstArrivalNs == 110 * us);
    CHECK(a.skewNs() == 30 * us);
    CHECK(job.ranks[a.lastRank].rank == 1);
    CHECK(a.waitNs == 30 * us);
    const CollectiveInstance& b = job.instances[1];
    CHECK(b.skewNs() == 20 * us);
    CHECK(job.ranks[b.lastRank].rank == 0);
    const std::vector<Arrival> order = job.arrivalOrder(b);
    REQUIRE(order.size() == 2);
    CHECK(job.ranks[order[0].rank].rank == 1);
    CHECK(order[0].waitNs == 20 * us);
    CHECK(order[1].waitNs == 0);

    const RankFigures& f0 = job.figures[0];
    const RankFigures& f1 = job.figures[1];
    CHECK(f0.waitNs == 30 * us);
    CHECK(f0.transferNs == 60 * us);
    CHECK(f1.waitNs == 20 * us);
    CHECK(f1.transferNs == 60 * us);
    CHECK(f0.lastToArrive == 1);
    CHECK(f1.lastToArrive == 1);
    // Rank 0's first all-reduce runs alone: its 30 µs wait leaves busy; rank 1's second too.
    CHECK(f0.busyExclWaitNs == 150 * us);
    CHECK(f1.busyExclWaitNs == 180 * us);
    CHECK(job.instanceOf(1, 1) == 1);
    CHECK(job.instanceOf(0, 0) == 0);

    // Last once each: rank 1's lateness cost more (30 µs against 20).
    REQUIRE(job.straggler);
    CHECK(job.ranks[job.straggler->rank].rank == 1);
    CHECK(job.straggler->othersWaitNs == 30 * us);
    CHECK(job.straggler->waited == std::vector<std::pair<TimeNs, TimeNs>>{{110 * us, 140 * us}});
}

TEST_CASE("what the straggler ran while the others waited: its kernels, host ops, GPU busy", "[collectives]") {
    const Trace trace = jobTrace(twoRanks());
    const RankActivity act = activityIn(trace, 1, {{110 * us, 140 * us}});
    CHECK(act.intervalNs == 30 * us);
    CHECK(act.gpuBusyNs == 20 * us);  // its gemm ran until 130 µs
    REQUIRE(act.kernels.size() == 1);
    CHECK(act.kernels[0].name == "gemm");
    CHECK(act.kernels[0].ns == 20 * us);
    REQUIRE(act.ops.size() == 1);
    CHECK(act.ops[0].name == "aten::mm");
    CHECK(act.ops[0].ns == 25 * us);
}

TEST_CASE("ranks of several hosts are put on one clock by their collectives' ends", "[collectives]") {
    std::vector<RankSpec> spec = twoRanks();
    spec[0].host = "node-a";
    spec[1].host = "node-b";
    spec[1].shift = 5000;  // rank 1's clock runs 5 ms ahead
    const JobCollectives job = analyze(jobTrace(spec));
    CHECK(job.clockAligned);
    CHECK(job.figures[1].offsetNs == -5000 * us);
    CHECK(job.clockNote.find("several hosts") != std::string::npos);
    // The same figures as on one clock.
    REQUIRE(job.instances.size() == 2);
    CHECK(job.instances[0].skewNs() == 30 * us);
    CHECK(job.figures[0].waitNs == 30 * us);
    CHECK(job.figures[1].waitNs == 20 * us);
    // Its waited interval is on its own clock.
    REQUIRE(job.straggler);
    CHECK(job.straggler->waited.front().first == 5110 * us);

    SECTION("hosts unknown: a large disagreement means several clocks") {
        spec[0].host = spec[1].host = "";
        const JobCollectives unknown = analyze(jobTrace(spec));
        CHECK(unknown.clockAligned);
        CHECK(unknown.figures[1].offsetNs == -5000 * us);
    }
    SECTION("one host named in both: no shift, whatever the ends say") {
        spec[0].host = spec[1].host = "node-a";
        const JobCollectives same = analyze(jobTrace(spec));
        CHECK_FALSE(same.clockAligned);
        CHECK(same.figures[1].offsetNs == 0);
    }
    SECTION("asked for one clock") {
        JobOptions o;
        o.clock = ClockMode::Shared;
        CHECK_FALSE(analyze(jobTrace(spec), o).clockAligned);
    }
}

TEST_CASE("unequal collective counts are matched in order and named in a warning", "[collectives]") {
    std::vector<RankSpec> spec = twoRanks();
    spec[1].collectives.push_back({400, 10});
    const JobCollectives job = analyze(jobTrace(spec));
    CHECK(job.instances.size() == 3);
    REQUIRE(job.warnings.size() == 1);
    CHECK(job.warnings[0].find("rank 1 has 3 collectives, rank 0 2") != std::string::npos);
    CHECK(job.instances[2].arrivalCount == 1);
    CHECK(job.instances[2].waitNs == 0);
}

TEST_CASE("straggler advice: one rank always late triggers it, ranks taking turns do not", "[collectives][advice]") {
    // Four all-reduces; rank 1 arrives 100 µs after rank 0 at each.
    RankSpec r0, r1;
    for (int i = 0; i < 4; ++i) {
        r0.collectives.push_back({100 + 300 * i, 120});
        r1.collectives.push_back({200 + 300 * i, 20});
        r1.compute.push_back({100 + 300 * i, 100});
    }
    JobCollectives late = analyze(jobTrace({r0, r1}));
    late.straggler->activity = activityIn(jobTrace({r0, r1}), 1, late.straggler->waited);
    const auto advice = adviseStraggler(late);
    REQUIRE(advice);
    CHECK(advice->rule == "straggler");
    CHECK(advice->savingNs == 400 * us);
    CHECK(advice->text.find("rank 1 arrives last at 4 of 4 collectives") != std::string::npos);
    CHECK(advice->text.find("100% busy") != std::string::npos);  // its gemm filled the waits
    CHECK(advice->text.find("`gemm`") != std::string::npos);

    // Rank 0 late at the even ones, rank 1 at the odd ones, by the same 100 µs.
    RankSpec t0, t1;
    for (int i = 0; i < 4; ++i) {
        const bool even = i % 2 == 0;
        t0.collectives.push_back({(even ? 200 : 100) + 300 * i, even ? 20 : 120});
        t1.collectives.push_back({(even ? 100 : 200) + 300 * i, even ? 120 : 20});
    }
    const JobCollectives turns = analyze(jobTrace({t0, t1}));
    REQUIRE(turns.straggler);  // someone is last most (a tie here), but the wait is shared evenly
    CHECK_FALSE(adviseStraggler(turns));
}

// ---- the real 2-rank DDP run (tests/data/ddp-h100x2) ----

namespace {

// Each rank's NCCL kernels as (start, end) in the trace, read straight from the GPU tracks.
std::map<uint32_t, std::vector<std::pair<TimeNs, TimeNs>>> ncclKernelsByFile(const Trace& t) {
    std::map<uint32_t, std::vector<std::pair<TimeNs, TimeNs>>> out;
    for (const Track& tr : t.tracks) {
        if (!tr.isGpu()) continue;
        for (uint32_t i = 0; i < tr.size(); ++i)
            if (tr.kind[i] == EventKind::Kernel && t.strings.str(tr.nameId[i]).rfind("nccl", 0) == 0)
                out[t.processes[tr.process].file].push_back({tr.start[i], tr.end(i)});
    }
    for (auto& [f, v] : out) std::sort(v.begin(), v.end());
    return out;
}

}  // namespace

TEST_CASE("ddp-h100x2: waits, skews and last arrivals agree with the NCCL kernels' own times", "[collectives][fixture]") {
    Trace trace;
    const ImportResult imported = importTraces(
        {test::dataPath("ddp-h100x2/ddp_rank0.json.gz"), test::dataPath("ddp-h100x2/ddp_rank1.json.gz")}, trace);
    REQUIRE(imported.ok);
    const JobRanks ranks = findJobRanks(trace);
    REQUIRE(ranks.job);
    REQUIRE(ranks.ranks.size() == 2);
    CHECK(rankLabel(ranks.ranks[0]) == "rank 0 \xC2\xB7 GPU 0");
    CHECK(rankLabel(ranks.ranks[1]) == "rank 1 \xC2\xB7 GPU 1");
    const JobCollectives job = analyze(trace);
    CHECK_FALSE(job.clockAligned);  // one host: Kineto writes no host, the ends agree
    CHECK(job.warnings.empty());
    REQUIRE(job.groups == std::vector<std::string>{"pg 0"});

    // The independent computation: k-th kernel of each rank is one all-reduce.
    const auto k = ncclKernelsByFile(trace);
    REQUIRE(k.at(0).size() == 32);
    REQUIRE(k.at(1).size() == 32);
    TimeNs wait[2] = {0, 0}, total[2] = {0, 0}, maxSkew = 0;
    int last[2] = {0, 0};
    for (size_t i = 0; i < 32; ++i) {
        const auto& a = k.at(0)[i];
        const auto& b = k.at(1)[i];
        const TimeNs lastArrival = std::max(a.first, b.first);
        wait[0] += std::min(lastArrival - a.first, a.second - a.first);
        wait[1] += std::min(lastArrival - b.first, b.second - b.first);
        total[0] += a.second - a.first;
        total[1] += b.second - b.first;
        ++last[a.first > b.first ? 0 : 1];
        maxSkew = std::max(maxSkew, std::abs(a.first - b.first));
    }
    CHECK(last[0] == 19);  // rank 0 (batch 8) arrives last at 19, rank 1 (batch 24) at 13
    CHECK(last[1] == 13);
    REQUIRE(job.instances.size() == 32);
    for (int r = 0; r < 2; ++r) {
        INFO("rank " << r);
        CHECK(job.figures[size_t(r)].waitNs == wait[r]);
        CHECK(job.ranks[size_t(r)].collectiveNs == total[r]);
        CHECK(job.figures[size_t(r)].transferNs == total[r] - wait[r]);
        CHECK(job.figures[size_t(r)].lastToArrive == last[r]);
    }
    TimeNs jobMaxSkew = 0;
    for (const CollectiveInstance& c : job.instances) jobMaxSkew = std::max(jobMaxSkew, c.skewNs());
    CHECK(jobMaxSkew == maxSkew);
    REQUIRE(job.straggler);
    CHECK(job.ranks[job.straggler->rank].rank == 0);
    CHECK(job.straggler->lastCount == 19);
    // Rank 1 waits only where rank 0 is last (where rank 1 is last its own wait is zero).
    CHECK(job.straggler->othersWaitNs == wait[1]);
    const auto advice = adviseStraggler(job);
    REQUIRE(advice);
    CHECK(advice->savingNs == wait[1]);
}

TEST_CASE("ddp-h100x2: a rank's busy % is the same as its own report's GPU busy", "[collectives][fixture]") {
    for (int r = 0; r < 2; ++r) {
        Trace single;
        REQUIRE(importTraces({test::dataPath("ddp-h100x2/ddp_rank" + std::to_string(r) + ".json.gz")}, single).ok);
        const Report report = buildReport(single);
        REQUIRE(report.rank);
        CHECK(report.rank->rank == r);
        CHECK(report.rank->rankKnown);
        CHECK(report.rank->worldSize == 2);
        REQUIRE(report.gpu.devices.size() == 1);
        CHECK(report.rank->busyNs == report.gpu.devices[0].busyNs);
        CHECK(report.rank->spanNs == report.gpu.devices[0].windowEndNs - report.gpu.devices[0].windowStartNs);
        CHECK(report.rank->kernels.size() == 32);
    }
}

TEST_CASE("a rank of another host shifted onto the job's clock keeps its events and their order", "[collectives]") {
    std::vector<RankSpec> spec = twoRanks();
    spec[1].host = "node-b";
    spec[0].host = "node-a";
    spec[1].shift = 5000;
    Trace trace = jobTrace(spec);
    const JobCollectives before = analyze(trace);
    REQUIRE(before.figures[1].offsetNs == -5000 * us);
    const EventRef kernel = before.ranks[1].kernels[1].event;
    const TimeNs startBefore = trace.start(kernel);
    shiftFileTimes(trace, {{1, before.figures[1].offsetNs}});
    // The same event, 5 ms earlier on the trace's own timeline (which may have moved its origin).
    CHECK(trace.originAbsNs + trace.start(kernel) == before.ranks[1].kernels[1].startAbsNs - 5000 * us);
    CHECK(trace.start(kernel) + trace.originAbsNs == startBefore - 5000 * us);  // the builder's origin was 0
    CHECK(trace.kind(kernel) == EventKind::Kernel);
    // Now on one clock: nothing left to shift, and the figures are the same.
    const JobCollectives after = analyze(trace);
    CHECK(after.figures[1].offsetNs == 0);
    CHECK(after.figures[0].waitNs == before.figures[0].waitNs);
    CHECK(after.figures[1].waitNs == before.figures[1].waitNs);
    CHECK(trace.linked(kernel).valid());  // launch links still resolve
}
