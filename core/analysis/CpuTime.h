#pragma once
// CPU time of an analysed window (DESIGN "CPU time"): the union, over the threads that launch the
// window's GPU work, of their busy time (covered by any recorded event), minus the time they were
// blocked in synchronizing calls (cuda*Synchronize, blocking copies, calls a `cuda_sync` record
// names: HostActivity's blocking calls). A host that waits for the GPU is not spending CPU time
// on the work; counting the wait would make a compute-bound step with a per-step `.item()` read
// "GPU time / CPU time 0.4". Time where one thread waits while another works counts as CPU time.
#include <cstdint>
#include <span>

#include "core/analysis/HostActivity.h"
#include "core/model/Trace.h"

namespace gaplens {

struct CpuTime {
    TimeNs busyNs = 0;     // union of the threads' recorded events
    TimeNs blockedNs = 0;  // part of busyNs where every busy thread was blocked in a sync
    TimeNs cpuNs() const { return busyNs - blockedNs; }
};

// Over the CPU threads `tracks` (track indices; others are ignored), inside [from, to).
CpuTime cpuTimeIn(const HostActivity& host, std::span<const uint32_t> tracks, TimeNs from, TimeNs to);

}  // namespace gaplens
