// gaplens diff from the command line, on real pairs of captures: a plain loop against its CUDA graph
// variant, the 64 loop against the 8192 one, a run against itself; formats, --top, exit codes.
#include <catch2/catch.hpp>

#include <set>

#include "TestSupport.h"

using namespace gaplens;

namespace {
const std::string kLoop64 = test::dataPath("capture_matmul_add_64.json");
const std::string kGraph64 = test::dataPath("capture_matmul_add_graph_64.json");
const std::string kSweep64 = test::dataPath("sweep/matmul_add_64.json");
const std::string kSweep8192 = test::dataPath("sweep/matmul_add_8192.json");
const std::string kCmp64 = test::dataPath("compare/cmp_matmul_add_64.json.gz");
const std::string kCmpBatched = test::dataPath("compare/cmp_matmul_add_batched_64.json.gz");
const std::string kCmpGraph = test::dataPath("compare/cmp_matmul_add_graph_64.json.gz");

nlohmann::json diffJson(const std::string& args) {
    const auto r = test::runCli("diff " + args + " --format json 2>/dev/null");
    REQUIRE(r.exitCode == 0);
    return nlohmann::json::parse(r.out);
}

const nlohmann::json& idle(const nlohmann::json& j, const std::string& cause) {
    for (const auto& c : j["idle_by_cause"])
        if (c["cause"] == cause) return c;
    FAIL("no cause " << cause);
    return j;
}

const nlohmann::json* op(const nlohmann::json& j, const std::string& name) {
    for (const auto& o : j["ops"])
        if (o["name"] == name) return &o;
    return nullptr;
}
}  // namespace

TEST_CASE("gaplens diff: a CUDA graph makes one launch per step where the loop made two", "[cli][compare]") {
    const auto j = diffJson(kLoop64 + " " + kGraph64 + " --top 0");
    // Steady windows: 19 steps after a cold one, against 20.
    CHECK(j["a"]["iterations"] == 19);
    CHECK(j["b"]["iterations"] == 20);
    CHECK(j["a"]["class"] == "overhead-bound");
    CHECK(j["a"]["iter_us"].get<double>() == Approx(16.6646).margin(0.001));
    CHECK(j["b"]["iter_us"].get<double>() == Approx(7.3094).margin(0.001));
    CHECK(j["iter_us_ratio"].get<double>() == Approx(7.3094 / 16.6646).margin(0.001));
    CHECK(j["a"]["busy_pct"].get<double>() == Approx(19.41).margin(0.01));
    CHECK(j["b"]["busy_pct"].get<double>() == Approx(42.49).margin(0.01));
    // The same GPU work per step (GEMM + add, ~3.2 us): no change beyond noise.
    CHECK(j["a"]["gpu_iter_us"].get<double>() == Approx(3.2725).margin(0.001));
    CHECK(j["b"]["gpu_iter_us"].get<double>() == Approx(3.2304).margin(0.001));
    // Host-overhead idle gone with the second launch.
    CHECK(idle(j, "host-overhead")["a_us_per_iter"].get<double>() == Approx(10.4641).margin(0.001));
    CHECK(idle(j, "host-overhead")["b_us_per_iter"] == 0.0);
    CHECK(idle(j, "host-overhead")["change"] == "down");
    CHECK(j["launches_per_iter"]["a"] == 2.0);
    CHECK(j["launches_per_iter"]["b"] == 1.0);
    CHECK(j["kernels_per_iter"]["a"] == 2.0);
    CHECK(j["kernels_per_iter"]["b"] == 2.0);
    // Rows: the graph launch is new, both kernel launches gone, the kernels matched by name.
    REQUIRE(op(j, "cudaGraphLaunch"));
    CHECK((*op(j, "cudaGraphLaunch"))["change"] == "new");
    CHECK((*op(j, "cudaGraphLaunch"))["b_calls_per_iter"] == 1.0);
    CHECK((*op(j, "cudaGraphLaunch"))["b_self_cpu_us_per_iter"].get<double>() == Approx(6.5228).margin(0.001));
    CHECK((*op(j, "cudaLaunchKernel"))["change"] == "gone");
    CHECK((*op(j, "cuLaunchKernelEx"))["change"] == "gone");
    CHECK((*op(j, "matmul_add"))["change"] == "faster");
    CHECK(j["ops"][0]["name"] == "matmul_add");  // the largest change in time per step: -6.86 us
    REQUIRE(op(j, "gaplens_add_bf16"));
    CHECK((*op(j, "gaplens_add_bf16"))["on_gpu"] == true);
    const std::string summary = j["summary"];
    CHECK(summary.rfind("Iteration time 16.7 µs → 7.31 µs (×0.44), GPU busy 19.4% → 42.5% (overhead-bound).", 0) == 0);
    CHECK(summary.find("Host-overhead idle per iteration fell from 10.5 µs to 0 ns: 1 fewer launch per iteration "
                       "(2 → 1).") != std::string::npos);
    CHECK(summary.find("cudaGraphLaunch is new (1 call, 6.52 µs per iteration)") != std::string::npos);

    const auto text = test::runCli("diff " + kLoop64 + " " + kGraph64);
    REQUIRE(text.exitCode == 0);
    CHECK(text.out.rfind("gaplens diff: capture_matmul_add_64.json → capture_matmul_add_graph_64.json\n", 0) == 0);
    CHECK(text.out.find("\n  launches                                  2           1          -1           0  down "
                        "(better)\n") != std::string::npos);
}

TEST_CASE("gaplens diff: the 64 loop against the 8192 one goes from overhead- to compute-bound", "[cli][compare]") {
    const auto j = diffJson(kSweep64 + " " + kSweep8192 + " --top 3");
    CHECK(j["a"]["class"] == "overhead-bound");
    CHECK(j["b"]["class"] == "compute-bound");
    // The step takes as long as its GPU work at 8192, though the host enqueues it in 27 us.
    CHECK(j["a"]["iter_us"].get<double>() == Approx(17.7922).margin(0.001));
    CHECK(j["b"]["iter_us"].get<double>() == Approx(1490.04).margin(0.01));
    CHECK(j["b"]["host_iter_us"].get<double>() == Approx(27.4546).margin(0.001));
    CHECK(j["b"]["gpu_iter_us"].get<double>() == Approx(1483.30).margin(0.01));
    CHECK(j["iter_us_ratio"].get<double>() == Approx(1490.0408 / 17.7922).margin(0.01));
    CHECK(idle(j, "host-overhead")["change"] == "down");
    CHECK(idle(j, "queued-launch")["change"] == "up");
    CHECK(j["launch_p50_us"]["b"].get<double>() == Approx(6741.261).margin(0.01));
    REQUIRE(j["ops"].size() == 3);
    CHECK(j["ops_total"] == 8);
    CHECK(j["ops"][0]["name"] == "matmul_add");
    CHECK(j["ops"][0]["change"] == "slower");
    CHECK(j["ops"][1]["change"] == "new");
    const std::set<std::string> changes = {"new", "gone", "faster", "slower", "same"};
    for (const auto& o : j["ops"]) CHECK(changes.count(o["change"].get<std::string>()) == 1);
    const std::string summary = j["summary"];
    CHECK(summary.find("(overhead-bound → compute-bound)") != std::string::npos);
    CHECK(summary.find("the GPU has more work per iteration to hide the host's overhead behind (GPU time 2.82 µs → "
                       "1.48 ms)") != std::string::npos);

    const auto md = test::runCli("diff " + kSweep64 + " " + kSweep8192 + " --format md");
    REQUIRE(md.exitCode == 0);
    CHECK(md.out.rfind("# gaplens diff: matmul\\_add\\_64.json → matmul\\_add\\_8192.json\n", 0) == 0);
    CHECK(md.out.find("| GPU busy | 16.2% | 92.1% | +75.9% |") != std::string::npos);
}

TEST_CASE("gaplens diff: the batched GEMM does 8x the work with the same launches, the graph halves them",
          "[cli][compare]") {
    // Same schedule (20 recorded steps each): the batched step launches as many kernels, its GPU
    // time rises a little (the 64x64 GEMMs are tiny), and the loop's pace does not move beyond its
    // step-to-step spread.
    const auto batched = diffJson(kCmp64 + " " + kCmpBatched + " --top 0");
    CHECK(batched["a"]["iterations"] == 20);
    CHECK(batched["b"]["iterations"] == 20);
    CHECK(batched["launches_per_iter"]["a"] == 2.0);
    CHECK(batched["launches_per_iter"]["b"] == 2.0);
    CHECK(batched["launches_per_iter"]["change"] == "same");
    CHECK(batched["kernels_per_iter"]["change"] == "same");
    CHECK(batched["a"]["iter_us"].get<double>() == Approx(25.348).margin(0.001));
    CHECK(batched["b"]["iter_us"].get<double>() == Approx(26.25).margin(0.01));
    CHECK(batched["figures"][0]["key"] == "iter_us");
    CHECK(batched["figures"][0]["change"] == "same");
    CHECK(batched["a"]["gpu_iter_us"].get<double>() == Approx(3.2097).margin(0.001));
    CHECK(batched["b"]["gpu_iter_us"].get<double>() == Approx(3.35).margin(0.01));
    CHECK(batched["figures"][2]["key"] == "gpu_iter_us");
    CHECK(batched["figures"][2]["change"] == "up");
    CHECK(batched["summary"].get<std::string>().rfind("Iteration time unchanged within noise (25.3 µs → 26.3 µs)", 0) == 0);
    for (const auto& o : batched["ops"]) CHECK((o["change"] != "new" && o["change"] != "gone"));

    const auto graph = diffJson(kCmp64 + " " + kCmpGraph);
    CHECK(graph["launches_per_iter"]["b"] == 1.0);
    CHECK(graph["kernels_per_iter"]["b"] == 2.0);
    CHECK(graph["iter_us_ratio"].get<double>() == Approx(7.18355 / 25.348).margin(0.001));
    CHECK(idle(graph, "host-overhead")["a_us_per_iter"].get<double>() == Approx(15.905).margin(0.001));
    CHECK(idle(graph, "host-overhead")["b_us_per_iter"] == 0.0);
    CHECK(graph["summary"].get<std::string>().find("Host-overhead idle per iteration fell from 15.9 µs to 0 ns: 1 fewer "
                                                   "launch per iteration (2 → 1).") != std::string::npos);
}

TEST_CASE("gaplens diff of a run against itself: every delta zero, no change", "[cli][compare]") {
    const auto j = diffJson(kLoop64 + " " + kLoop64 + " --top 0");
    CHECK(j["iter_us_ratio"] == 1.0);
    for (const auto& f : j["figures"]) {
        INFO(f["key"]);
        CHECK(f["change"] == "same");
        CHECK(f["a"] == f["b"]);
    }
    REQUIRE(j["ops"].size() == 5);  // matmul_add, its two launch calls, the two kernels
    for (const auto& o : j["ops"]) {
        CHECK(o["change"] == "same");
        CHECK(o["delta_us_per_iter"] == 0.0);
    }
    CHECK(j["summary"].get<std::string>().rfind("No change beyond noise: iteration time 16.7 µs → 16.7 µs", 0) == 0);
}

TEST_CASE("gaplens diff: usage and bad input exit as report does", "[cli][compare]") {
    const auto help = test::runCli("diff --help");
    CHECK(help.exitCode == 0);
    CHECK(help.out.find("usage: gaplens diff before.json after.json") != std::string::npos);
    CHECK(help.out.find("examples:") != std::string::npos);
    CHECK(test::runCli("diff -h").exitCode == 0);
    CHECK(test::runCli("diff " + kLoop64).exitCode == 1);
    CHECK(test::runCli("diff " + kLoop64 + " " + kGraph64 + " --format xml").exitCode == 1);
    CHECK(test::runCli("diff " + kLoop64 + " " + kGraph64 + " --top many").exitCode == 1);
    CHECK(test::runCli("diff " + kLoop64 + " " + kGraph64 + " --bogus").exitCode == 1);
    const auto missing = test::runCli("diff " + kLoop64 + " /nonexistent/after.json");
    CHECK(missing.exitCode == 2);
    CHECK(missing.out.find("/nonexistent/after.json") != std::string::npos);
    CHECK(std::count(missing.out.begin(), missing.out.end(), '\n') == 1);
    const auto report = test::runCli("report /nonexistent/after.json");
    CHECK(missing.out == report.out);  // the same line as report's
}
