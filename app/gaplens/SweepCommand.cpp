// gaplens sweep a.json b.json ...: the sweep table over runs at several sizes and the crossover
// size. (Capturing the runs is `gaplens capture --workload matmul_add --sizes ...`.)
#include <cstdio>
#include <iostream>

#include "app/gaplens/CommandHelp.h"
#include "app/gaplens/Commands.h"
#include "core/report/ReportLoading.h"

namespace gaplens::cli {

int sweepCommand(const std::vector<std::string>& args) {
    std::vector<std::string> inputs;
    std::string format = "text";
    for (size_t i = 1; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--format" && i + 1 < args.size()) {
            format = args[++i];
            if (format != "text" && format != "json" && format != "md")
                return usageError("sweep", "unknown --format '" + format + "' (text, json or md)");
        } else if (!a.empty() && a[0] == '-') {
            return unknownOption("sweep", a);
        } else {
            inputs.push_back(a);
        }
    }
    if (inputs.empty()) return missingArguments("sweep");
    std::vector<Report> reports;
    for (const std::string& path : inputs) {
        LoadedReport loaded = loadReport(path);
        for (const std::string& w : loaded.warnings) std::fprintf(stderr, "gaplens: warning: %s\n", w.c_str());
        if (!loaded.report) {
            std::fprintf(stderr, "gaplens: %s\n", loaded.error.c_str());
            return kBadInput;
        }
        reports.push_back(std::move(*loaded.report));
    }
    const Sweep sweep = sweepOf(reports);
    if (format == "json") std::cout << sweepToJson(sweep).dump(1) << "\n";
    else if (format == "md") std::cout << sweepToMarkdown(sweep);
    else std::cout << sweepToText(sweep);
    return kOk;
}

}  // namespace gaplens::cli
