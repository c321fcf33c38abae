// gaplens share run.json [-o run.html] [--min-gap 10us] [--port 9001]
// With -o: one self-contained HTML page for a teammate (findings + the trace, openable in Perfetto UI).
// Without -o: serves the trace on 127.0.0.1 and prints the Perfetto UI link that opens it.
#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>

#include "app/gaplens/CommandHelp.h"
#include "app/gaplens/Commands.h"
#include "core/model/TimeText.h"
#include "core/io/ChromeTraceImporter.h"
#include "core/report/Report.h"
#include "core/share/LocalTraceServer.h"
#include "core/share/ShareReport.h"

namespace gaplens::cli {

namespace {
std::atomic<bool> gStop{false};
void onSignal(int) { gStop.store(true); }
}  // namespace

int shareCommand(const std::vector<std::string>& args) {
    std::string input, output;
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
        } else {
            return usageError("share", "one trace at a time");
        }
    }
    if (input.empty()) return missingArguments("share");

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
