#pragma once
// Analysis 5: the dead window of each user-range instance: the GPU idle time between the range
// start and the start of the first GPU work launched inside it. When the GPU is still busy with
// earlier work at the range start, the wait is queueing, not a dead window (`queued`, dur counts
// only the idle part). Breakdown: host time before the first launch, launch-to-start latency,
// one-time calls inside. Cold: dur > 2x the steady median of the same range name and > 50 us.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/analysis/GpuBusy.h"
#include "core/model/Trace.h"

namespace gaplens {

struct DeadWindow {
    uint32_t rangeName = 0;      // index into DeadWindows::rangeNames
    int instance = 0;            // 0-based instance number among ranges of this name
    EventRef rangeEvent;
    int device = 0;
    bool hasGpuWork = false;     // false: nothing launched inside (dur etc. are 0)
    bool queued = false;         // the GPU was busy at range start
    bool cold = false;
    TimeNs rangeStartNs = 0;
    TimeNs rangeDurNs = 0;
    TimeNs startNs = 0;          // = rangeStartNs
    TimeNs durNs = 0;            // GPU idle time from range start to first GPU work start
    TimeNs firstLaunchNs = 0;    // start of the first launch call inside the range
    TimeNs firstGpuStartNs = 0;
    TimeNs hostNs = 0;           // range start -> first launch call start
    TimeNs launchNs = 0;         // first launch call start -> GPU start
    TimeNs oneTimeNs = 0;        // time of one-time calls / module loading inside the host part
    TimeNs unrecordedNs = 0;     // host part that no event on the range's thread covers
};
// A trace can have a million range instances: names and one-time calls live beside the windows
// (DeadWindows), which keeps each window at a fixed, small size.
static_assert(sizeof(DeadWindow) <= 104);

struct DeadWindows {
    std::vector<DeadWindow> windows;      // in range start order
    std::vector<std::string> rangeNames;  // each range name once, in order of first appearance
    // The one-time calls inside windows' host parts ("cudaMalloc x4 (0.53 ms)", "Lazy Function
    // Loading x2 (...)"), grouped by window in window order: oneTimeCallWindow[k] is the index of
    // the window that oneTimeCallTexts[k] belongs to.
    std::vector<uint32_t> oneTimeCallWindow;
    std::vector<std::string> oneTimeCallTexts;

    const std::string& rangeNameOf(const DeadWindow& w) const { return rangeNames[w.rangeName]; }
    // The one-time calls of windows[windowIndex], in time order; empty for most windows.
    std::span<const std::string> oneTimeCallsOf(size_t windowIndex) const;
    // The one-time calls of a window held in `windows` (by address); empty for any other.
    std::span<const std::string> oneTimeCallsOf(const DeadWindow& w) const;
};

struct HostActivity;
DeadWindows computeDeadWindows(const Trace& trace, const GpuBusy& busy, const HostActivity& host);

// Median of the dead windows (with GPU work) of one range name; 0 when none.
TimeNs steadyDeadWindowMedian(const DeadWindows& dead, const std::string& range);

}  // namespace gaplens
