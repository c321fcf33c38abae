#pragma once
// The GPU work one launch call started, read from the host side: the op its launch link names
// and, for a CUDA graph launch (one call, many kernels sharing its correlation id), the ops that
// follow that op on its stream with the same id. Window choice and the bound verdict weigh the
// work launched inside a range or an iteration with it, sweeping each thread's calls in time order
// (no copy of the launches is made: on a trace of millions of launches that memory costs more
// than the sweep).
#include <cstdint>

#include "core/model/Trace.h"

namespace gaplens {

struct LaunchedWork {
    TimeNs gpuNs = 0;   // GPU time of the ops
    TimeNs endNs = 0;   // when the last of them ended
    int device = -1;    // their device; -1 when the call launched nothing recorded
};

LaunchedWork launchedWorkOf(const Trace& trace, EventRef call);

// Calls `visit(EventRef call)` for every launch call (an API call with a launch link) of CPU
// thread `track` that starts in [from, to), in start order.
template <class Visit>
void forEachLaunchIn(const Trace& trace, uint32_t track, TimeNs from, TimeNs to, Visit&& visit) {
    const Track& t = trace.tracks[track];
    if (t.trackKind != TrackKind::CpuThread) return;
    size_t lo = 0, hi = t.size();
    while (lo < hi) {  // first event starting at or after `from`
        const size_t mid = lo + (hi - lo) / 2;
        if (t.start[mid] < from) lo = mid + 1;
        else hi = mid;
    }
    for (size_t i = lo; i < t.size() && t.start[i] < to; ++i)
        if (isApiCall(t.kind[i]) && t.link[i].valid()) visit(EventRef{track, uint32_t(i)});
}

}  // namespace gaplens
