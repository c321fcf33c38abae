#include "core/analysis/LaunchLatency.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace gaplens {

TimeNs percentileSorted(const std::vector<TimeNs>& sorted, double p) {
    if (sorted.empty()) return 0;
    // Nearest rank: the smallest value with at least p% of the values at or below it.
    size_t rank = size_t(std::ceil(p / 100.0 * double(sorted.size())));
    rank = std::clamp<size_t>(rank, 1, sorted.size());
    return sorted[rank - 1];
}

namespace {

constexpr TimeNs kOutlierMinNs = 50'000;  // an outlier must also cost at least 50 us
constexpr double kOutlierFactor = 4.0;
constexpr size_t kMaxOutliers = 20;

struct Sample {
    TimeNs latency, queue, dispatch, launchStart, gpuStart;
    int device;
};

}  // namespace

LaunchLatency computeLaunchLatency(const Trace& trace) {
    LaunchLatency out;
    std::vector<int32_t> groupOf(trace.strings.size(), -1);
    std::vector<StringId> groupName;
    std::vector<std::vector<Sample>> groups;
    for (const Track& t : trace.tracks) {
        if (!t.isGpu()) continue;
        TimeNs streamBusyUntil = std::numeric_limits<TimeNs>::min();  // end of earlier work on this stream
        for (uint32_t i = 0; i < t.size(); ++i) {
            if (!isGpuWork(t.kind[i])) continue;
            const EventRef launch = t.link[i];
            const TimeNs prevEnd = streamBusyUntil;
            streamBusyUntil = std::max(streamBusyUntil, t.end(i));
            if (!launch.valid()) continue;
            const TimeNs apiStart = trace.start(launch);
            const TimeNs latency = std::max<TimeNs>(0, t.start[i] - apiStart);
            // Queue wait: the part of the latency during which the stream was still busy.
            const TimeNs queue = prevEnd > apiStart ? std::min(prevEnd - apiStart, latency) : 0;
            int32_t& g = groupOf[t.nameId[i]];
            if (g < 0) {
                g = int32_t(groups.size());
                groups.emplace_back();
                groupName.push_back(t.nameId[i]);
            }
            groups[size_t(g)].push_back({latency, queue, latency - queue, apiStart, t.start[i], t.device});
        }
    }
    std::vector<TimeNs> all, allQueue, allDispatch, lat, q, disp;
    for (size_t g = 0; g < groups.size(); ++g) {
        const auto& samples = groups[g];
        lat.clear();
        q.clear();
        disp.clear();
        for (const Sample& s : samples) {
            lat.push_back(s.latency);
            q.push_back(s.queue);
            disp.push_back(s.dispatch);
            out.queueTotalNs += s.queue;
        }
        all.insert(all.end(), lat.begin(), lat.end());
        allQueue.insert(allQueue.end(), q.begin(), q.end());
        allDispatch.insert(allDispatch.end(), disp.begin(), disp.end());
        std::sort(lat.begin(), lat.end());
        std::sort(q.begin(), q.end());
        std::sort(disp.begin(), disp.end());
        KernelLatency k;
        k.kernel = std::string(trace.strings.str(groupName[g]));
        k.count = int64_t(samples.size());
        k.p50Ns = percentileSorted(lat, 50);
        k.p90Ns = percentileSorted(lat, 90);
        k.maxNs = lat.back();
        k.queueP50Ns = percentileSorted(q, 50);
        k.dispatchP50Ns = percentileSorted(disp, 50);
        out.perKernel.push_back(std::move(k));
    }
    std::sort(all.begin(), all.end());
    std::sort(allQueue.begin(), allQueue.end());
    std::sort(allDispatch.begin(), allDispatch.end());
    out.count = int64_t(all.size());
    out.p50Ns = percentileSorted(all, 50);
    out.queueP50Ns = percentileSorted(allQueue, 50);
    out.dispatchP50Ns = percentileSorted(allDispatch, 50);

    // Outliers: far above their kernel's median (or the overall median for names seen < 3 times).
    for (size_t g = 0; g < groups.size(); ++g) {
        const KernelLatency& k = out.perKernel[g];
        const TimeNs ref = k.count >= 3 ? k.p50Ns : out.p50Ns;
        for (const Sample& s : groups[g]) {
            if (s.latency < kOutlierMinNs || double(s.latency) <= kOutlierFactor * double(ref)) continue;
            out.outliers.push_back({k.kernel, s.device, s.launchStart, s.gpuStart, s.latency, s.queue, s.dispatch});
        }
    }
    std::sort(out.outliers.begin(), out.outliers.end(), [](const LaunchOutlier& a, const LaunchOutlier& b) {
        return a.latencyNs != b.latencyNs ? a.latencyNs > b.latencyNs : a.gpuStartNs < b.gpuStartNs;
    });
    if (out.outliers.size() > kMaxOutliers) out.outliers.resize(kMaxOutliers);
    std::stable_sort(out.perKernel.begin(), out.perKernel.end(), [](const KernelLatency& a, const KernelLatency& b) {
        return a.count != b.count ? a.count > b.count : a.kernel < b.kernel;
    });
    return out;
}

}  // namespace gaplens
