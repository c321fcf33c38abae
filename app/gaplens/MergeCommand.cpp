// gaplens merge rank*.report.json [-o job.json] [--format text|md|json] [--clock auto|shared|align]
// The job's figures (collectives, waits, straggler) from per-rank reports alone: each rank's
// `gaplens report --format json` runs where its trace is, and only those small files travel.
#include <cstdio>
#include <iostream>

#include "app/gaplens/CommandHelp.h"
#include "app/gaplens/Commands.h"
#include "core/io/OutputFile.h"
#include "core/report/JobLoading.h"

namespace gaplens::cli {

int mergeCommand(const std::vector<std::string>& args) {
    std::vector<std::string> inputs;
    std::string output, format;
    JobOptions options;
    for (size_t i = 1; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&](const char* name, std::string& to) {
            if (a == name && i + 1 < args.size()) {
                to = args[++i];
                return true;
            }
            if (a.rfind(std::string(name) + "=", 0) == 0) {
                to = a.substr(std::string(name).size() + 1);
                return true;
            }
            return false;
        };
        std::string clock;
        if (value("-o", output) || value("--output", output)) {
        } else if (value("--format", format)) {
            if (format == "markdown") format = "md";
            if (format != "text" && format != "md" && format != "json") {
                return usageError("merge", "unknown --format '" + format + "' (text, md or json)");
            }
        } else if (value("--clock", clock)) {
            if (clock == "auto") options.clock = ClockMode::Auto;
            else if (clock == "shared") options.clock = ClockMode::Shared;
            else if (clock == "align") options.clock = ClockMode::Align;
            else {
                return usageError("merge", "unknown --clock '" + clock + "' (auto, shared or align)");
            }
        } else if (!a.empty() && a[0] == '-') {
            return unknownOption("merge", a);
        } else {
            inputs.push_back(a);
        }
    }
    if (inputs.empty()) return usageError("merge", "give the per-rank report files (gaplens report --format json)");
    if (format.empty()) format = output.empty() ? "text" : output.ends_with(".md") ? "md" : output.ends_with(".txt") ? "text" : "json";
    if (!output.empty())
        if (std::string why = OutputFile::checkWritable(output); !why.empty()) {
            std::fprintf(stderr, "gaplens merge: %s\n", why.c_str());
            return kUsage;
        }

    std::vector<std::string> errors, warnings;
    const std::optional<JobReport> job = mergeRankReports(inputs, options, errors, warnings);
    for (const std::string& e : errors) std::fprintf(stderr, "gaplens merge: %s\n", e.c_str());
    for (const std::string& w : warnings) std::fprintf(stderr, "gaplens merge: warning: %s\n", w.c_str());
    if (!job) {
        std::fprintf(stderr, "gaplens merge: no rank could be read from the %zu file(s) given\n", inputs.size());
        return kBadInput;
    }
    const std::string text = format == "json" ? jobToJson(*job).dump(1) + "\n"
                             : format == "md" ? jobToMarkdown(*job)
                                              : jobToText(*job);
    if (output.empty()) {
        std::cout << text;
        std::cout.flush();
    } else {
        if (std::string err = writeFileAtomically(output, text); !err.empty()) {
            std::fprintf(stderr, "gaplens merge: %s\n", err.c_str());
            return kBadInput;
        }
        std::printf("gaplens merge: %s\nwrote %s\n", formatJobVerdictLine(*job).c_str(), output.c_str());
    }
    return errors.empty() ? kOk : kBadInput;
}

}  // namespace gaplens::cli
