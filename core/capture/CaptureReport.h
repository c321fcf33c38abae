#pragma once
// The verdict line printed after each capture. It re-imports the trace just written, so it shows
// exactly what a later `gaplens report` shows (core/report's buildReport and formatVerdictLine).
#include <string>
#include <vector>

namespace gaplens::capture {

// Prints "<label>: <verdict>" (or just the verdict) to stdout. Returns false when the file could
// not be read (the reason goes to stderr).
bool printTraceVerdict(const std::string& path, const std::string& label);

// Several traces of one capture (a launcher's ranks, or processes it started): "<file>: <verdict>"
// for each, then "job: <verdict>" when they are the ranks of one job. False when none could be read.
bool printJobVerdict(const std::vector<std::string>& paths);

}  // namespace gaplens::capture
