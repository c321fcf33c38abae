#pragma once
// The one-line verdict printed after a capture, computed straight from the records (the full
// analyses live in core/analysis and core/report; this is the CLI's fallback when those are not
// built in). Definitions follow DESIGN.md: busy = union of GPU work over the recorded window;
// dead window = GPU idle time between a range's start and the first GPU work launched inside it;
// bound class from busy %: < 50 overhead-bound, > 90 compute-bound, else mixed.
#include <string>

#include "core/capture/CaptureData.h"

namespace gaplens::capture {

struct CaptureVerdict {
    double windowUs = 0;        // first to last event
    double busyUs = 0;          // union of GPU work
    double busyPct = 0;
    int ranges = 0;             // range instances with GPU work launched inside
    double coldDeadUs = -1;     // the first instance's dead window (-1: none)
    double steadyDeadUs = -1;   // median of the other instances (-1: none)
    double stepUs = 0;          // median range duration (host time per step)
    std::string boundClass;     // overhead-bound, mixed, compute-bound, or idle
};

CaptureVerdict computeVerdict(const CaptureData& data, const std::string& rangeName = "");
// "busy 12.3%, dead window cold 3.21 ms / steady 8.1 µs, overhead-bound"
std::string formatVerdict(const CaptureVerdict& verdict);
// Durations as a person reads them: "812 ns", "8.1 µs", "3.21 ms", "1.52 s".
std::string formatDurationUs(double us);

}  // namespace gaplens::capture
