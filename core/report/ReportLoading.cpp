#include "core/report/ReportLoading.h"

#include "core/io/ChromeTraceImporter.h"

namespace gaplens {

LoadedRun loadRun(const std::string& path, const ReportOptions& options) {
    LoadedRun out;
    ImportResult imported = importTraces({path}, out.trace);
    if (!imported.ok) {
        out.error = imported.error.empty() ? path + ": could not be read" : imported.error;
        return out;
    }
    out.warnings = imported.warnings;
    ReportOptions o = options;
    if (o.path.empty()) o.path = path;
    out.report = buildReport(out.trace, o);
    out.report->trace.warnings = out.warnings;
    return out;
}

LoadedReport loadReport(const std::string& path, const ReportOptions& options) {
    LoadedRun run = loadRun(path, options);
    LoadedReport out;
    out.report = std::move(run.report);
    out.error = std::move(run.error);
    out.warnings = std::move(run.warnings);
    return out;
}

}  // namespace gaplens
