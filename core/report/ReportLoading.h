#pragma once
// Loading a trace file and building its report in one step, as the CLI and the UI both do:
// import errors come back as one line naming the file and the position; warnings (a truncated
// file) are kept in the report and the partial result is still analysed.
#include <optional>
#include <string>

#include "core/report/Report.h"

namespace gaplens {

struct LoadedReport {
    std::optional<Report> report;  // empty when the file could not be read at all
    std::string error;             // one line, when report is empty
    std::vector<std::string> warnings;
};

LoadedReport loadReport(const std::string& path, const ReportOptions& options = {});

// The same, keeping the trace beside its report (a comparison of runs reads both).
struct LoadedRun {
    Trace trace;
    std::optional<Report> report;  // empty when the file could not be read at all
    std::string error;             // one line, when report is empty
    std::vector<std::string> warnings;
};

LoadedRun loadRun(const std::string& path, const ReportOptions& options = {});

}  // namespace gaplens
