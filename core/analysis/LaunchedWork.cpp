#include "core/analysis/LaunchedWork.h"

#include <algorithm>

namespace gaplens {

LaunchedWork launchedWorkOf(const Trace& trace, EventRef call) {
    LaunchedWork w;
    const EventRef first = trace.linked(call);
    if (!first.valid()) return w;
    const Track& g = trace.tracks[first.track];
    const int64_t correlation = g.correlation[first.index];
    w.device = g.device;
    for (size_t i = first.index; i < g.size(); ++i) {
        if (i != first.index && g.correlation[i] != correlation) break;
        if (!isGpuWork(g.kind[i])) continue;
        w.gpuNs += g.dur[i];
        w.endNs = std::max(w.endNs, g.end(i));
    }
    return w;
}

}  // namespace gaplens
