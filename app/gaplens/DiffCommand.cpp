// gaplens diff before.json after.json [--format text|md|json] [--top 20] [--min-gap 10us]
// What changed between two runs, per steady iteration of each (core/analysis/RunComparison.h).
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "app/gaplens/CliOptions.h"
#include "app/gaplens/Commands.h"
#include "core/analysis/RunComparison.h"
#include "core/model/TimeText.h"
#include "core/report/ComparisonReport.h"
#include "core/report/ReportLoading.h"

namespace gaplens::cli {

namespace {

const char* kDiffUsage =
    "usage: gaplens diff before.json after.json [--format text|md|json] [--top 20] [--min-gap 1us]\n"
    "  Compares two runs per steady iteration: iteration time, GPU busy, idle per cause, launches,\n"
    "  kernels, launch latency and dead window p50, and every op and kernel matched by name; a change\n"
    "  within the run-to-run spread of the iterations (p10-p90) is reported as \"same\".\n"
    "  --format  text (default), md (Markdown) or json (the schema in docs/compare.md)\n"
    "  --top     op and kernel rows shown, largest change first (default 20, 0 = all)\n"
    "  --min-gap gaps listed in each run's report (idle per cause counts all gaps)\n"
    "example:\n"
    "  gaplens diff runs/matmul_add_64.json runs/matmul_add_graph_64.json --format md > diff.md\n";

}  // namespace

int diffCommand(const std::vector<std::string>& args) {
    std::vector<std::string> inputs;
    std::string format = "text", value;
    int top = 20;
    ReportOptions options;
    options.gapDetails = false;  // the comparison reads gap causes, not the text naming each gap's host ops
    for (size_t i = 1; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "-h" || a == "--help") {
            std::fputs(kDiffUsage, stdout);
            return kOk;
        } else if (takeOptionValue(args, i, "--format", value)) {
            format = value == "markdown" ? "md" : value;
            if (format != "text" && format != "json" && format != "md") {
                std::fprintf(stderr, "gaplens diff: unknown --format '%s' (text, json or md)\n", value.c_str());
                return kUsage;
            }
        } else if (takeOptionValue(args, i, "--top", value)) {
            char* end = nullptr;
            const long n = std::strtol(value.c_str(), &end, 10);
            if (value.empty() || *end != '\0' || n < 0 || n > 1'000'000) {
                std::fprintf(stderr, "gaplens diff: bad --top '%s' (a count, 0 = all)\n", value.c_str());
                return kUsage;
            }
            top = int(n);
        } else if (takeOptionValue(args, i, "--min-gap", value)) {
            const auto d = parseDuration(value);
            if (!d || *d < 0) {
                std::fprintf(stderr, "gaplens diff: bad --min-gap '%s' (e.g. 10us, 1.5ms, 200ns)\n", value.c_str());
                return kUsage;
            }
            options.minGapNs = *d;
        } else if (!a.empty() && a[0] == '-') {
            std::fprintf(stderr, "gaplens diff: unknown option '%s'\n%s", a.c_str(), kDiffUsage);
            return kUsage;
        } else {
            inputs.push_back(a);
        }
    }
    if (inputs.size() != 2) {
        std::fprintf(stderr, "gaplens diff: two traces, before and after (got %zu)\n%s", inputs.size(), kDiffUsage);
        return kUsage;
    }
    LoadedRun runs[2];
    for (int k = 0; k < 2; ++k) {
        runs[k] = loadRun(inputs[size_t(k)], options);
        for (const std::string& w : runs[k].warnings) std::fprintf(stderr, "gaplens: warning: %s\n", w.c_str());
        if (!runs[k].report) {
            std::fprintf(stderr, "gaplens: %s\n", runs[k].error.c_str());
            return kBadInput;
        }
    }
    const RunComparison comparison = compareRuns(runs[0].trace, *runs[0].report, runs[1].trace, *runs[1].report);
    if (format == "json") std::cout << comparisonToJson(comparison, top).dump(1) << "\n";
    else if (format == "md") std::cout << comparisonToMarkdown(comparison, top);
    else std::cout << comparisonToText(comparison, top);
    std::cout.flush();
    return kOk;
}

}  // namespace gaplens::cli
