#pragma once
// The verdict line printed after each capture. It re-imports the trace just written (so it shows
// exactly what a later `gaplens report` shows) and uses core/report's buildReport/formatVerdictLine
// where that is built in; otherwise it falls back to CaptureVerdict on the file's records.
#include <string>

#include "core/capture/CaptureData.h"

namespace gaplens::capture {

// Prints "<label>: <verdict>" (or just the verdict) to stdout. Returns false when the file could not be read.
bool printTraceVerdict(const std::string& path, const std::string& label);

// Reads a gaplens/Kineto trace file back into capture records (ranges, API calls, GPU work), for
// the fallback verdict and for tests. "" or a one-line error.
std::string loadCaptureFile(const std::string& path, CaptureData& data);

}  // namespace gaplens::capture
