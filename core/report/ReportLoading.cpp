#include "core/report/ReportLoading.h"

#include "core/io/ChromeTraceImporter.h"

namespace gaplens {

LoadedReport loadReport(const std::string& path, const ReportOptions& options) {
    LoadedReport out;
    Trace trace;
    ImportResult imported = importTraces({path}, trace);
    if (!imported.ok) {
        out.error = imported.error.empty() ? path + ": could not be read" : imported.error;
        return out;
    }
    out.warnings = imported.warnings;
    ReportOptions o = options;
    if (o.path.empty()) o.path = path;
    out.report = buildReport(trace, o);
    out.report->trace.warnings = out.warnings;
    return out;
}

}  // namespace gaplens
