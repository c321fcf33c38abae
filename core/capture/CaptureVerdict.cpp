#include "core/capture/CaptureVerdict.h"

#include <algorithm>
#include <cstdio>
#include <unordered_map>
#include <utility>
#include <vector>

namespace gaplens::capture {
namespace {

double median(std::vector<double> v) {
    if (v.empty()) return -1;
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

using Interval = std::pair<uint64_t, uint64_t>;

// GPU idle ns inside [from, to) given the merged busy intervals.
uint64_t idleInside(const std::vector<Interval>& busy, uint64_t from, uint64_t to) {
    if (to <= from) return 0;
    uint64_t covered = 0;
    auto it = std::upper_bound(busy.begin(), busy.end(), Interval{from, UINT64_MAX});
    if (it != busy.begin()) --it;
    for (; it != busy.end() && it->first < to; ++it) {
        const uint64_t b = std::max(it->first, from), e = std::min(it->second, to);
        if (e > b) covered += e - b;
    }
    return (to - from) - covered;
}

}  // namespace

std::string formatDurationUs(double us) {
    char buf[32];
    if (us < 1) std::snprintf(buf, sizeof buf, "%.0f ns", us * 1e3);
    else if (us < 1e3) std::snprintf(buf, sizeof buf, "%.3g µs", us);
    else if (us < 1e6) std::snprintf(buf, sizeof buf, "%.3g ms", us / 1e3);
    else std::snprintf(buf, sizeof buf, "%.3g s", us / 1e6);
    return buf;
}

CaptureVerdict computeVerdict(const CaptureData& data, const std::string& rangeName) {
    CaptureVerdict v;
    uint64_t first = UINT64_MAX, last = 0;
    auto see = [&](uint64_t b, uint64_t e) {
        if (!b) return;
        first = std::min(first, b);
        last = std::max(last, e);
    };
    for (const auto& a : data.apis) see(a.start, a.end);
    for (const auto& g : data.gpu) see(g.start, g.end);
    for (const auto& r : data.ranges) see(r.start, r.end);
    if (first == UINT64_MAX || last <= first) {
        v.boundClass = "idle";
        return v;
    }
    std::vector<Interval> busy;
    for (const auto& g : data.gpu) busy.emplace_back(g.start, g.end);
    std::sort(busy.begin(), busy.end());
    std::vector<Interval> merged;
    for (const auto& iv : busy) {
        if (!merged.empty() && iv.first <= merged.back().second) merged.back().second = std::max(merged.back().second, iv.second);
        else merged.push_back(iv);
    }
    uint64_t busyNs = 0;
    for (const auto& iv : merged) busyNs += iv.second - iv.first;
    v.windowUs = double(last - first) / 1e3;
    v.busyUs = double(busyNs) / 1e3;
    v.busyPct = 100.0 * double(busyNs) / double(last - first);
    v.boundClass = v.busyPct < 50 ? "overhead-bound" : v.busyPct > 90 ? "compute-bound" : "mixed";

    // First GPU start per launching correlation, and the launching call of each correlation.
    std::unordered_map<uint32_t, uint64_t> gpuStartOf;
    for (const auto& g : data.gpu) {
        auto [it, fresh] = gpuStartOf.emplace(g.correlation, g.start);
        if (!fresh) it->second = std::min(it->second, g.start);
    }
    std::vector<const ApiRecord*> launches;
    for (const auto& a : data.apis)
        if (gpuStartOf.count(a.correlation)) launches.push_back(&a);
    std::sort(launches.begin(), launches.end(), [](auto* a, auto* b) { return a->start < b->start; });

    std::vector<const RangeRecord*> ranges;
    for (const auto& r : data.ranges)
        if (rangeName.empty() || data.strings.str(r.name) == rangeName) ranges.push_back(&r);
    std::sort(ranges.begin(), ranges.end(), [](auto* a, auto* b) { return a->start < b->start; });
    std::vector<double> dead, stepUs;
    for (const RangeRecord* r : ranges) {
        uint64_t firstGpu = UINT64_MAX;
        auto it = std::lower_bound(launches.begin(), launches.end(), r->start,
                                   [](const ApiRecord* a, uint64_t t) { return a->start < t; });
        for (; it != launches.end() && (*it)->start < r->end; ++it)
            if ((*it)->tid == r->tid) firstGpu = std::min(firstGpu, gpuStartOf[(*it)->correlation]);
        stepUs.push_back(double(r->end - r->start) / 1e3);
        if (firstGpu == UINT64_MAX) continue;
        dead.push_back(double(idleInside(merged, r->start, firstGpu)) / 1e3);
    }
    v.ranges = int(dead.size());
    if (!dead.empty()) {
        v.coldDeadUs = dead.front();
        v.steadyDeadUs = median(std::vector<double>(dead.begin() + 1, dead.end()));
    }
    v.stepUs = median(stepUs);
    return v;
}

std::string formatVerdict(const CaptureVerdict& v) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "busy %.1f%%", v.busyPct);
    std::string line = buf;
    if (v.coldDeadUs >= 0) {
        line += ", dead window cold " + formatDurationUs(v.coldDeadUs);
        if (v.steadyDeadUs >= 0) line += " / steady " + formatDurationUs(v.steadyDeadUs);
    }
    if (v.stepUs > 0) line += ", " + formatDurationUs(v.stepUs) + "/step (host)";
    line += ", " + v.boundClass;
    return line;
}

}  // namespace gaplens::capture
