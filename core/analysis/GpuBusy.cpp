#include "core/analysis/GpuBusy.h"

#include <algorithm>


namespace gaplens {

namespace {

// Merges intervals sorted by start into a disjoint sorted list.
void appendMerged(std::vector<TimeInterval>& out, TimeNs s, TimeNs e) {
    if (!out.empty() && s <= out.back().end) {
        out.back().end = std::max(out.back().end, e);
        return;
    }
    out.push_back({s, e});
}

std::vector<TimeInterval> unionOf(const std::vector<TimeInterval>& a, const std::vector<TimeInterval>& b) {
    std::vector<TimeInterval> out;
    out.reserve(a.size() + b.size());
    size_t i = 0, j = 0;
    while (i < a.size() || j < b.size()) {
        const TimeInterval& x = (j == b.size() || (i < a.size() && a[i].start <= b[j].start)) ? a[i++] : b[j++];
        appendMerged(out, x.start, x.end);
    }
    return out;
}

}  // namespace

GpuBusy computeGpuBusy(const Trace& trace) {
    GpuBusy result;
    for (int device : trace.devices()) {
        DeviceBusy d;
        d.device = device;
        TimeNs firstStart = 0;
        bool any = false, firstLinked = false;
        std::vector<TimeInterval> merged;
        for (uint32_t ti = 0; ti < trace.tracks.size(); ++ti) {
            const Track& t = trace.tracks[ti];
            if (!t.isGpu() || t.device != device) continue;
            std::vector<TimeInterval> stream;  // this stream's work, merged (sorted by start already)
            for (uint32_t i = 0; i < t.size(); ++i) {
                const EventKind k = t.kind[i];
                if (!isGpuWork(k)) continue;
                if (k == EventKind::Kernel) {
                    ++d.kernels;
                    d.kernelNs += t.dur[i];
                } else if (k == EventKind::Memcpy) {
                    ++d.memcpys;
                } else {
                    ++d.memsets;
                }
                // Earliest GPU op of the device; on a tie, a linked one wins (its time is known).
                const bool linked = t.link[i].valid();
                if (!any || t.start[i] < firstStart || (t.start[i] == firstStart && linked && !firstLinked)) {
                    firstStart = t.start[i];
                    firstLinked = linked;
                    any = true;
                }
                appendMerged(stream, t.start[i], t.end(i));
            }
            merged = merged.empty() ? std::move(stream) : unionOf(merged, stream);
        }
        d.windowStartNs = trace.beginNs();
        d.windowEndNs = trace.endNs();
        // The trap: the profiling window opened while the GPU ran work launched before it. The
        // time before that first op is unknown, not idle.
        if (any && !firstLinked && firstStart > d.windowStartNs) {
            d.unknownNs = firstStart - d.windowStartNs;
            d.windowStartNs = firstStart;
        }
        TimeNs cursor = d.windowStartNs;
        for (const TimeInterval& b : merged) {
            const TimeNs s = std::max(b.start, d.windowStartNs), e = std::min(b.end, d.windowEndNs);
            if (e <= s) continue;
            if (s > cursor) d.idle.push_back({cursor, s});
            d.busyNs += e - s;
            cursor = std::max(cursor, e);
        }
        if (d.windowEndNs > cursor) d.idle.push_back({cursor, d.windowEndNs});
        d.busy = std::move(merged);
        d.idleNs = (d.windowEndNs - d.windowStartNs) - d.busyNs;
        result.devices.push_back(std::move(d));
    }
    return result;
}

TimeNs busyTimeIn(const DeviceBusy& device, TimeNs from, TimeNs to) {
    if (to <= from) return 0;
    const auto& b = device.busy;
    auto it = std::upper_bound(b.begin(), b.end(), from, [](TimeNs t, const TimeInterval& x) { return t < x.end; });
    TimeNs sum = 0;
    for (; it != b.end() && it->start < to; ++it) sum += std::min(it->end, to) - std::max(it->start, from);
    return sum;
}

}  // namespace gaplens
