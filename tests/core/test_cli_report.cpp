// gaplens report / gaps / sweep from the command line: formats, options, exit codes.
#include <catch2/catch.hpp>

#include "TestSupport.h"

using namespace gaplens;

TEST_CASE("gaplens report prints the verdict, the ops table and the gaps", "[cli]") {
    const auto r = test::runCli("report " + test::dataPath("torch_mm64_warm.json") + " --top 3 --sort self_gpu");
    CHECK(r.exitCode == 0);
    CHECK(r.out.find("overhead-bound") != std::string::npos);
    CHECK(r.out.find("Ops (sorted by self_gpu, top 3 of 10)") != std::string::npos);
    CHECK(r.out.find("Idle gaps") != std::string::npos);
}

TEST_CASE("gaplens report --format json parses and follows the schema", "[cli]") {
    const auto r = test::runCli("report " + test::dataPath("torch_mm8192_warm.json.gz") + " --format json 2>/dev/null");
    REQUIRE(r.exitCode == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["bound"]["class"] == "compute-bound");
    CHECK(j["gpu"][0]["kernels"] == 13);
}

TEST_CASE("gaplens gaps --csv with --min-gap", "[cli]") {
    const auto r = test::runCli("gaps " + test::dataPath("torch_mm64_cold.json") + " --min-gap 1ms --csv");
    CHECK(r.exitCode == 0);
    CHECK(r.out.rfind("device,start_us,dur_us,cause,detail\n0,0.000,141118.868,setup,", 0) == 0);
    CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 3);  // header + the 141 ms and 34.6 ms gaps
}

TEST_CASE("gaplens sweep and report with several files print the crossover", "[cli]") {
    const std::string files = test::dataPath("torch_mm64_warm.json") + " " + test::dataPath("torch_mm8192_warm.json.gz");
    const auto s = test::runCli("sweep " + files);
    CHECK(s.exitCode == 0);
    CHECK(s.out.find("crossover between 64 (overhead-bound) and 8192 (compute-bound)") != std::string::npos);
    const auto r = test::runCli("report " + files);
    CHECK(r.exitCode == 0);
    CHECK(r.out.find("Sweep") != std::string::npos);
}

TEST_CASE("bad input exits 2 with one line naming the file; bad options exit 1", "[cli]") {
    test::TempDir dir;
    const std::string bad = dir.write("bad.json", "{\"traceEvents\": [ {\"ph\": \"X\", ");
    const auto r = test::runCli("report /nonexistent/run.json");
    CHECK(r.exitCode == 2);
    CHECK(r.out.find("/nonexistent/run.json") != std::string::npos);
    CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 1);
    CHECK(test::runCli("gaps " + test::dataPath("torch_mm64_warm.json") + " --min-gap 10parsecs").exitCode == 1);
    CHECK(test::runCli("report " + test::dataPath("torch_mm64_warm.json") + " --sort bogus").exitCode == 1);
    CHECK(test::runCli("report " + test::dataPath("torch_mm64_warm.json") + " --format xml").exitCode == 1);
    CHECK(test::runCli("report").exitCode == 1);
    // A truncated file: a warning, the partial result still reported (or a one-line error).
    const auto t = test::runCli("report " + bad);
    CHECK((t.exitCode == 0 || t.exitCode == 2));
    CHECK(t.out.find("bad.json") != std::string::npos);
}
