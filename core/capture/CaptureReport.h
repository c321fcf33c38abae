#pragma once
// The verdict line printed after each capture. It re-imports the trace just written (so it shows
// exactly what a later `gaplens report` shows) and uses core/report's buildReport/formatVerdictLine
// where that is built in; otherwise it falls back to CaptureVerdict on the file's records.
#include <string>
#include <vector>

#include "core/capture/CaptureData.h"

namespace gaplens::capture {

// Prints "<label>: <verdict>" (or just the verdict) to stdout. Returns false when the file could not be read.
bool printTraceVerdict(const std::string& path, const std::string& label);

// Several traces of one capture (a launcher's ranks, or processes it started): "<file>: <verdict>"
// for each, then "job: <verdict>" when they are the ranks of one job. False when none could be read.
bool printJobVerdict(const std::vector<std::string>& paths);

// Reads a gaplens/Kineto trace file back into capture records (ranges, API calls, GPU work), for
// the fallback verdict and for tests. "" or a one-line error.
std::string loadCaptureFile(const std::string& path, CaptureData& data);

}  // namespace gaplens::capture
