// gaplens report run.json [more.json ...] [--format text|json|md] [--sort KEY] [--top N] [--group-by range]
//                [--min-gap 10us]
// Several files: one report each, then the sweep table over them; when they are the ranks of a job
// (distributedInfo), the job's collectives, waits and straggler instead of the sweep.
#include <cstdio>
#include <iostream>

#include "app/gaplens/CliOptions.h"
#include "app/gaplens/CommandHelp.h"
#include "app/gaplens/Commands.h"
#include "core/analysis/OpsTable.h"
#include "core/model/TimeText.h"
#include "core/report/JobLoading.h"

namespace gaplens::cli {

int reportCommand(const std::vector<std::string>& args) {
    std::vector<std::string> inputs;
    std::string format = "text", value;
    ReportOptions options;
    JobOptions jobOptions;
    for (size_t i = 1; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (takeOptionValue(args, i, "--format", value)) {
            format = value;
            if (format != "text" && format != "json" && format != "md" && format != "markdown")
                return usageError("report", "unknown --format '" + format + "' (text, json or md)");
        } else if (takeOptionValue(args, i, "--sort", value)) {
            if (!isOpsSortKey(value)) return usageError("report", "unknown --sort key '" + value + "'");
            options.sortKey = value;
        } else if (takeOptionValue(args, i, "--top", value)) {
            char* end = nullptr;
            const long n = std::strtol(value.c_str(), &end, 10);
            if (value.empty() || *end != '\0' || n < 0 || n > 1'000'000)
                return usageError("report", "bad --top '" + value + "' (a count, 0 = all)");
            options.top = int(n);
        } else if (takeOptionValue(args, i, "--group-by", value)) {
            if (value != "range") return usageError("report", "unknown --group-by '" + value + "' (range)");
            options.groupOpsByRange = true;
        } else if (takeOptionValue(args, i, "--min-gap", value)) {
            const auto d = parseDuration(value);
            if (!d || *d < 0) return usageError("report", "bad --min-gap '" + value + "' (e.g. 10us, 1.5ms, 200ns)");
            options.minGapNs = *d;
        } else if (takeOptionValue(args, i, "--clock", value)) {
            if (value == "auto") jobOptions.clock = ClockMode::Auto;
            else if (value == "shared") jobOptions.clock = ClockMode::Shared;
            else if (value == "align") jobOptions.clock = ClockMode::Align;
            else return usageError("report", "unknown --clock '" + value + "' (auto, shared or align)");
        } else if (!a.empty() && a[0] == '-') {
            return unknownOption("report", a);
        } else {
            inputs.push_back(a);
        }
    }
    if (inputs.empty()) return missingArguments("report");
    LoadedJob loaded = loadJob(inputs, options, jobOptions);
    for (const std::string& w : loaded.warnings) std::fprintf(stderr, "gaplens: warning: %s\n", w.c_str());
    if (!loaded.error.empty()) {
        std::fprintf(stderr, "gaplens: %s\n", loaded.error.c_str());
        return kBadInput;
    }
    const std::vector<Report>& reports = loaded.reports;
    if (format == "json") {
        if (reports.size() == 1) {
            writeReportJson(reports[0], std::cout);  // as it is made: no whole document in memory
            std::cout << "\n";
        } else {
            nlohmann::json j;
            j["reports"] = nlohmann::json::array();
            for (const Report& r : reports) j["reports"].push_back(reportToJson(r));
            if (loaded.job) j["job"] = jobToJson(*loaded.job);
            else j["sweep"] = sweepToJson(sweepOf(reports));
            std::cout << j.dump(1) << "\n";
        }
        return kOk;
    }
    const bool md = format != "text";
    for (size_t i = 0; i < reports.size(); ++i) {
        if (i) std::cout << "\n";
        std::cout << (md ? reportToMarkdown(reports[i]) : reportToText(reports[i]));
    }
    if (loaded.job) std::cout << "\n" << (md ? jobToMarkdown(*loaded.job) : jobToText(*loaded.job));
    else if (reports.size() > 1)
        std::cout << "\n" << (md ? sweepToMarkdown(sweepOf(reports)) : sweepToText(sweepOf(reports)));
    std::cout.flush();
    return kOk;
}

}  // namespace gaplens::cli
