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

TEST_CASE("bad input exits 2 with one line naming the file, bad options exit 1", "[cli]") {
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

TEST_CASE("gaplens report --group-by range adds the ops per range in text, md and json", "[cli][range]") {
    const std::string warm = test::dataPath("torch_mm64_warm.json");
    const auto text = test::runCli("report " + warm + " --group-by range --top 3");
    REQUIRE(text.exitCode == 0);
    CHECK(text.out.find("Ops (sorted by cpu_total, top 3 of 10)") != std::string::npos);  // the flat table stays
    const size_t grouped = text.out.find("Ops by range (innermost enclosing range; sorted by cpu_total, top 3 per range");
    REQUIRE(grouped != std::string::npos);
    // 5 matmul_add instances of 596.794 us in all, holding 8 rows (python3 on the raw events).
    const size_t range = text.out.find("\nmatmul_add: 5 instances, 597 µs in all (3 of 8 ops)\n", grouped);
    REQUIRE(range != std::string::npos);
    CHECK(text.out.find("\n  aten::mm ", range) != std::string::npos);
    CHECK(text.out.find("\n(no range): ops outside every range (1 of 1 ops)\n  Name", grouped) != std::string::npos);
    // Without the option the report has no grouped table.
    CHECK(test::runCli("report " + warm).out.find("Ops by range") == std::string::npos);

    const auto md = test::runCli("report " + warm + " --format md --group-by=range");
    REQUIRE(md.exitCode == 0);
    CHECK(md.out.find("## Ops by range (sorted by cpu_total)\n\n### ProfilerStep\\*: 5 instances, 726 µs in all\n") !=
          std::string::npos);

    const auto js = test::runCli("report " + warm + " --format json --group-by range --sort calls");
    REQUIRE(js.exitCode == 0);
    const auto j = nlohmann::json::parse(js.out);
    CHECK(j["ops"].size() == 10);
    REQUIRE(j["ops_by_range"].size() == 3);
    const auto& g = j["ops_by_range"][1];
    CHECK(g["range"] == "matmul_add");
    CHECK(g["instances"] == 5);
    CHECK(g["range_total_us"].get<double>() == Approx(596.794));
    REQUIRE(g["ops"].size() == 8);
    int mmCalls = 0, addCalls = 0;
    for (const auto& op : g["ops"]) {
        if (op["name"] == "aten::mm") mmCalls = op["calls"];
        if (op["name"] == "aten::add") addCalls = op["calls"];
        CHECK(op.contains("self_cpu_us"));
        CHECK(op.contains("gpu_total_us"));
    }
    CHECK(mmCalls == 5);
    CHECK(addCalls == 5);
    CHECK(j["ops_by_range"][2]["range"] == "(no range)");
    CHECK(j["ops_by_range"][2]["instances"] == 0);
    CHECK_FALSE(nlohmann::json::parse(test::runCli("report " + warm + " --format json").out).contains("ops_by_range"));

    CHECK(test::runCli("report " + warm + " --group-by thread").exitCode == 1);
}
