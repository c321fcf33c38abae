#include "core/analysis/CpuTime.h"

#include <algorithm>
#include <limits>
#include <vector>

#include "core/analysis/GpuBusy.h"

namespace gaplens {

namespace {

// The intervals of `set` inside [from, to), clipped.
std::vector<TimeInterval> clippedIntervals(const IntervalSet& set, TimeNs from, TimeNs to) {
    std::vector<TimeInterval> out;
    for (size_t i = set.firstEndingAfter(from); i < set.size() && set.start(i) < to; ++i)
        out.push_back({std::max(from, set.start(i)), std::min(to, set.end(i))});
    return out;
}

// Length of the union of sorted lists.
TimeNs unionLength(std::vector<std::vector<TimeInterval>>& lists) {
    std::vector<TimeInterval> all, merged;
    for (auto& l : lists) {
        merged.resize(all.size() + l.size());
        std::merge(all.begin(), all.end(), l.begin(), l.end(), merged.begin(),
                   [](const TimeInterval& x, const TimeInterval& y) { return x.start < y.start; });
        all.swap(merged);
    }
    TimeNs sum = 0, cursor = std::numeric_limits<TimeNs>::min();
    for (const TimeInterval& x : all) {
        const TimeNs s = std::max(x.start, cursor);
        if (x.end > s) sum += x.end - s;
        cursor = std::max(cursor, x.end);
    }
    return sum;
}

}  // namespace

CpuTime cpuTimeIn(const HostActivity& host, std::span<const uint32_t> tracks, TimeNs from, TimeNs to) {
    CpuTime out;
    if (to <= from) return out;
    std::vector<const ThreadActivity*> threads;
    for (const uint32_t t : tracks)
        if (const ThreadActivity* th = host.thread(t); th && std::find(threads.begin(), threads.end(), th) == threads.end())
            threads.push_back(th);
    if (threads.size() == 1) {
        // Blocking calls are events of the thread: inside its busy time.
        out.busyNs = threads[0]->any.covered(from, to);
        out.blockedNs = std::min(out.busyNs, threads[0]->blocked.covered(from, to));
        return out;
    }
    std::vector<std::vector<TimeInterval>> busy, working;
    for (const ThreadActivity* th : threads) {
        busy.push_back(clippedIntervals(th->any, from, to));
        working.push_back(subtractIntervals(busy.back(), clippedIntervals(th->blocked, from, to)));
    }
    out.busyNs = unionLength(busy);
    out.blockedNs = out.busyNs - unionLength(working);
    return out;
}

}  // namespace gaplens
