#include "core/analysis/BoundClass.h"

#include <algorithm>
#include <utility>

namespace gaplens {

std::string_view boundClassName(BoundClass c) {
    switch (c) {
    case BoundClass::OverheadBound: return "overhead-bound";
    case BoundClass::Mixed: return "mixed";
    case BoundClass::ComputeBound: return "compute-bound";
    case BoundClass::Unknown: return "unknown";
    }
    return "unknown";
}

BoundClass classifyBusy(double busyPct) {
    if (busyPct < 50.0) return BoundClass::OverheadBound;
    if (busyPct > 90.0) return BoundClass::ComputeBound;
    return BoundClass::Mixed;
}

namespace {

TimeNs medianOf(std::vector<TimeNs> v) {
    if (v.empty()) return 0;
    std::nth_element(v.begin(), v.begin() + long(v.size() / 2), v.end());
    return v[v.size() / 2];
}

const DeviceBusy* deviceOf(const GpuBusy& busy, int device) {
    for (const DeviceBusy& d : busy.devices)
        if (d.device == device) return &d;
    return nullptr;
}

BoundResult wholeTrace(const GpuBusy& busy) {
    BoundResult r;
    r.window = "whole trace";
    const DeviceBusy* best = nullptr;
    for (const DeviceBusy& d : busy.devices)
        if (!best || d.busyNs > best->busyNs) best = &d;
    if (!best) return r;
    r.device = best->device;
    r.startNs = best->windowStartNs;
    r.endNs = best->windowEndNs;
    r.gpuBusyNs = best->busyNs;
    r.cpuNs = r.endNs - r.startNs;
    r.busyPct = best->busyPct();
    r.gpuOverCpu = r.cpuNs > 0 ? double(r.gpuBusyNs) / double(r.cpuNs) : 0.0;
    r.cls = classifyBusy(r.busyPct);
    return r;
}

}  // namespace

BoundResult classifyBound(const Trace& trace, const GpuBusy& busy, const DeadWindows& dead) {
    // The range that makes the iterations: the name with the most instances that launched GPU work.
    // Each name is held once in dead.rangeNames, so windows are scored by its index.
    std::vector<std::pair<int, TimeNs>> score(dead.rangeNames.size());  // count, total duration
    for (const DeadWindow& w : dead.windows)
        if (w.hasGpuWork) {
            ++score[w.rangeName].first;
            score[w.rangeName].second += w.rangeDurNs;
        }
    std::string_view bestName;
    uint32_t bestId = 0;
    std::pair<int, TimeNs> bestScore{0, 0};
    for (uint32_t id = 0; id < score.size(); ++id) {
        const std::pair<int, TimeNs>& s = score[id];
        const std::string_view name = dead.rangeNames[id];
        if (s.first >= 2 && (s > bestScore || (s == bestScore && name < bestName))) {
            bestName = name;
            bestId = id;
            bestScore = s;
        }
    }
    if (bestName.empty()) return wholeTrace(busy);

    std::vector<const DeadWindow*> inst;
    inst.reserve(size_t(bestScore.first));
    for (const DeadWindow& w : dead.windows)
        if (w.hasGpuWork && w.rangeName == bestId) inst.push_back(&w);
    std::vector<TimeNs> durs;
    durs.reserve(inst.size());
    for (const DeadWindow* w : inst) durs.push_back(w->rangeDurNs);
    const TimeNs medianDur = medianOf(std::move(durs));
    // Warm-up: the leading instances that are cold or take more than twice the median.
    size_t warm = 0;
    while (warm < inst.size() &&
           (inst[warm]->cold || (inst[warm]->rangeDurNs > 2 * medianDur && inst[warm]->rangeDurNs - medianDur > 50'000)))
        ++warm;
    if (warm == inst.size()) warm = 0;

    BoundResult r;
    r.rangeName = std::string(bestName);
    r.warmupInstances = int(warm);
    r.instances = int(inst.size() - warm);
    r.device = inst[warm]->device;
    r.startNs = inst[warm]->rangeStartNs;
    TimeNs hostEnd = r.startNs, gpuEnd = r.startNs, gpuLaunched = 0, cpuSum = 0;
    for (size_t k = warm; k < inst.size(); ++k) {
        const DeadWindow& w = *inst[k];
        const Track& t = trace.tracks[w.rangeEvent.track];
        const uint32_t r0 = w.rangeEvent.index;
        const TimeNs rangeEnd = t.end(r0);
        hostEnd = std::max(hostEnd, rangeEnd);
        cpuSum += w.rangeDurNs;
        r.iterations.push_back({w.rangeStartNs, rangeEnd});
        for (uint32_t i = r0 + 1; i < t.size() && t.start[i] < rangeEnd; ++i) {
            if (!isApiCall(t.kind[i]) || !t.link[i].valid()) continue;
            const EventRef work = t.link[i];
            if (trace.tracks[work.track].device != r.device) continue;
            gpuLaunched += trace.tracks[work.track].dur[work.index];
            gpuEnd = std::max(gpuEnd, trace.end(work));
        }
    }
    // The window runs until the GPU finished the work these iterations launched: in a
    // compute-bound loop the host is far ahead of the GPU.
    r.endNs = std::max(hostEnd, gpuEnd);
    r.window = r.rangeName + " #" + std::to_string(warm) + "..#" + std::to_string(inst.size() - 1) + " (steady, " +
               std::to_string(warm) + " warm-up left out)";
    const DeviceBusy* dev = deviceOf(busy, r.device);
    r.gpuBusyNs = dev ? busyTimeIn(*dev, r.startNs, r.endNs) : 0;
    r.cpuNs = cpuSum;
    const TimeNs span = r.endNs - r.startNs;
    r.busyPct = span > 0 ? 100.0 * double(r.gpuBusyNs) / double(span) : 0.0;
    r.gpuOverCpu = cpuSum > 0 ? double(gpuLaunched) / double(cpuSum) : 0.0;
    r.cpuPerIterNs = r.instances ? (hostEnd - r.startNs) / r.instances : 0;
    r.gpuPerIterNs = r.instances ? gpuLaunched / r.instances : 0;
    r.cls = classifyBusy(r.busyPct);
    return r;
}

}  // namespace gaplens
