#include "core/analysis/LaunchLatency.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <utility>

#include "core/analysis/Percentiles.h"
#include "core/analysis/Prefault.h"

namespace gaplens {

TimeNs percentileSorted(const std::vector<TimeNs>& sorted, double p) {
    if (sorted.empty()) return 0;
    return sorted[nearestRank(sorted.size(), p) - 1];
}

namespace {

constexpr TimeNs kOutlierMinNs = 50'000;  // an outlier must also cost at least 50 us
constexpr double kOutlierFactor = 4.0;
constexpr size_t kMaxOutliers = 20;

// Nearest-rank percentile of `v[from, to)` without sorting it: the same value as percentileSorted
// over the sorted range. Reorders the range.
TimeNs percentileOf(TimeNs* v, size_t from, size_t to, double p) { return gaplens::percentileOf(v + from, v + to, p); }

// Visits every GPU activity with a launch record, in track order: (track, index, latency, queue).
template <class Visit>
void forEachLaunch(const Trace& trace, Visit&& visit) {
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
            visit(t, i, apiStart, latency, queue);
        }
    }
}

}  // namespace

LaunchLatency computeLaunchLatency(const Trace& trace) {
    LaunchLatency out;
    // Groups by kernel name in order of first appearance, counted first so that each group's
    // samples can lie side by side in three flat columns (no vector per group, no sorting: the
    // percentiles are selections).
    std::vector<int32_t> groupOf(trace.strings.size(), -1);
    std::vector<StringId> groupName;
    std::vector<size_t> groupStart;  // count per group, then offsets
    forEachLaunch(trace, [&](const Track& t, uint32_t i, TimeNs, TimeNs, TimeNs) {
        int32_t& g = groupOf[t.nameId[i]];
        if (g < 0) {
            g = int32_t(groupName.size());
            groupName.push_back(t.nameId[i]);
            groupStart.push_back(0);
        }
        ++groupStart[size_t(g)];
    });
    const size_t groups = groupName.size();
    size_t total = 0;
    for (size_t& c : groupStart) total += std::exchange(c, total);
    groupStart.push_back(total);
    // One column at a time (latency, queue wait, dispatch), refilled from the trace: a pass over
    // the trace costs less than the fresh memory of three columns. Not zeroed first (every slot
    // is written); the room is mapped in one call (Prefault.h).
    enum class Column { Latency, Queue, Dispatch };
    std::unique_ptr<TimeNs[]> col(new TimeNs[total]);
    prefaultForWrite(col.get(), total * sizeof(TimeNs));
    auto fillColumn = [&](Column which) {
        std::vector<size_t> fill(groupStart.begin(), groupStart.end() - 1);
        forEachLaunch(trace, [&](const Track& t, uint32_t i, TimeNs, TimeNs latency, TimeNs q) {
            col[fill[size_t(groupOf[t.nameId[i]])]++] =
                which == Column::Latency ? latency : which == Column::Queue ? q : latency - q;
        });
    };
    out.perKernel.resize(groups);
    fillColumn(Column::Latency);
    for (size_t g = 0; g < groups; ++g) {
        const size_t a = groupStart[g], b = groupStart[g + 1];
        KernelLatency& k = out.perKernel[g];
        k.kernel = std::string(trace.strings.str(groupName[g]));
        k.count = int64_t(b - a);
        k.maxNs = *std::max_element(col.get() + a, col.get() + b);
        k.p50Ns = percentileOf(col.get(), a, b, 50);
        k.p90Ns = percentileOf(col.get(), a, b, 90);
    }
    out.count = int64_t(total);
    out.p50Ns = percentileOf(col.get(), 0, total, 50);
    fillColumn(Column::Queue);
    for (size_t g = 0; g < groups; ++g) {
        out.perKernel[g].queueP50Ns = percentileOf(col.get(), groupStart[g], groupStart[g + 1], 50);
        for (size_t i = groupStart[g]; i < groupStart[g + 1]; ++i) out.queueTotalNs += col[i];
    }
    out.queueP50Ns = percentileOf(col.get(), 0, total, 50);
    fillColumn(Column::Dispatch);
    for (size_t g = 0; g < groups; ++g)
        out.perKernel[g].dispatchP50Ns = percentileOf(col.get(), groupStart[g], groupStart[g + 1], 50);
    out.dispatchP50Ns = percentileOf(col.get(), 0, total, 50);

    // Outliers: far above their kernel's median (or the overall median for names seen < 3 times).
    // Found in track order, then put in group order (the order the sort below always saw).
    struct Candidate {
        size_t group;
        LaunchOutlier outlier;
    };
    std::vector<Candidate> candidates;
    forEachLaunch(trace, [&](const Track& t, uint32_t i, TimeNs apiStart, TimeNs latency, TimeNs q) {
        const size_t g = size_t(groupOf[t.nameId[i]]);
        const KernelLatency& k = out.perKernel[g];
        const TimeNs ref = k.count >= 3 ? k.p50Ns : out.p50Ns;
        if (latency < kOutlierMinNs || double(latency) <= kOutlierFactor * double(ref)) return;
        candidates.push_back({g, {k.kernel, t.device, apiStart, t.start[i], latency, q, latency - q}});
    });
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const Candidate& a, const Candidate& b) { return a.group < b.group; });
    for (Candidate& c : candidates) out.outliers.push_back(std::move(c.outlier));
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
