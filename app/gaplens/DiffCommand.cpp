// gaplens diff before.json after.json [--format text|md|json] [--top 20] [--min-gap 10us]
// What changed between two runs, per steady iteration of each (core/analysis/RunComparison.h).
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "app/gaplens/CliOptions.h"
#include "app/gaplens/CommandHelp.h"
#include "app/gaplens/Commands.h"
#include "core/analysis/RunComparison.h"
#include "core/model/TimeText.h"
#include "core/report/ComparisonReport.h"
#include "core/report/ReportLoading.h"

namespace gaplens::cli {

int diffCommand(const std::vector<std::string>& args) {
    std::vector<std::string> inputs;
    std::string format = "text", value;
    int top = 20;
    ReportOptions options;
    options.gapDetails = false;  // the comparison reads gap causes, not the text naming each gap's host ops
    for (size_t i = 1; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (takeOptionValue(args, i, "--format", value)) {
            format = value == "markdown" ? "md" : value;
            if (format != "text" && format != "json" && format != "md")
                return usageError("diff", "unknown --format '" + value + "' (text, json or md)");
        } else if (takeOptionValue(args, i, "--top", value)) {
            char* end = nullptr;
            const long n = std::strtol(value.c_str(), &end, 10);
            if (value.empty() || *end != '\0' || n < 0 || n > 1'000'000)
                return usageError("diff", "bad --top '" + value + "' (a count, 0 = all)");
            top = int(n);
        } else if (takeOptionValue(args, i, "--min-gap", value)) {
            const auto d = parseDuration(value);
            if (!d || *d < 0) return usageError("diff", "bad --min-gap '" + value + "' (e.g. 10us, 1.5ms, 200ns)");
            options.minGapNs = *d;
        } else if (!a.empty() && a[0] == '-') {
            return unknownOption("diff", a);
        } else {
            inputs.push_back(a);
        }
    }
    if (inputs.size() != 2)
        return usageError("diff", "two traces, before and after (got " + std::to_string(inputs.size()) + ")");
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
