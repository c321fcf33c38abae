// The job report: per-rank reports carry the rank's collective arrivals ("ranks"), `gaplens merge`
// gets the job's figures from those files alone (the same as from the traces), and `gaplens report`
// of several ranks prints the job. On the real two-H100 DDP run (tests/data/ddp-h100x2).
#include <catch2/catch.hpp>

#include <cmath>

#include "core/io/ChromeTraceImporter.h"
#include "core/report/JobLoading.h"
#include "core/report/RankReportReader.h"
#include "core/report/Report.h"
#include "TestSupport.h"

using namespace gaplens;

namespace {

std::string rankPath(int r) { return test::dataPath("ddp-h100x2/ddp_rank" + std::to_string(r) + ".json.gz"); }

std::string bothRanks() { return rankPath(0) + " " + rankPath(1); }

}  // namespace

TEST_CASE("a rank's report JSON carries its figures and collective arrivals", "[job]") {
    Trace trace;
    REQUIRE(importTraces({rankPath(1)}, trace).ok);
    const Report report = buildReport(trace);
    const nlohmann::json j = reportToJson(report);
    REQUIRE(j.contains("ranks"));
    REQUIRE(j["ranks"].size() == 1);
    const auto& r = j["ranks"][0];
    CHECK(r["rank"] == 1);
    CHECK(r["world_size"] == 2);
    CHECK(r["wait_us"].is_null());  // needs the other ranks
    REQUIRE(r["collectives"].size() == 32);
    const auto& c = r["collectives"][0];
    CHECK(c["group"] == "pg 0");
    CHECK(c["stream"] == 17);
    CHECK(c["seq"] == 0);
    CHECK(c["dur_us"].get<double>() == Approx(251.427));
    // Kineto's baseTimeNanoseconds plus the kernel's ts (4774669945347.482 µs).
    CHECK(c["start_us_abs"].get<double>() == Approx(1790857026000000.0 + 4774669945347.482).margin(0.5));

    // A trace that is no rank has no "ranks" section.
    Trace plain;
    REQUIRE(importTraces({test::dataPath("torch_mm64_warm.json")}, plain).ok);
    CHECK_FALSE(reportToJson(buildReport(plain)).contains("ranks"));
}

TEST_CASE("merge of per-rank reports gives the figures of the traces themselves", "[job]") {
    LoadedJob fromTraces = loadJob({rankPath(0), rankPath(1)});
    REQUIRE(fromTraces.job);
    const JobCollectives& a = fromTraces.job->job;

    test::TempDir dir;
    std::vector<std::string> files;
    for (int r = 0; r < 2; ++r)
        files.push_back(dir.write("rank" + std::to_string(r) + ".report.json",
                                  reportToJson(fromTraces.reports[size_t(r)]).dump()));
    std::vector<std::string> errors, warnings;
    const auto merged = mergeRankReports(files, JobOptions{}, errors, warnings);
    CHECK(errors.empty());
    CHECK(warnings.empty());
    REQUIRE(merged);
    const JobCollectives& b = merged->job;
    REQUIRE(b.ranks.size() == 2);
    REQUIRE(b.instances.size() == a.instances.size());
    // Arrivals travel as µs since the epoch in a double: within a microsecond.
    const TimeNs tolerance = 1000;
    for (size_t r = 0; r < 2; ++r) {
        INFO("rank " << r);
        CHECK(b.ranks[r].rank == a.ranks[r].rank);
        CHECK(b.ranks[r].busyNs == a.ranks[r].busyNs);
        CHECK(b.ranks[r].spanNs == a.ranks[r].spanNs);
        CHECK(b.ranks[r].collectiveNs == a.ranks[r].collectiveNs);
        CHECK(b.ranks[r].overlapNs == a.ranks[r].overlapNs);
        CHECK(std::abs(b.figures[r].waitNs - a.figures[r].waitNs) <= 32 * tolerance);
        CHECK(std::abs(b.figures[r].busyExclWaitNs - a.figures[r].busyExclWaitNs) <= 32 * tolerance);
        CHECK(b.figures[r].lastToArrive == a.figures[r].lastToArrive);
    }
    for (size_t i = 0; i < a.instances.size(); ++i) {
        CHECK(std::abs(b.instances[i].skewNs() - a.instances[i].skewNs()) <= tolerance);
        CHECK(b.instances[i].lastRank == a.instances[i].lastRank);
    }
    REQUIRE(b.straggler);
    CHECK(b.ranks[b.straggler->rank].rank == 0);
    CHECK_FALSE(b.straggler->activity);  // the traces are not here
    REQUIRE(merged->advice.size() == 1);
    CHECK(merged->advice[0].rule == "straggler");
}

TEST_CASE("reading per-rank reports: bad files are named and left out", "[job]") {
    std::vector<RankCollectives> out;
    CHECK(readRankReportText("{\"ops\": []}", "x.json", out).find("x.json: no \"ranks\" section") == 0);
    CHECK(readRankReportText("{\"ranks\": [{\"rank\": 0}]}", "y.json", out).find("no \"collectives\" list") !=
          std::string::npos);
    CHECK(readRankReportText("{\"ranks\": [", "z.json", out).find("z.json: not a gaplens report JSON") == 0);
    CHECK(out.empty());
    // A rank without distributedInfo has no number of its own: "rank": null.
    REQUIRE(readRankReportText("{\"ranks\": [{\"rank\": null, \"collectives\": [{\"name\": \"ncclKernel_x\", "
                               "\"stream\": 3, \"start_us_abs\": 10.5, \"dur_us\": 2, \"alone_us\": 1}]}]}",
                               "w.json", out)
                .empty());
    REQUIRE(out.size() == 1);
    CHECK_FALSE(out[0].rankKnown);
    CHECK(out[0].path == "w.json");
    REQUIRE(out[0].kernels.size() == 1);
    CHECK(out[0].groups[0] == "stream 3");
    CHECK(out[0].kernels[0].startAbsNs == 10500);
    CHECK(out[0].collectiveNs == 2000);
}

TEST_CASE("gaplens report of several ranks prints the job, merge gives it from per-rank JSON", "[job][cli]") {
    const auto r = test::runCli("report " + bothRanks());
    REQUIRE(r.exitCode == 0);
    CHECK(r.out.find("Job: 2 ranks (world size 2), 32 collectives in 1 group (pg 0)") != std::string::npos);
    CHECK(r.out.find("rank 0 arrived last at 19 of 32 collectives") != std::string::npos);
    CHECK(r.out.find("[straggler]") != std::string::npos);
    CHECK(r.out.find("Sweep") == std::string::npos);

    const auto j = test::runCli("report --format json " + bothRanks() + " 2>/dev/null");
    REQUIRE(j.exitCode == 0);
    const auto doc = nlohmann::json::parse(j.out);
    REQUIRE(doc["job"]["ranks"].size() == 2);
    CHECK(doc["job"]["ranks"][0]["last_to_arrive"] == 19);
    CHECK(doc["job"]["straggler"]["rank"] == 0);
    CHECK(doc["job"]["straggler"].contains("activity"));

    test::TempDir dir;
    for (int k = 0; k < 2; ++k)
        REQUIRE(test::runCli("report --format json " + rankPath(k) + " 2>/dev/null | cat > " +
                             dir.file("r" + std::to_string(k) + ".report.json"))
                    .exitCode == 0);
    const auto m = test::runCli("merge " + dir.file("r0.report.json") + " " + dir.file("r1.report.json") + " -o " +
                                dir.file("job.json"));
    REQUIRE(m.exitCode == 0);
    CHECK(m.out.find("2 ranks, 32 collectives") != std::string::npos);
    const auto job = nlohmann::json::parse(test::readFile(dir.file("job.json")));
    CHECK(job["ranks"][1]["last_to_arrive"] == 13);
    CHECK(job["ranks"][0]["collective_us"] == doc["job"]["ranks"][0]["collective_us"]);
    const auto md = test::runCli("merge --format md " + dir.file("r0.report.json") + " " + dir.file("r1.report.json"));
    CHECK(md.out.find("# gaplens job: 2 ranks") != std::string::npos);
    // The report of both files ({"reports": [...], "job": ...}) holds both ranks too; a merge's own
    // output (no collectives lists) is refused with the reason.
    const std::string both = dir.write("both.json", j.out);
    const auto fromBoth = test::runCli("merge --format json " + both);
    REQUIRE(fromBoth.exitCode == 0);
    CHECK(nlohmann::json::parse(fromBoth.out)["ranks"].size() == 2);
    const auto fromJob = test::runCli("merge " + dir.file("job.json"));
    CHECK(fromJob.exitCode == 2);
    CHECK(fromJob.out.find("no \"collectives\" list (a job summary") != std::string::npos);
}

TEST_CASE("gaplens merge: help, usage errors, unreadable reports", "[job][cli]") {
    const auto h = test::runCli("merge --help");
    CHECK(h.exitCode == 0);
    CHECK(h.out.find("usage: gaplens merge") != std::string::npos);
    CHECK(h.out.find("examples:") != std::string::npos);
    CHECK(test::runCli("merge -h").exitCode == 0);
    CHECK(test::runCli("merge").exitCode == 1);
    CHECK(test::runCli("merge x.json --clock sideways").exitCode == 1);
    test::TempDir dir;
    const auto bad = test::runCli("merge " + dir.write("bad.json", "{\"ranks\": [") + " /nonexistent/r.json");
    CHECK(bad.exitCode == 2);
    CHECK(bad.out.find("bad.json: not a gaplens report JSON") != std::string::npos);
    CHECK(bad.out.find("/nonexistent/r.json: cannot open") != std::string::npos);
    CHECK(bad.out.find("no rank could be read from the 2 file(s) given") != std::string::npos);
}
