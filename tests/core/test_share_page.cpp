// The share page: base64/gzip embedding, the busy-over-time series, and the HTML it writes.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "core/share/Base64.h"
#include "core/analysis/RunComparison.h"
#include "core/report/ComparisonReport.h"
#include "core/report/ReportLoading.h"
#include "core/share/BusySeries.h"
#include "core/share/ComparePage.h"
#include "core/share/GzipBytes.h"
#include "core/report/Report.h"
#include "core/share/SharePage.h"
#include "core/share/ShareReport.h"
#include "HandMadeSteps.h"
#include "TestSupport.h"

using namespace gaplens;

namespace {
size_t countOf(const std::string& haystack, const std::string& needle) {
    size_t n = 0;
    for (size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
    return n;
}
}  // namespace

TEST_CASE("base64 encodes the RFC 4648 test vectors and decodes them back", "[share]") {
    CHECK(base64Encode("") == "");
    CHECK(base64Encode("f") == "Zg==");
    CHECK(base64Encode("fo") == "Zm8=");
    CHECK(base64Encode("foo") == "Zm9v");
    CHECK(base64Encode("foob") == "Zm9vYg==");
    CHECK(base64Encode("fooba") == "Zm9vYmE=");
    CHECK(base64Encode("foobar") == "Zm9vYmFy");
    std::string binary;
    for (int i = 0; i < 256; ++i) binary += static_cast<char>(i);
    std::string back;
    REQUIRE(base64Decode(base64Encode(binary), back));
    CHECK(back == binary);
    CHECK_FALSE(base64Decode("Zm9v*", back));
}

TEST_CASE("gzip round-trips bytes and a .json file is embedded compressed, a .json.gz as it is", "[share]") {
    const std::string text(10000, 'x');
    std::string packed, error, unpacked;
    REQUIRE(gzipCompress(text, packed, error));
    CHECK(isGzip(packed));
    CHECK(packed.size() < 200);
    REQUIRE(gzipDecompress(packed, unpacked, error));
    CHECK(unpacked == text);
    CHECK_FALSE(gzipDecompress("not gzip at all", unpacked, error));

    std::string embedded;
    REQUIRE(readFileAsGzip(std::string(GAPLENS_TEST_DATA) + "/torch_mm8192_warm.json.gz", embedded, error));
    std::ifstream in(std::string(GAPLENS_TEST_DATA) + "/torch_mm8192_warm.json.gz", std::ios::binary);
    std::stringstream original;
    original << in.rdbuf();
    CHECK(embedded == original.str());

    REQUIRE(readFileAsGzip(std::string(GAPLENS_TEST_DATA) + "/torch_mm64_warm.json", embedded, error));
    REQUIRE(gzipDecompress(embedded, unpacked, error));
    CHECK(unpacked.size() == 25849);

    CHECK_FALSE(readFileAsGzip("/nonexistent/run.json", embedded, error));
    CHECK(error.rfind("/nonexistent/run.json: cannot read", 0) == 0);
}

TEST_CASE("busy series gives each bin the fraction the busy intervals cover", "[share]") {
    DeviceBusy device;
    device.device = 1;
    // Window 0..1000 ns in 4 bins of 250: busy 0..250 (bin 0 full), 300..400 (bin 1: 100/250),
    // 700..800 (bin 2: 50, bin 3: 50).
    device.busy = {{0, 250}, {300, 400}, {700, 800}};
    const BusySeries s = busySeriesOf(device, 0, 1000, 4);
    CHECK(s.device == 1);
    CHECK(s.binNs == 250);
    REQUIRE(s.busy.size() == 4);
    CHECK(s.busy[0] == Approx(1.0));
    CHECK(s.busy[1] == Approx(0.4));
    CHECK(s.busy[2] == Approx(0.2));
    CHECK(s.busy[3] == Approx(0.2));
    CHECK(busySeriesOf(device, 10, 10, 4).busy.empty());
}

TEST_CASE("share page shows the verdict, gaps by cause, dead windows and ops, escaped", "[share]") {
    SharePageInput in;
    in.title = "run<1>.json";
    in.report = nlohmann::json::parse(R"JSON({
      "trace": {"path": "run.json", "events": 441, "cpu_threads": 2, "gpu_streams": 1, "devices": [0], "span_us": 150000},
      "ops": [{"name": "aten::mm", "calls": 10, "self_cpu_us": 120.5, "cpu_total_us": 300, "self_gpu_us": 0, "gpu_total_us": 40},
              {"name": "a<b>", "calls": 1, "self_cpu_us": 1, "cpu_total_us": 1, "self_gpu_us": 0, "gpu_total_us": 0}],
      "gpu": [{"device": 0, "busy_us": 300, "idle_us": 149700, "busy_pct": 0.2, "kernels": 20, "kernel_us": 300}],
      "gaps": [{"device": 0, "start_us": 10, "dur_us": 143000, "cause": "setup", "detail": "cudaMalloc x4"},
               {"device": 0, "start_us": 143100, "dur_us": 30, "cause": "host-overhead", "detail": "aten::add"},
               {"device": 0, "start_us": 143200, "dur_us": 20, "cause": "host-overhead", "detail": "aten::add"}],
      "launch_latency": [],
      "dead_windows": [{"range": "matmul_add", "start_us": 5, "dur_us": 143000, "host_us": 142990, "launch_us": 10,
                        "cold": true, "one_time_calls": ["cudaMalloc x4 (0.53 ms)"]}],
      "bound": {"window": "whole trace", "class": "overhead-bound", "busy_pct": 0.2, "gpu_over_cpu": 0.002},
      "advice": [{"rule": "setup", "saving_us": 143000, "text": "Warm up before the measured region.", "evidence": "cold"}]
    })JSON");
    in.traceGzip = "\x1f\x8b not really";
    in.traceFileName = "run.json";
    DeviceBusy device;
    device.busy = {{0, 100000}};
    in.busy = {busySeriesOf(device, 0, 150000000, 100)};
    const std::string html = renderSharePage(in);

    CHECK(html.find("<title>gaplens: run&lt;1&gt;.json</title>") != std::string::npos);
    CHECK(html.find(">overhead-bound</span>") != std::string::npos);
    CHECK(html.find("<b id=\"busy-pct\">0.2%</b>") != std::string::npos);
    // Gaps by cause: setup first (143 ms), then 2 host-overhead gaps totalling 50 µs.
    const size_t byCause = html.find("id=\"gaps-by-cause\"");
    REQUIRE(byCause != std::string::npos);
    const size_t setupRow = html.find("setup</td><td class=\"n\">1</td><td class=\"n\">143 ms</td>", byCause);
    const size_t hostRow = html.find("host-overhead</td><td class=\"n\">2</td><td class=\"n\">50 µs</td>", byCause);
    CHECK(setupRow != std::string::npos);
    CHECK(hostRow != std::string::npos);
    CHECK(setupRow < hostRow);
    CHECK(html.find("<td class=\"cold\">cold</td><td>cudaMalloc x4 (0.53 ms)</td>") != std::string::npos);
    CHECK(html.find("<td>a&lt;b&gt;</td>") != std::string::npos);
    CHECK(html.find("<td>a<b></td>") == std::string::npos);
    CHECK(countOf(html, "<rect class=\"gap\"") == 3);
    CHECK(html.find("id=\"open-perfetto\"") != std::string::npos);
    CHECK(html.find(base64Encode(in.traceGzip)) != std::string::npos);
    CHECK(html.find("new DecompressionStream('gzip')") != std::string::npos);
    CHECK(html.find("postMessage('PING', PERFETTO_ORIGIN)") != std::string::npos);

    in.traceGzip.clear();
    const std::string noTrace = renderSharePage(in);
    CHECK(noTrace.find("id=\"open-perfetto\"") == std::string::npos);
    CHECK(noTrace.find("id=\"gaplens-trace\"") == std::string::npos);
}

TEST_CASE("share page: the verdict with the engines apart and CPU time without the syncs", "[share]") {
    SECTION("a compute-bound step that waits in a sync each step: GPU time / CPU time well above 1") {
        const std::string html = renderSharePage(sharePageInputOf(buildReport(test::syncedComputeSteps()), "sync", "", ""));
        CHECK(html.find(">compute-bound</span>") != std::string::npos);
        CHECK(html.find("<b id=\"gpu-over-cpu\">17.273</b>") != std::string::npos);  // was 0.950: waits counted as CPU
        CHECK(html.find("<b id=\"cpu-time\">220 µs</b>") != std::string::npos);
    }
    SECTION("copies keep the GPU busy while the SMs idle: copy-bound") {
        const std::string html =
            renderSharePage(sharePageInputOf(buildReport(test::sideCopySteps(1000, 2600)), "copies", "", ""));
        CHECK(html.find(">copy-bound</span>") != std::string::npos);
        CHECK(html.find("<b id=\"busy-pct\">96.3%</b>") != std::string::npos);
        CHECK(html.find("<b id=\"compute-busy-pct\">37.0%</b>") != std::string::npos);
        CHECK(html.find("<b id=\"copy-busy-pct\">96.3%</b>") != std::string::npos);
    }
}

TEST_CASE("comparison page: headline, summary, both tables, each run's busy plot and its own Perfetto button", "[share][compare]") {
    LoadedRun before = loadRun(test::dataPath("capture_matmul_add_64.json"));
    LoadedRun after = loadRun(test::dataPath("capture_matmul_add_graph_64.json"));
    REQUIRE(before.report);
    REQUIRE(after.report);
    const RunComparison c = compareRuns(before.trace, *before.report, after.trace, *after.report);
    test::TempDir dir;
    const std::string out = dir.file("cmp.html");
    REQUIRE(writeComparePage(before.trace, *before.report, after.trace, *after.report, c, out) == "");
    const std::string html = test::readFile(out);

    CHECK(html.find("<title>gaplens: capture_matmul_add_64.json → capture_matmul_add_graph_64.json</title>") !=
          std::string::npos);
    CHECK(html.find("<b id=\"iter-time\">16.7 µs → 7.31 µs</b><span>iteration time (×0.44)</span>") != std::string::npos);
    CHECK(html.find("<b id=\"busy-change\">19.4% → 42.5%</b>") != std::string::npos);
    CHECK(html.find("<p id=\"summary\">Iteration time 16.7 µs → 7.31 µs (×0.44)") != std::string::npos);
    // Per-iteration figures, and the ops with their verdicts.
    CHECK(html.find("<tr><td>launches</td><td class=\"n\">2</td><td class=\"n\">1</td><td class=\"n\">-1</td>") !=
          std::string::npos);
    CHECK(html.find("<td>cudaGraphLaunch</td>") != std::string::npos);
    CHECK(html.find("<td class=\"worse\">new</td>") != std::string::npos);
    CHECK(html.find("<td class=\"better\">gone</td>") != std::string::npos);
    // Each run: its busy plot over the steady window and a button opening its own embedded trace.
    CHECK(countOf(html, "<svg class=\"busy\"") == 2);
    // The caption names the long window, and the <svg> tag after it is whole.
    CHECK(html.find("steady window: matmul_add #1..#19 (steady, 1 warm-up left out) (240 bins of 1.33 µs)</figcaption>"
                    "<svg class=\"busy\" data-device=\"0\" viewBox=\"0 0 960 130\" width=\"960\" height=\"130\" "
                    "xmlns=\"http://www.w3.org/2000/svg\">\n") != std::string::npos);
    CHECK(html.find("<button id=\"open-perfetto-before\" data-trace=\"gaplens-trace-before\"") != std::string::npos);
    CHECK(html.find("<button id=\"open-perfetto-after\" data-trace=\"gaplens-trace-after\"") != std::string::npos);
    CHECK(countOf(html, "<script id=\"gaplens-trace-") == 2);
    CHECK(html.find("data-file-name=\"capture_matmul_add_graph_64.gaplens.json\"") != std::string::npos);
    CHECK(html.find("postMessage('PING', PERFETTO_ORIGIN)") != std::string::npos);

    // The CLI writes the same page.
    const auto r = test::runCli("share " + test::dataPath("capture_matmul_add_64.json") + " " +
                                test::dataPath("capture_matmul_add_graph_64.json") + " -o " + dir.file("cli.html"));
    CHECK(r.exitCode == 0);
    CHECK(r.out.find("iteration time 16.7 µs → 7.31 µs (×0.44)") != std::string::npos);
    CHECK(test::readFile(dir.file("cli.html")).find("id=\"open-perfetto-after\"") != std::string::npos);
    CHECK(test::runCli("share " + test::dataPath("capture_matmul_add_64.json") + " " +
                       test::dataPath("capture_matmul_add_graph_64.json")).exitCode == 1);  // a comparison needs -o
}
