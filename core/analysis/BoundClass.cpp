#include "core/analysis/BoundClass.h"

#include <algorithm>
#include <utility>

#include "core/analysis/CpuTime.h"
#include "core/analysis/HostActivity.h"
#include "core/analysis/LaunchedWork.h"
#include "core/analysis/Percentiles.h"

namespace gaplens {

std::string_view boundClassName(BoundClass c) {
    switch (c) {
    case BoundClass::OverheadBound: return "overhead-bound";
    case BoundClass::Mixed: return "mixed";
    case BoundClass::ComputeBound: return "compute-bound";
    case BoundClass::CopyBound: return "copy-bound";
    case BoundClass::Unknown: return "unknown";
    }
    return "unknown";
}

BoundClass classifyBusy(double busyPct) {
    if (busyPct < 50.0) return BoundClass::OverheadBound;
    if (busyPct > 90.0) return BoundClass::ComputeBound;
    return BoundClass::Mixed;
}

BoundClass classifyEngines(double busyPct, double computeBusyPct, double copyBusyPct) {
    if (copyBusyPct > 50.0 && computeBusyPct < 50.0) return BoundClass::CopyBound;
    return classifyBusy(busyPct);
}

namespace {

constexpr TimeNs kWarmupMinExcessNs = 50'000;

const DeviceBusy* deviceOf(const GpuBusy& busy, int device) {
    for (const DeviceBusy& d : busy.devices)
        if (d.device == device) return &d;
    return nullptr;
}

double pctOf(TimeNs part, TimeNs whole) { return whole > 0 ? 100.0 * double(part) / double(whole) : 0.0; }

// The GPU work of `device` launched (by launch start, on any thread) inside `hostIntervals`
// (sorted, disjoint): its total GPU time, where it ended, and the threads that launched it.
struct WindowWork {
    TimeNs gpuNs = 0;
    TimeNs endNs = 0;
    std::vector<uint32_t> threads;
};

WindowWork launchedIn(const Trace& trace, int device, const std::vector<TimeInterval>& hostIntervals) {
    WindowWork out;
    if (hostIntervals.empty()) return out;
    for (uint32_t ti = 0; ti < trace.tracks.size(); ++ti) {
        size_t u = 0;
        bool launched = false;
        forEachLaunchIn(trace, ti, hostIntervals.front().start, hostIntervals.back().end, [&](EventRef call) {
            const TimeNs x = trace.start(call);
            while (u < hostIntervals.size() && hostIntervals[u].end <= x) ++u;
            if (u == hostIntervals.size() || hostIntervals[u].start > x) return;
            const LaunchedWork w = launchedWorkOf(trace, call);
            if (w.device != device) return;
            out.gpuNs += w.gpuNs;
            out.endNs = std::max(out.endNs, w.endNs);
            launched = true;
        });
        if (launched) out.threads.push_back(ti);
    }
    return out;
}

// Busy, engines and CPU time of the window [r.startNs, r.endNs) on r.device, the host part being
// [hostStart, hostEnd) on `threads`.
void fillFigures(BoundResult& r, const GpuBusy& busy, const HostActivity& host, const std::vector<uint32_t>& threads,
                 TimeNs hostStart, TimeNs hostEnd) {
    const DeviceBusy* dev = deviceOf(busy, r.device);
    TimeNs from = r.startNs;
    if (dev && dev->unknownNs > 0 && dev->windowStartNs > from) {
        // Before the device's first op the GPU ran work launched before the recording.
        r.unknownNs = std::min(dev->windowStartNs, r.endNs) - from;
        from += r.unknownNs;
    }
    const TimeNs span = r.endNs - from;
    if (dev) {
        r.gpuBusyNs = busyTimeIn(*dev, from, r.endNs);
        r.computeIdleWhileCopyingNs = computeIdleWhileCopyingIn(*dev, from, r.endNs);
        r.computeBusyNs = r.gpuBusyNs - r.computeIdleWhileCopyingNs;
        r.copyBusyNs = copyBusyTimeIn(*dev, from, r.endNs);
    }
    r.busyPct = pctOf(r.gpuBusyNs, span);
    r.computeBusyPct = pctOf(r.computeBusyNs, span);
    r.copyBusyPct = pctOf(r.copyBusyNs, span);
    const CpuTime cpu = cpuTimeIn(host, threads, hostStart, hostEnd);
    r.cpuNs = cpu.cpuNs();
    r.blockedNs = cpu.blockedNs;
    r.gpuOverCpu = r.cpuNs > 0 ? double(r.gpuBusyNs) / double(r.cpuNs) : 0.0;
    r.cls = span > 0 ? classifyEngines(r.busyPct, r.computeBusyPct, r.copyBusyPct) : BoundClass::Unknown;
}

BoundResult wholeTrace(const Trace& trace, const GpuBusy& busy, const HostActivity& host) {
    BoundResult r;
    r.window = "whole trace";
    const DeviceBusy* best = nullptr;
    for (const DeviceBusy& d : busy.devices)
        if (!best || d.busyNs > best->busyNs) best = &d;
    if (!best) return r;
    r.device = best->device;
    r.startNs = trace.beginNs();
    r.endNs = trace.endNs();
    r.iterations.push_back({r.startNs, r.endNs});
    const WindowWork work = launchedIn(trace, r.device, r.iterations);
    fillFigures(r, busy, host, work.threads, r.startNs, r.endNs);
    return r;
}

std::string windowName(const WindowChoice& w, size_t warm) {
    const size_t n = w.instances.size();
    switch (w.kind) {
    case WindowKind::Detected: return std::to_string(n - warm) + " iterations (detected)";
    case WindowKind::ProfilerSteps: {
        const std::string_view first = w.stepNames[warm], last = w.stepNames[n - 1];
        return std::string(first) + ".." + std::string(last.substr(last.find('#'))) + " (steady, " +
               std::to_string(warm) + " warm-up left out)";
    }
    default:
        return w.rangeName + " #" + std::to_string(warm) + "..#" + std::to_string(n - 1) + " (steady, " +
               std::to_string(warm) + " warm-up left out)";
    }
}

}  // namespace

BoundResult classifyBound(const Trace& trace, const GpuBusy& busy, const DeadWindows& dead) {
    return classifyBound(trace, busy, dead, buildHostActivity(trace));
}

BoundResult classifyBound(const Trace& trace, const GpuBusy& busy, const DeadWindows& dead, const HostActivity& host) {
    WindowChoice choice = chooseWindow(trace, busy, dead);
    if (choice.kind == WindowKind::WholeTrace || choice.instances.empty()) return wholeTrace(trace, busy, host);
    std::vector<TimeInterval>& inst = choice.instances;

    // Warm-up: the leading instances that are cold or take more than twice the median.
    std::vector<TimeNs> durs;
    durs.reserve(inst.size());
    for (const TimeInterval& x : inst) durs.push_back(x.dur());
    const TimeNs medianDur = upperMedianOf(durs);
    size_t warm = 0;
    auto isWarmup = [&](size_t k) {
        const bool cold = k < choice.cold.size() && choice.cold[k];
        return cold || (inst[k].dur() > 2 * medianDur && inst[k].dur() - medianDur > kWarmupMinExcessNs);
    };
    while (warm < inst.size() && isWarmup(warm)) ++warm;
    if (warm == inst.size()) warm = 0;

    BoundResult r;
    r.kind = choice.kind;
    r.rangeName = choice.rangeName;
    r.device = choice.device;
    r.detectedPeriod = choice.detectedPeriod;
    r.warmupInstances = int(warm);
    r.instances = int(inst.size() - warm);
    r.window = windowName(choice, warm);
    inst.erase(inst.begin(), inst.begin() + long(warm));
    r.iterations = std::move(inst);
    r.startNs = r.iterations.front().start;
    TimeNs hostEnd = r.startNs;
    for (const TimeInterval& x : r.iterations) hostEnd = std::max(hostEnd, x.end);
    // The host intervals of the iterations, merged where they overlap (instances on several
    // threads, or nested ones); most loops' iterations are disjoint already.
    bool disjoint = true;
    for (size_t k = 1; k < r.iterations.size() && disjoint; ++k) disjoint = r.iterations[k].start >= r.iterations[k - 1].end;
    std::vector<TimeInterval> merged;
    if (!disjoint)
        for (const TimeInterval& x : r.iterations) {
            if (!merged.empty() && x.start <= merged.back().end) merged.back().end = std::max(merged.back().end, x.end);
            else merged.push_back(x);
        }
    const WindowWork work = launchedIn(trace, r.device, disjoint ? r.iterations : merged);
    // The window runs until the GPU finished the work these iterations launched: in a
    // compute-bound loop the host is far ahead of the GPU.
    r.endNs = std::max(hostEnd, work.endNs);
    fillFigures(r, busy, host, work.threads, r.startNs, hostEnd);
    r.cpuPerIterNs = r.instances ? (hostEnd - r.startNs) / r.instances : 0;
    r.gpuPerIterNs = r.instances ? work.gpuNs / r.instances : 0;
    return r;
}

}  // namespace gaplens
