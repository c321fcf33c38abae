#include "core/analysis/DeadWindows.h"

#include <algorithm>
#include <unordered_map>

#include "core/analysis/HostActivity.h"

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

}  // namespace

DeadWindows computeDeadWindows(const Trace& trace, const GpuBusy& busy, const HostActivity& host) {
    DeadWindows out;
    std::unordered_map<StringId, int> instancesOf;
    for (uint32_t ti = 0; ti < trace.tracks.size(); ++ti) {
        const Track& t = trace.tracks[ti];
        if (t.trackKind != TrackKind::CpuThread) continue;
        const ThreadActivity* th = host.thread(ti);
        for (uint32_t r = 0; r < t.size(); ++r) {
            if (t.kind[r] != EventKind::UserRange) continue;
            DeadWindow w;
            w.range = std::string(trace.strings.str(t.nameId[r]));
            w.rangeEvent = EventRef{ti, r};
            w.instance = instancesOf[t.nameId[r]]++;
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
            if (bestWork.valid()) {
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
                    const TimeNs from = std::max(w.rangeStartNs, dev->windowStartNs);
                    if (bestGpuStart > from) w.durNs = (bestGpuStart - from) - busyTimeIn(*dev, from, bestGpuStart);
                    w.queued = busyTimeIn(*dev, w.rangeStartNs, w.rangeStartNs + 1) > 0;
                }
                if (th) {
                    w.oneTimeNs = th->oneTime.covered(w.rangeStartNs, w.firstLaunchNs);
                    w.unrecordedNs = unrecordedHostTime(*th, host, w.rangeStartNs, w.firstLaunchNs);
                }
                for (const OneTimeItem& item : oneTimeItemsIn(trace, th, host, w.rangeStartNs, w.firstLaunchNs))
                    w.oneTimeCalls.push_back(formatOneTimeItem(item));
            }
            out.windows.push_back(std::move(w));
        }
    }
    std::sort(out.windows.begin(), out.windows.end(), [](const DeadWindow& a, const DeadWindow& b) {
        return a.rangeStartNs != b.rangeStartNs ? a.rangeStartNs < b.rangeStartNs : a.rangeDurNs > b.rangeDurNs;
    });
    std::unordered_map<std::string_view, std::vector<TimeNs>> durations;
    for (const DeadWindow& w : out.windows)
        if (w.hasGpuWork) durations[w.range].push_back(w.durNs);
    std::unordered_map<std::string_view, TimeNs> median;
    for (auto& [name, v] : durations) median[name] = medianOf(std::move(v));
    for (DeadWindow& w : out.windows) {
        if (!w.hasGpuWork) continue;
        const TimeNs m = median[w.range];
        w.cold = w.durNs > 2 * m && w.durNs - m > kColdMinExcessNs;
    }
    return out;
}

TimeNs steadyDeadWindowMedian(const DeadWindows& dead, const std::string& range) {
    std::vector<TimeNs> v;
    for (const DeadWindow& w : dead.windows)
        if (w.hasGpuWork && w.range == range) v.push_back(w.durNs);
    return medianOf(std::move(v));
}

}  // namespace gaplens
