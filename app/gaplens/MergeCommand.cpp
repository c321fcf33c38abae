// gaplens merge rank*.report.json [-o job.json] [--format text|md|json] [--clock auto|shared|align]
// The job's figures (collectives, waits, straggler) from per-rank reports alone: each rank's
// `gaplens report --format json` runs where its trace is, and only those small files travel.
#include <cstdio>
#include <iostream>

#include "app/gaplens/Commands.h"
#include "core/io/OutputFile.h"
#include "core/report/JobLoading.h"

namespace gaplens::cli {

namespace {

const char* kMergeUsage =
    "usage: gaplens merge rank*.report.json [-o job.json] [--format text|md|json] [--clock auto|shared|align]\n"
    "\n"
    "Computes a job's cross-rank figures from per-rank reports alone: per rank busy %, collective time\n"
    "split into wait and transfer, busy excluding wait, times last to arrive, overlap; per collective\n"
    "the last rank and the skew; the straggler and the wait it causes. Each input is the output of\n"
    "`gaplens report --format json` on one rank's trace (made where that trace lives).\n"
    "\n"
    "  -o FILE     write the result to FILE (format from its name: .md Markdown, .txt text, else JSON)\n"
    "              and print a one-line verdict\n"
    "  --format    text (default without -o), md or json\n"
    "  --clock     auto (default): ranks of one host share a clock, ranks of several hosts are shifted\n"
    "              so that their collectives end together; shared: no shift; align: always shift\n"
    "  -h, --help  this text\n"
    "\n"
    "example:\n"
    "  for r in 0 1 2 3; do gaplens report --format json run.rank$r.json.gz > rank$r.report.json; done\n"
    "  gaplens merge rank*.report.json -o job.json\n";

bool endsWith(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

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
        if (a == "-h" || a == "--help") {
            std::fputs(kMergeUsage, stdout);
            return kOk;
        } else if (value("-o", output) || value("--output", output)) {
        } else if (value("--format", format)) {
            if (format == "markdown") format = "md";
            if (format != "text" && format != "md" && format != "json") {
                std::fprintf(stderr, "gaplens merge: unknown --format '%s' (text, md or json)\n", format.c_str());
                return kUsage;
            }
        } else if (value("--clock", clock)) {
            if (clock == "auto") options.clock = ClockMode::Auto;
            else if (clock == "shared") options.clock = ClockMode::Shared;
            else if (clock == "align") options.clock = ClockMode::Align;
            else {
                std::fprintf(stderr, "gaplens merge: unknown --clock '%s' (auto, shared or align)\n", clock.c_str());
                return kUsage;
            }
        } else if (!a.empty() && a[0] == '-') {
            std::fprintf(stderr, "gaplens merge: unknown option '%s'\n%s", a.c_str(), kMergeUsage);
            return kUsage;
        } else {
            inputs.push_back(a);
        }
    }
    if (inputs.empty()) {
        std::fputs(kMergeUsage, stderr);
        return kUsage;
    }
    if (format.empty()) format = output.empty() ? "text" : endsWith(output, ".md") ? "md" : endsWith(output, ".txt") ? "text" : "json";
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
