// The report: JSON in the DESIGN.md schema, text, Markdown, CSV of the gaps, verdict line.
#include <catch2/catch.hpp>

#include "core/io/ChromeTraceImporter.h"
#include "core/model/TraceBuilder.h"
#include "core/report/Report.h"
#include "core/report/ReportLoading.h"
#include "TestSupport.h"

using namespace gaplens;

namespace {
constexpr TimeNs us = 1000;

Trace smallTrace() {
    TraceBuilder b;
    const auto th = b.cpuThread(b.process(1, "app"), 1);
    const auto s = b.gpuStream(b.process(0, "GPU 0"), 0, 7);
    b.range(th, "step", 0, 50 * us);
    b.op(th, "aten::add", 10 * us, 20 * us);
    b.launch(th, s, "add_kernel", 20 * us, 5 * us, 30 * us, 2 * us, 1);
    b.range(th, "step", 100 * us, 50 * us);
    b.op(th, "aten::add", 110 * us, 20 * us);
    b.launch(th, s, "add_kernel", 120 * us, 5 * us, 130 * us, 2 * us, 2);
    return b.build();
}
}  // namespace

TEST_CASE("JSON report has the DESIGN.md keys, with the engines, CPU time and iterations added", "[report]") {
    const Report r = buildReport(smallTrace(), ReportOptions{});
    const auto j = reportToJson(r);
    std::vector<std::string> keys;
    for (const auto& [k, v] : j.items()) keys.push_back(k);
    CHECK(keys == std::vector<std::string>{"advice", "bound", "dead_windows", "gaps", "gpu", "launch_latency", "ops",
                                           "trace"});
    auto keysOf = [](const nlohmann::json& o) {
        std::vector<std::string> k;
        for (const auto& [name, v] : o.items()) k.push_back(name);
        std::sort(k.begin(), k.end());
        return k;
    };
    using V = std::vector<std::string>;
    CHECK(keysOf(j["trace"]) == V{"cpu_threads", "devices", "events", "gpu_streams", "path", "span_us"});
    CHECK(keysOf(j["ops"][0]) == V{"calls", "cpu_total_us", "gpu_total_us", "name", "self_cpu_us", "self_gpu_us"});
    // The DESIGN.md keys, and the engines apart (added; none removed).
    CHECK(keysOf(j["gpu"][0]) == V{"busy_pct", "busy_us", "compute_busy_us", "compute_idle_while_copying_us",
                                   "copy_busy_us", "device", "idle_us", "kernel_us", "kernels"});
    CHECK(keysOf(j["gaps"][0]) == V{"cause", "detail", "device", "dur_us", "start_us"});
    CHECK(keysOf(j["launch_latency"][0]) ==
          V{"count", "dispatch_p50_us", "kernel", "max_us", "p50_us", "p90_us", "queue_p50_us"});
    CHECK(keysOf(j["dead_windows"][0]) ==
          V{"cold", "dur_us", "host_us", "launch_us", "one_time_calls", "range", "start_us"});
    CHECK(keysOf(j["bound"]) == V{"blocked_us", "busy_pct", "class", "compute_busy_pct",
                                  "compute_idle_while_copying_us", "copy_busy_pct", "cpu_per_iter_us", "cpu_us",
                                  "end_us", "gpu_busy_us", "gpu_over_cpu", "gpu_per_iter_us", "iterations",
                                  "start_us", "unknown_us", "warmup_left_out", "window", "window_kind"});
    // Times in µs.
    CHECK(j["trace"]["span_us"].get<double>() == 150.0);
    CHECK(j["gpu"][0]["busy_us"].get<double>() == 4.0);
    CHECK(j["gaps"][0]["dur_us"].get<double>() == 98.0);
    CHECK(j["gaps"][0]["start_us"].get<double>() == 32.0);
    CHECK(j["dead_windows"][0]["dur_us"].get<double>() == 30.0);
    CHECK(j["bound"]["class"] == "overhead-bound");
}

TEST_CASE("the --min-gap option lists only the long gaps but the totals count all, --top cuts the ops table", "[report]") {
    ReportOptions o;
    o.minGapNs = 50 * us;
    o.top = 2;
    const Report r = buildReport(smallTrace(), o);
    CHECK(listedGaps(r).size() == 1);  // 98 us; the 30 us lead and 18 us tail are not listed
    CHECK(r.gaps.gaps.size() == 3);
    CHECK(r.gaps.idleNs == 30 * us + 98 * us + 18 * us);
    CHECK(reportToJson(r)["ops"].size() == 2);
    const std::string csv = gapsToCsv(r);
    CHECK(csv == "device,start_us,dur_us,cause,detail\n"
                 "0,32.000,98.000,host-idle,no host activity for 50.0 µs before cudaLaunchKernel\n");
}

TEST_CASE("verdict line, text and Markdown carry the findings", "[report]") {
    Trace t;
    REQUIRE(importTraces({test::dataPath("torch_mm64_cold.json")}, t).ok);
    const Report r = buildReport(t);
    const std::string verdict = formatVerdictLine(r);
    CHECK(verdict == "GPU busy 2.9% (steady matmul_add), dead window cold 141 ms / steady 48.1 µs, overhead-bound "
                     "(GPU/CPU time 0.0325)");
    const std::string text = reportToText(r);
    CHECK(text.find("Idle time per cause:") != std::string::npos);
    CHECK(text.find("setup") != std::string::npos);
    CHECK(text.find("Bound: overhead-bound") != std::string::npos);
    const std::string md = reportToMarkdown(r);
    CHECK(md.rfind("# gaplens report: torch\\_mm64\\_cold.json", 0) == 0);
    CHECK(md.find("| matmul\\_add | 0 |") != std::string::npos);
    CHECK(r.sweepRow.size == 64);
}

TEST_CASE("several runs make a sweep with its crossover", "[report][sweep]") {
    std::vector<Report> reports;
    for (const char* name : {"torch_mm8192_warm.json.gz", "torch_mm64_warm.json"}) {
        LoadedReport l = loadReport(test::dataPath(name));
        REQUIRE(l.report);
        reports.push_back(std::move(*l.report));
    }
    const Sweep s = sweepOf(reports);
    REQUIRE(s.rows.size() == 2);
    CHECK(s.rows[0].size == 64);
    CHECK(s.rows[0].cls == BoundClass::OverheadBound);
    CHECK(s.rows[1].cls == BoundClass::ComputeBound);
    CHECK(s.rows[1].tflops > 600.0);  // DESIGN: ~750 TFLOP/s at 8192 on an H100
    REQUIRE(s.crossoverSize);
    CHECK(*s.crossoverSize == 8192);
    CHECK(sweepToText(s).find("crossover between 64 (overhead-bound) and 8192 (compute-bound)") != std::string::npos);
}

TEST_CASE("loadReport: a missing file is a one-line error", "[report]") {
    const LoadedReport l = loadReport("/nonexistent/run.json");
    CHECK_FALSE(l.report);
    CHECK(l.error.find("/nonexistent/run.json") != std::string::npos);
    CHECK(l.error.find('\n') == std::string::npos);
}

namespace {
// Counts what an ostream is given: bytes, and the largest single write.
struct CountingBuf : std::streambuf {
    std::string text;
    size_t largestWrite = 0;
    std::streamsize xsputn(const char* s, std::streamsize n) override {
        text.append(s, size_t(n));
        largestWrite = std::max(largestWrite, size_t(n));
        return n;
    }
    int_type overflow(int_type c) override {
        if (c != traits_type::eof()) text += char(c);
        largestWrite = std::max<size_t>(largestWrite, 1);
        return c;
    }
};
}  // namespace

TEST_CASE("the streamed JSON report is the JSON document's text, written a piece at a time", "[report][memory]") {
    size_t largestText = 0;
    for (const char* name : {"torch_mm64_cold.json", "torch_mm64_warm.json", "torch_mm8192_warm.json.gz",
                             "torch_train_step.json.gz", "capture_matmul_add_64.json", "capture_child_segv.json"})
        for (const bool all : {false, true}) {
            INFO(name << (all ? ", every gap listed, ops by range" : ""));
            Trace t;
            REQUIRE(importTraces({test::dataPath(name)}, t).ok);
            ReportOptions options;
            if (all) {
                options.minGapNs = 0;
                options.groupOpsByRange = true;
            }
            const Report r = buildReport(t, options);
            CountingBuf buf;
            std::ostream out(&buf);
            writeReportJson(r, out);
            const std::string whole = reportToJson(r).dump(1);
            CHECK(buf.text == whole);
            // No piece is more than one element of an array: never the whole text, never all gaps.
            CHECK(buf.largestWrite < 3000);
            largestText = std::max(largestText, whole.size());
        }
    CHECK(largestText > 200'000);  // the training step's report, written in pieces of < 3 KB
}
