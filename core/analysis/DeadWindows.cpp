#include "core/analysis/DeadWindows.h"

#include <algorithm>
#include <functional>
#include <limits>

#include "core/analysis/HostActivity.h"
#include "core/analysis/Prefault.h"

namespace gaplens {

namespace {

constexpr TimeNs kColdMinExcessNs = 50'000;  // cold: > 2x the steady median and > 50 us above it

TimeNs medianOf(std::vector<TimeNs> v) {
    if (v.empty()) return 0;
    const size_t mid = v.size() / 2;
    std::nth_element(v.begin(), v.begin() + long(mid), v.end());
    if (v.size() % 2) return v[mid];
    const TimeNs hi = v[mid];
    const TimeNs lo = *std::max_element(v.begin(), v.begin() + long(mid));
    return lo + (hi - lo) / 2;
}

// One user range, in the order the tracks hold them (thread by thread, start order).
struct RangeRef {
    TimeNs start, dur;
    uint32_t track, index;
};

// Positions of `ranges` in (start ascending, longer first) order. Each thread's ranges come in
// that order already, so a merge of the threads' runs gives it; where two ranges tie on both
// (nothing decides between them), std::sort over the keys decides as it always did.
std::vector<uint32_t> rangeOrder(const std::vector<RangeRef>& ranges, const std::vector<size_t>& runStarts) {
    const auto before = [&](uint32_t a, uint32_t b) {
        return ranges[a].start != ranges[b].start ? ranges[a].start < ranges[b].start : ranges[a].dur > ranges[b].dur;
    };
    std::vector<uint32_t> order, merged;
    reservePrefaulted(order, ranges.size());
    order.resize(ranges.size());
    for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::vector<size_t> runs = runStarts;
    runs.push_back(ranges.size());
    bool runsSorted = true;
    for (size_t r = 0; r + 1 < runs.size() && runsSorted; ++r)
        runsSorted = std::is_sorted(order.begin() + long(runs[r]), order.begin() + long(runs[r + 1]), before);
    if (runsSorted && runs.size() > 2) {
        reservePrefaulted(merged, order.size());
        merged.resize(order.size());
        while (runs.size() > 2) {  // merge neighbouring runs until one is left
            std::vector<size_t> next;
            for (size_t r = 0; r + 1 < runs.size(); r += 2) {
                next.push_back(runs[r]);
                const size_t mid = runs[r + 1], end = r + 2 < runs.size() ? runs[r + 2] : mid;
                std::merge(order.begin() + long(runs[r]), order.begin() + long(mid), order.begin() + long(mid),
                           order.begin() + long(end), merged.begin() + long(runs[r]), before);
            }
            next.push_back(ranges.size());
            order.swap(merged);
            runs = std::move(next);
        }
    }
    bool ties = !runsSorted;
    for (size_t i = 1; i < order.size() && !ties; ++i) ties = !before(order[i - 1], order[i]);
    if (ties) {
        // What the sort of the windows gave: the same comparisons on the same sequence.
        for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
        std::sort(order.begin(), order.end(), before);
    }
    return order;
}

}  // namespace

DeadWindows computeDeadWindows(const Trace& trace, const GpuBusy& busy, const HostActivity& host) {
    DeadWindows out;
    // The ranges, and each one's instance number among ranges of its name (in track order).
    std::vector<RangeRef> ranges;
    std::vector<size_t> runStarts;
    std::vector<int> instancesOf(trace.strings.size(), 0);
    std::vector<int> instance;
    size_t rangeCount = 0;
    for (const Track& t : trace.tracks)
        if (t.trackKind == TrackKind::CpuThread)
            for (uint32_t r = 0; r < t.size(); ++r) rangeCount += t.kind[r] == EventKind::UserRange;
    reservePrefaulted(ranges, rangeCount);
    reservePrefaulted(instance, rangeCount);
    for (uint32_t ti = 0; ti < trace.tracks.size(); ++ti) {
        const Track& t = trace.tracks[ti];
        if (t.trackKind != TrackKind::CpuThread) continue;
        runStarts.push_back(ranges.size());
        for (uint32_t r = 0; r < t.size(); ++r) {
            if (t.kind[r] != EventKind::UserRange) continue;
            ranges.push_back({t.start[r], t.dur[r], ti, r});
            instance.push_back(instancesOf[t.nameId[r]]++);
        }
    }
    const std::vector<uint32_t> order = rangeOrder(ranges, runStarts);

    // The windows in their final order. Each thread's ranges come in time order, so the searches
    // per thread and per device sweep forward from where the previous window left them.
    std::vector<ThreadCursor> threadCursors(host.threads.size());
    std::vector<size_t> busyCursors(busy.devices.size(), 0);
    std::vector<int32_t> groupOfName(trace.strings.size(), -1);
    std::vector<uint32_t> groupOfWindow;  // per window, its name's group (for the medians)
    std::vector<std::vector<TimeNs>> durations;
    reservePrefaulted(out.windows, order.size());
    reservePrefaulted(groupOfWindow, order.size());
    for (const uint32_t k : order) {
        const RangeRef& range = ranges[k];
        const uint32_t ti = range.track, r = range.index;
        const Track& t = trace.tracks[ti];
        const ThreadActivity* th = host.thread(ti);
        DeadWindow& w = out.windows.emplace_back();
        const StringId name = t.nameId[r];
        w.rangeEvent = EventRef{ti, r};
        w.instance = instance[k];
        w.rangeStartNs = w.startNs = t.start[r];
        w.rangeDurNs = t.dur[r];
        const TimeNs rangeEnd = t.end(r);
        // The first GPU work launched inside the range: scan launches in start order; a later
        // launch cannot start on the GPU before it was launched, which bounds the scan.
        EventRef bestWork, bestLaunch;
        TimeNs bestGpuStart = std::numeric_limits<TimeNs>::max();
        for (uint32_t i = r + 1; i < t.size() && t.start[i] < rangeEnd && t.start[i] < bestGpuStart; ++i) {
            if (!isApiCall(t.kind[i]) || !t.link[i].valid()) continue;
            const TimeNs gs = trace.start(t.link[i]);
            if (gs < bestGpuStart) {
                bestGpuStart = gs;
                bestWork = t.link[i];
                bestLaunch = EventRef{ti, i};
            }
        }
        if (int32_t& g = groupOfName[name]; g < 0) {
            g = int32_t(durations.size());
            reservePrefaulted(durations.emplace_back(), size_t(instancesOf[name]));
            out.rangeNames.emplace_back(trace.strings.str(name));
        }
        w.rangeName = uint32_t(groupOfName[name]);
        groupOfWindow.push_back(w.rangeName);
        if (!bestWork.valid()) continue;
        w.hasGpuWork = true;
        w.device = trace.tracks[bestWork.track].device;
        w.firstLaunchNs = trace.start(bestLaunch);
        w.firstGpuStartNs = bestGpuStart;
        w.hostNs = std::max<TimeNs>(0, w.firstLaunchNs - w.rangeStartNs);
        w.launchNs = std::max<TimeNs>(0, bestGpuStart - w.firstLaunchNs);
        auto dev = std::find_if(busy.devices.begin(), busy.devices.end(),
                                [&](const DeviceBusy& d) { return d.device == w.device; });
        if (dev != busy.devices.end()) {
            // Time before the analysed window (unknown) is not dead; busy time is queueing.
            size_t& hint = busyCursors[size_t(dev - busy.devices.begin())];
            const TimeNs from = std::max(w.rangeStartNs, dev->windowStartNs);
            w.queued = busyTimeIn(*dev, w.rangeStartNs, w.rangeStartNs + 1, hint) > 0;
            if (bestGpuStart > from) w.durNs = (bestGpuStart - from) - busyTimeIn(*dev, from, bestGpuStart, hint);
        }
        if (th) {
            ThreadCursor& cur = threadCursors[size_t(th - host.threads.data())];
            w.oneTimeNs = th->oneTime.covered(w.rangeStartNs, w.firstLaunchNs, cur.oneTime);
            w.unrecordedNs = unrecordedHostTime(*th, host, w.rangeStartNs, w.firstLaunchNs, cur);
        }
        // The thread's one-time set holds its one-time events and every overhead event: when it
        // covers nothing of the host part, no call is there to name (most windows, once warm).
        const bool mayHoldOneTime = !th || w.oneTimeNs > 0;
        if (mayHoldOneTime)
            for (const OneTimeItem& item : oneTimeItemsIn(trace, th, host, w.rangeStartNs, w.firstLaunchNs)) {
                out.oneTimeCallWindow.push_back(uint32_t(out.windows.size() - 1));
                out.oneTimeCallTexts.push_back(formatOneTimeItem(item));
            }
        durations[groupOfWindow.back()].push_back(w.durNs);
    }
    // Cold: far above the steady median of the same range name.
    std::vector<TimeNs> median(durations.size());
    for (size_t g = 0; g < durations.size(); ++g) median[g] = medianOf(std::move(durations[g]));
    for (size_t i = 0; i < out.windows.size(); ++i) {
        DeadWindow& w = out.windows[i];
        if (!w.hasGpuWork) continue;
        const TimeNs m = median[groupOfWindow[i]];
        w.cold = w.durNs > 2 * m && w.durNs - m > kColdMinExcessNs;
    }
    return out;
}

TimeNs steadyDeadWindowMedian(const DeadWindows& dead, const std::string& range) {
    const auto name = std::find(dead.rangeNames.begin(), dead.rangeNames.end(), range);
    const uint32_t id = uint32_t(name - dead.rangeNames.begin());
    std::vector<TimeNs> v;
    for (const DeadWindow& w : dead.windows)
        if (w.hasGpuWork && w.rangeName == id) v.push_back(w.durNs);
    return medianOf(std::move(v));
}

std::span<const std::string> DeadWindows::oneTimeCallsOf(size_t windowIndex) const {
    const auto [first, last] = std::equal_range(oneTimeCallWindow.begin(), oneTimeCallWindow.end(), windowIndex);
    return {oneTimeCallTexts.data() + (first - oneTimeCallWindow.begin()), size_t(last - first)};
}

std::span<const std::string> DeadWindows::oneTimeCallsOf(const DeadWindow& w) const {
    const std::less<const DeadWindow*> before;
    if (before(&w, windows.data()) || !before(&w, windows.data() + windows.size())) return {};
    return oneTimeCallsOf(size_t(&w - windows.data()));
}

}  // namespace gaplens
