// gaplens report run.json [more.json ...] [--format text|json|md] [--sort KEY] [--top N] [--group-by range]
//                [--min-gap 10us]
// Several files: one report each, then the sweep table over them; when they are the ranks of a job
// (distributedInfo), the job's collectives, waits and straggler instead of the sweep.
#include <cstdio>
#include <iostream>

#include "app/gaplens/Commands.h"
#include "core/analysis/OpsTable.h"
#include "core/model/TimeText.h"
#include "core/report/JobLoading.h"

namespace gaplens::cli {

namespace {

const char* kReportUsage =
    "usage: gaplens report run.json [more.json ...] [--format text|json|md] [--sort KEY] [--top N]\n"
    "                      [--group-by range] [--min-gap 10us] [--clock auto|shared|align]\n"
    "  --sort: cpu_total (default), self_cpu, gpu_total, self_gpu, calls, cpu_avg, gpu_avg, name\n"
    "  --group-by range: also the ops table per user range (record_function, NVTX, gaplens::Range):\n"
    "      each op in the innermost range enclosing it on its thread, each kernel with its launch call,\n"
    "      the rest under \"(no range)\"; --top applies per range\n"
    "  several files that are the ranks of one job (their traces carry distributedInfo): the job's\n"
    "      collectives (per rank: wait, transfer, last to arrive, overlap) and its straggler\n"
    "  --clock: how the ranks' clocks are taken: auto (default: one host unless the traces or the\n"
    "      collectives say otherwise), shared (one host), align (shift each rank onto rank 0's clock)\n";

// "--opt value" or "--opt=value".
bool takeValue(const std::vector<std::string>& args, size_t& i, const std::string& name, std::string& value) {
    const std::string& a = args[i];
    if (a == name && i + 1 < args.size()) {
        value = args[++i];
        return true;
    }
    if (a.rfind(name + "=", 0) == 0) {
        value = a.substr(name.size() + 1);
        return true;
    }
    return false;
}

}  // namespace

int reportCommand(const std::vector<std::string>& args) {
    std::vector<std::string> inputs;
    std::string format = "text", value;
    ReportOptions options;
    JobOptions jobOptions;
    for (size_t i = 1; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "-h" || a == "--help") {
            std::fputs(kReportUsage, stdout);
            return kOk;
        } else if (takeValue(args, i, "--format", value)) {
            format = value;
            if (format != "text" && format != "json" && format != "md" && format != "markdown") {
                std::fprintf(stderr, "gaplens report: unknown --format '%s' (text, json or md)\n", format.c_str());
                return kUsage;
            }
        } else if (takeValue(args, i, "--sort", value)) {
            if (!isOpsSortKey(value)) {
                std::fprintf(stderr, "gaplens report: unknown --sort key '%s'\n%s", value.c_str(), kReportUsage);
                return kUsage;
            }
            options.sortKey = value;
        } else if (takeValue(args, i, "--top", value)) {
            char* end = nullptr;
            const long n = std::strtol(value.c_str(), &end, 10);
            if (value.empty() || *end != '\0' || n < 0 || n > 1'000'000) {
                std::fprintf(stderr, "gaplens report: bad --top '%s' (a count, 0 = all)\n", value.c_str());
                return kUsage;
            }
            options.top = int(n);
        } else if (takeValue(args, i, "--group-by", value)) {
            if (value != "range") {
                std::fprintf(stderr, "gaplens report: unknown --group-by '%s' (range)\n", value.c_str());
                return kUsage;
            }
            options.groupOpsByRange = true;
        } else if (takeValue(args, i, "--min-gap", value)) {
            const auto d = parseDuration(value);
            if (!d || *d < 0) {
                std::fprintf(stderr, "gaplens report: bad --min-gap '%s' (e.g. 10us, 1.5ms, 200ns)\n", value.c_str());
                return kUsage;
            }
            options.minGapNs = *d;
        } else if (takeValue(args, i, "--clock", value)) {
            if (value == "auto") jobOptions.clock = ClockMode::Auto;
            else if (value == "shared") jobOptions.clock = ClockMode::Shared;
            else if (value == "align") jobOptions.clock = ClockMode::Align;
            else {
                std::fprintf(stderr, "gaplens report: unknown --clock '%s' (auto, shared or align)\n", value.c_str());
                return kUsage;
            }
        } else if (!a.empty() && a[0] == '-') {
            std::fprintf(stderr, "gaplens report: unknown option '%s'\n%s", a.c_str(), kReportUsage);
            return kUsage;
        } else {
            inputs.push_back(a);
        }
    }
    if (inputs.empty()) {
        std::fputs(kReportUsage, stderr);
        return kUsage;
    }
    LoadedJob loaded = loadJob(inputs, options, jobOptions);
    for (const std::string& w : loaded.warnings) std::fprintf(stderr, "gaplens: warning: %s\n", w.c_str());
    if (!loaded.error.empty()) {
        std::fprintf(stderr, "gaplens: %s\n", loaded.error.c_str());
        return kBadInput;
    }
    const std::vector<Report>& reports = loaded.reports;
    if (format == "json") {
        if (reports.size() == 1) {
            std::cout << reportToJson(reports[0]).dump(1) << "\n";
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
