#pragma once
// The lanes of the timeline, top to bottom: per process a group header, its CPU threads, then per
// GPU device its streams, a busy % lane and a gaps lane (gaps by cause above, dead windows below).
// The files of a job (ranks, core/analysis/JobRanks.h) get one group per rank instead, headed
// "rank 0 · GPU 0 · python (606)", holding all of that rank's processes.
#include <string>
#include <vector>

#include "core/model/Trace.h"

namespace gaplens {

enum class LaneKind : uint8_t { GroupHeader, Slices, Busy, Gaps };

struct Lane {
    LaneKind kind = LaneKind::Slices;
    uint32_t process = 0;              // the group's process (a rank's group: its first process)
    uint32_t track = EventRef::kNone;  // Slices lanes
    int device = -1;                   // Busy / Gaps lanes, and GPU stream lanes
    std::string name;
};

// Processes with CPU threads first, then the GPU ones; inside a group threads by sort index and tid,
// devices in order, streams by id. With gpuFirst the GPU lanes come first instead: processes with GPU
// streams before the others, and inside a group the devices (streams, busy, gaps) before the threads,
// so that a trace with many CPU threads still shows its GPUs at the top.
std::vector<Lane> buildLanes(const Trace& trace, bool gpuFirst = false);

}  // namespace gaplens
