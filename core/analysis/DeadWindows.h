#pragma once
// Analysis 5: the dead window of each user-range instance: the GPU idle time between the range
// start and the start of the first GPU work launched inside it. When the GPU is still busy with
// earlier work at the range start, the wait is queueing, not a dead window (`queued`, dur counts
// only the idle part). Breakdown: host time before the first launch, launch-to-start latency,
// one-time calls inside. Cold: dur > 2x the steady median of the same range name and > 50 us.
#include <cstdint>
#include <string>
#include <vector>

#include "core/analysis/GpuBusy.h"
#include "core/model/Trace.h"

namespace gaplens {

struct DeadWindow {
    std::string range;
    EventRef rangeEvent;
    int instance = 0;            // 0-based instance number among ranges of this name
    TimeNs rangeStartNs = 0;
    TimeNs rangeDurNs = 0;
    bool hasGpuWork = false;     // false: nothing launched inside (dur etc. are 0)
    int device = 0;
    TimeNs startNs = 0;          // = rangeStartNs
    TimeNs durNs = 0;            // GPU idle time from range start to first GPU work start
    TimeNs firstLaunchNs = 0;    // start of the first launch call inside the range
    TimeNs firstGpuStartNs = 0;
    TimeNs hostNs = 0;           // range start -> first launch call start
    TimeNs launchNs = 0;         // first launch call start -> GPU start
    TimeNs oneTimeNs = 0;        // time of one-time calls / module loading inside the host part
    TimeNs unrecordedNs = 0;     // host part that no event on the range's thread covers
    std::vector<std::string> oneTimeCalls;  // "cudaMalloc x4 (0.53 ms)", "Lazy Function Loading x2 (...)"
    bool queued = false;         // the GPU was busy at range start
    bool cold = false;
};

struct DeadWindows {
    std::vector<DeadWindow> windows;  // in range start order
};

struct HostActivity;
DeadWindows computeDeadWindows(const Trace& trace, const GpuBusy& busy, const HostActivity& host);

// Median of the dead windows (with GPU work) of one range name; 0 when none.
TimeNs steadyDeadWindowMedian(const DeadWindows& dead, const std::string& range);

}  // namespace gaplens
