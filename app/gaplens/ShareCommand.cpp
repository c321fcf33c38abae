// gaplens share run.json [-o run.html] [--min-gap 10us] [--port 9001]
// gaplens share before.json after.json -o cmp.html
// With -o: one self-contained HTML page for a teammate (findings + the trace, openable in Perfetto UI);
// with two runs, the page of their comparison (what changed per iteration, each run openable).
// Without -o: serves the trace on 127.0.0.1 and prints the Perfetto UI link that opens it.
#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>

#include "app/gaplens/CommandHelp.h"
#include "app/gaplens/Commands.h"
#include "core/model/TimeText.h"
#include "core/io/ChromeTraceImporter.h"
#include "core/analysis/RunComparison.h"
#include "core/report/ComparisonReport.h"
#include "core/report/Report.h"
#include "core/report/ReportLoading.h"
#include "core/share/LocalTraceServer.h"
#include "core/share/ShareReport.h"

namespace gaplens::cli {

namespace {
std::atomic<bool> gStop{false};
void onSignal(int) { gStop.store(true); }
}  // namespace

namespace {

// The comparison page of two runs (before, after), as `gaplens diff` compares them.
int shareComparison(const std::string& before, const std::string& after, const std::string& output,
                    const ReportOptions& options) {
    ReportOptions o = options;
    o.gapDetails = false;  // the page draws each run's gaps by cause; the comparison reads no gap text
    LoadedRun runs[2];
    for (int k = 0; k < 2; ++k) {
        runs[k] = loadRun(k ? after : before, o);
        for (const std::string& w : runs[k].warnings) std::fprintf(stderr, "gaplens: warning: %s\n", w.c_str());
        if (!runs[k].report) {
            std::fprintf(stderr, "gaplens: %s\n", runs[k].error.c_str());
            return kBadInput;
        }
    }
    const RunComparison comparison = compareRuns(runs[0].trace, *runs[0].report, runs[1].trace, *runs[1].report);
    if (const std::string error = writeComparePage(runs[0].trace, *runs[0].report, runs[1].trace, *runs[1].report,
                                                   comparison, output);
        !error.empty()) {
        std::fprintf(stderr, "gaplens share: %s\n", error.c_str());
        return kBadInput;
    }
    std::printf("wrote %s (%s; open it in a browser, its buttons open each run in Perfetto UI)\n", output.c_str(),
                formatComparisonHeadline(comparison).c_str());
    return kOk;
}

}  // namespace

int shareCommand(const std::vector<std::string>& args) {
    std::string input, output, second;
    int port = 9001;
    ReportOptions options;
    for (size_t i = 1; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "-o" && i + 1 < args.size()) {
            output = args[++i];
        } else if (a == "--min-gap" && i + 1 < args.size()) {
            const auto d = parseDuration(args[++i]);
            if (!d) return usageError("share", "bad --min-gap '" + args[i] + "' (e.g. 10us, 1.5ms)");
            options.minGapNs = *d;
        } else if (a == "--port" && i + 1 < args.size()) {
            try {
                port = std::stoi(args[++i]);
            } catch (...) {
                port = -1;
            }
            if (port < 0 || port > 65535) return usageError("share", "bad --port '" + args[i] + "'");
        } else if (!a.empty() && a[0] == '-') {
            return unknownOption("share", a);
        } else if (input.empty()) {
            input = a;
        } else if (second.empty()) {
            second = a;
        } else {
            return usageError("share", "one trace, or two to compare");
        }
    }
    if (input.empty()) return missingArguments("share");
    if (!second.empty()) {
        if (output.empty()) return usageError("share", "a comparison of two runs is a page: give -o cmp.html");
        return shareComparison(input, second, output, options);
    }

    if (output.empty()) {
        LocalTraceServer server;
        if (const std::string error = server.listen(input, static_cast<uint16_t>(port)); !error.empty()) {
            std::fprintf(stderr, "gaplens share: %s\n", error.c_str());
            return std::filesystem::is_regular_file(input) ? kUsage : kBadInput;
        }
        std::printf("Serving %s on 127.0.0.1 only. Open this link in a browser (Ctrl+C stops):\n%s\n", input.c_str(),
                    server.perfettoUrl().c_str());
        std::fflush(stdout);
        std::signal(SIGINT, onSignal);
        std::signal(SIGTERM, onSignal);
        server.run(gStop);
        return kOk;
    }

    // The page embeds a Perfetto export of the trace with the findings as annotation tracks, so the
    // trace it opens in Perfetto UI shows the gaps and dead windows too.
    Trace trace;
    const ImportResult imported = importTraces({input}, trace);
    for (const std::string& w : imported.warnings) std::fprintf(stderr, "gaplens: warning: %s\n", w.c_str());
    if (!imported.ok) {
        std::fprintf(stderr, "gaplens: %s\n", imported.error.c_str());
        return kBadInput;
    }
    options.path = input;
    Report report = buildReport(trace, options);
    report.trace.warnings = imported.warnings;
    const std::string title = std::filesystem::path(input).filename().string();
    if (const std::string error = writeSharePage(trace, report, title, output); !error.empty()) {
        std::fprintf(stderr, "gaplens share: %s\n", error.c_str());
        return kBadInput;
    }
    std::printf("wrote %s (%s; open it in a browser, its button opens the trace in Perfetto UI)\n", output.c_str(),
                formatVerdictLine(report).c_str());
    return kOk;
}

}  // namespace gaplens::cli
