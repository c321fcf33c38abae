// gaplens export run.json [more.json] -o out.json[.gz] [--window 1.2ms:3.4ms] [--no-findings] [--min-gap 10us]
// The findings (idle gaps by cause, dead windows) go in as annotation tracks by default, as the
// app's File > Export does: a teammate who opens the file in Perfetto UI sees why the GPU sat idle.
#include <cstdio>

#include "app/gaplens/CommandHelp.h"
#include "app/gaplens/Commands.h"
#include "core/io/ChromeTraceImporter.h"
#include "core/io/OutputFile.h"
#include "core/io/PerfettoJsonExporter.h"
#include "core/model/TimeText.h"
#include "core/report/Report.h"
#include "core/share/FindingsAnnotations.h"

namespace gaplens::cli {

int exportCommand(const std::vector<std::string>& args) {
    std::vector<std::string> inputs;
    std::string output;
    ExportOptions options;
    ReportOptions reportOptions;
    bool findings = true;
    for (size_t i = 1; i < args.size(); ++i) {
        const std::string& a = args[i];
        if ((a == "-o" || a == "--output") && i + 1 < args.size()) {
            output = args[++i];
        } else if (a == "--window" && i + 1 < args.size()) {
            options.window = parseWindow(args[++i]);
            if (!options.window)
                return usageError("export", "bad --window '" + args[i] + "' (expected START:END, e.g. 1.2ms:3.4ms)");
        } else if (a == "--no-findings") {
            findings = false;
        } else if (a == "--min-gap" && i + 1 < args.size()) {
            const auto d = parseDuration(args[++i]);
            if (!d || *d < 0) return usageError("export", "bad --min-gap '" + args[i] + "' (e.g. 10us, 1.5ms, 200ns)");
            reportOptions.minGapNs = *d;
        } else if (!a.empty() && a[0] == '-') {
            return unknownOption("export", a);
        } else {
            inputs.push_back(a);
        }
    }
    if (inputs.empty()) return missingArguments("export");
    if (output.empty()) return usageError("export", "no output: give -o out.json[.gz]");
    if (std::string why = OutputFile::checkWritable(output); !why.empty()) {
        std::fprintf(stderr, "gaplens export: %s\n", why.c_str());
        return kUsage;
    }
    Trace trace;
    const ImportResult r = importTraces(inputs, trace);
    for (const std::string& w : r.warnings) std::fprintf(stderr, "gaplens: warning: %s\n", w.c_str());
    if (!r.ok) {
        std::fprintf(stderr, "gaplens: %s\n", r.error.c_str());
        return kBadInput;
    }
    if (findings) options.annotations = findingsAnnotations(buildReport(trace, reportOptions));
    if (std::string err = exportPerfettoJson(trace, output, options); !err.empty()) {
        std::fprintf(stderr, "gaplens export: %s\n", err.c_str());
        return kBadInput;
    }
    std::fprintf(stderr, "wrote %s (%zu events; findings: %s)\n", output.c_str(), trace.eventCount(),
                 !findings ? "left out" : options.annotations.empty() ? "none" : "gaplens findings tracks");
    return kOk;
}

}  // namespace gaplens::cli
