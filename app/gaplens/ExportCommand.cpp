// gaplens export run.json [more.json] -o out.json[.gz] [--window 1.2ms:3.4ms]
#include <cstdio>

#include "app/gaplens/Commands.h"
#include "core/io/ChromeTraceImporter.h"
#include "core/io/OutputFile.h"
#include "core/io/PerfettoJsonExporter.h"
#include "core/model/TimeText.h"

namespace gaplens::cli {

int exportCommand(const std::vector<std::string>& args) {
    std::vector<std::string> inputs;
    std::string output;
    ExportOptions options;
    for (size_t i = 1; i < args.size(); ++i) {
        const std::string& a = args[i];
        if ((a == "-o" || a == "--output") && i + 1 < args.size()) {
            output = args[++i];
        } else if (a == "--window" && i + 1 < args.size()) {
            options.window = parseWindow(args[++i]);
            if (!options.window) {
                std::fprintf(stderr, "gaplens export: bad --window '%s' (expected START:END, e.g. 1.2ms:3.4ms)\n",
                             args[i].c_str());
                return kUsage;
            }
        } else if (!a.empty() && a[0] == '-') {
            std::fprintf(stderr, "gaplens export: unknown option '%s'\n", a.c_str());
            return kUsage;
        } else {
            inputs.push_back(a);
        }
    }
    if (inputs.empty() || output.empty()) {
        std::fputs("usage: gaplens export run.json [more.json] -o out.json[.gz] [--window 1.2ms:3.4ms]\n", stderr);
        return kUsage;
    }
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
    if (std::string err = exportPerfettoJson(trace, output, options); !err.empty()) {
        std::fprintf(stderr, "gaplens export: %s\n", err.c_str());
        return kBadInput;
    }
    std::fprintf(stderr, "wrote %s (%zu events)\n", output.c_str(), trace.eventCount());
    return kOk;
}

}  // namespace gaplens::cli
