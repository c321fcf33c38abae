#pragma once
// Everything the timeline knows about one slice, for a details view and the tooltip: name, times,
// args, and the event linked to it by correlation (launch call <-> kernel) with the launch latency.
#include <string>

#include "core/model/TimeText.h"  // formatDuration
#include "core/model/Trace.h"

namespace gaplens {

struct SliceDetails {
    EventRef event;
    std::string name;
    std::string category;
    std::string kind;        // eventKindName
    std::string track;       // "pid 123 / thread 7" or "GPU 0 / stream 7"
    TimeNs startNs = 0;
    TimeNs durNs = 0;
    int depth = 0;
    std::string args;        // compact JSON object text, empty when none
    EventRef linked;         // launch call <-> GPU activity (invalid when none)
    std::string linkedName;
    TimeNs launchLatencyNs = -1;  // GPU start - launch call start, -1 when not a linked pair

    std::string toText() const;  // multi-line, as the tooltip shows it
};

SliceDetails describeSlice(const Trace& trace, EventRef event);

}  // namespace gaplens
