#include "core/analysis/WindowChoice.h"

#include <algorithm>
#include <map>

#include "core/analysis/LaunchedWork.h"
#include "core/analysis/IterationDetection.h"

namespace gaplens {

std::string_view windowKindName(WindowKind kind) {
    switch (kind) {
    case WindowKind::WholeTrace: return "whole-trace";
    case WindowKind::ProfilerSteps: return "profiler-steps";
    case WindowKind::Range: return "range";
    case WindowKind::Detected: return "detected";
    }
    return "whole-trace";
}

bool isProfilerStepName(std::string_view name) {
    constexpr std::string_view prefix = "ProfilerStep#";
    if (name.size() <= prefix.size() || name.substr(0, prefix.size()) != prefix) return false;
    return std::all_of(name.begin() + long(prefix.size()), name.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string_view rangeFamilyOf(std::string_view name) {
    return isProfilerStepName(name) ? std::string_view("ProfilerStep") : name;
}

namespace {

// One family of range instances (a range name, or every ProfilerStep#N).
struct Family {
    std::string_view name;
    std::vector<TimeInterval> instances;  // in start order
    std::vector<uint8_t> cold;
    std::vector<std::string_view> names;  // each instance's own name (ProfilerStep#N only)
    std::map<int, int> devices;           // device -> instances whose first work ran there
    std::vector<TimeInterval> merged;     // union of the instances
    TimeNs enclosedNs = 0;                // GPU time launched inside the instances
    TimeNs betweenNs = 0;                 // GPU time launched from the first instance's start to the last's end
};

std::vector<TimeInterval> unionOf(const std::vector<TimeInterval>& sorted) {
    std::vector<TimeInterval> out;
    for (const TimeInterval& x : sorted) {
        if (!out.empty() && x.start <= out.back().end) out.back().end = std::max(out.back().end, x.end);
        else out.push_back(x);
    }
    return out;
}

TimeNs total(const std::vector<TimeInterval>& v) {
    TimeNs s = 0;
    for (const TimeInterval& x : v) s += x.dur();
    return s;
}

// How much of `a` lies inside `b` (both disjoint and sorted).
TimeNs overlapOf(const std::vector<TimeInterval>& a, const std::vector<TimeInterval>& b) {
    TimeNs s = 0;
    size_t j = 0;
    for (const TimeInterval& x : a) {
        while (j < b.size() && b[j].end <= x.start) ++j;
        for (size_t k = j; k < b.size() && b[k].start < x.end; ++k)
            s += std::min(x.end, b[k].end) - std::max(x.start, b[k].start);
    }
    return s;
}

// The GPU time launched (by launch start, on any thread) inside the family's instances, and from
// its first instance's start to its last one's end: one sweep over each thread's calls there.
void measure(Family& f, const Trace& trace) {
    if (f.merged.empty()) f.merged = unionOf(f.instances);
    const TimeNs from = f.instances.front().start;
    TimeNs to = from;
    for (const TimeInterval& x : f.instances) to = std::max(to, x.end);
    for (uint32_t ti = 0; ti < trace.tracks.size(); ++ti) {
        size_t u = 0;
        forEachLaunchIn(trace, ti, from, to, [&](EventRef call) {
            const TimeNs x = trace.start(call);
            const TimeNs w = launchedWorkOf(trace, call).gpuNs;
            f.betweenNs += w;
            while (u < f.merged.size() && f.merged[u].end <= x) ++u;
            if (u < f.merged.size() && f.merged[u].start <= x) f.enclosedNs += w;
        });
    }
}

int deviceOf(const Family& f, const GpuBusy& busy) {
    int best = -1, most = 0;
    for (const auto& [device, n] : f.devices)
        if (n > most) {
            most = n;
            best = device;
        }
    if (best >= 0) return best;
    TimeNs busiest = -1;
    for (const DeviceBusy& d : busy.devices)
        if (d.busyNs > busiest) {
            busiest = d.busyNs;
            best = d.device;
        }
    return std::max(best, 0);
}

WindowChoice fromFamily(Family& f, WindowKind kind, const GpuBusy& busy) {
    WindowChoice w;
    w.kind = kind;
    w.rangeName = std::string(f.name);
    w.device = deviceOf(f, busy);
    w.instances = std::move(f.instances);
    w.cold = std::move(f.cold);
    w.stepNames = std::move(f.names);
    return w;
}

}  // namespace

WindowChoice chooseWindow(const Trace& trace, const GpuBusy& busy, const DeadWindows& dead) {
    // Range instances grouped by family.
    std::vector<Family> families;
    std::vector<uint32_t> familyOfName(dead.rangeNames.size());
    {
        std::map<std::string_view, uint32_t> byName;
        for (size_t n = 0; n < dead.rangeNames.size(); ++n) {
            const std::string_view family = rangeFamilyOf(dead.rangeNames[n]);
            auto [it, fresh] = byName.emplace(family, uint32_t(families.size()));
            if (fresh) families.push_back(Family{family, {}, {}, {}, {}, {}, 0, 0});
            familyOfName[n] = it->second;
        }
    }
    for (const DeadWindow& w : dead.windows) {
        Family& f = families[familyOfName[w.rangeName]];
        const TimeInterval instance{w.rangeStartNs, w.rangeStartNs + w.rangeDurNs};
        // A range inside another of the same name is the same step, not one more: a program that
        // marks its step with both torch.cuda.nvtx.range and record_function, or a recursive range.
        if (!f.instances.empty() && instance.start >= f.instances.back().start && instance.end <= f.instances.back().end)
            continue;
        f.instances.push_back(instance);
        f.cold.push_back(w.cold);
        if (f.name == "ProfilerStep") f.names.push_back(dead.rangeNameOf(w));
        if (w.hasGpuWork) ++f.devices[w.device];
    }
    const bool anyCandidate = std::any_of(families.begin(), families.end(), [](const Family& f) {
        return f.name == "ProfilerStep" || f.instances.size() >= 3;
    });
    if (anyCandidate) {
        // 1. torch.profiler's steps.
        for (Family& f : families)
            if (f.name == "ProfilerStep") {
                measure(f, trace);
                if (f.enclosedNs > 0) return fromFamily(f, WindowKind::ProfilerSteps, busy);
            }
        // 2. The outermost repeating range that encloses most of the work launched across it.
        // Families are looked at from the widest; one that lies inside a range that qualified is
        // not measured (it cannot be the outermost), and at most kMaxMeasured are.
        std::vector<std::pair<TimeNs, Family*>> bySpan;
        for (Family& f : families) {
            if (f.name == "ProfilerStep" || f.instances.size() < 3) continue;
            f.merged = unionOf(f.instances);
            bySpan.emplace_back(total(f.merged), &f);
        }
        std::sort(bySpan.begin(), bySpan.end(), [](const auto& a, const auto& b) {
            return a.first != b.first ? a.first > b.first : a.second->name < b.second->name;
        });
        constexpr size_t kMaxMeasured = 32;
        size_t measured = 0;
        std::vector<Family*> outermost;
        for (const auto& [span, f] : bySpan) {
            const bool inner = std::any_of(outermost.begin(), outermost.end(), [&](const Family* o) {
                return 10 * overlapOf(f->merged, o->merged) >= 9 * span;
            });
            if (inner || measured == kMaxMeasured) continue;
            ++measured;
            measure(*f, trace);
            if (f->enclosedNs > 0 && 2 * f->enclosedNs >= f->betweenNs) outermost.push_back(f);
        }
        Family* best = nullptr;
        for (Family* f : outermost)
            if (!best || f->enclosedNs > best->enclosedNs ||
                (f->enclosedNs == best->enclosedNs && f->instances.size() > best->instances.size()))
                best = f;
        if (best) return fromFamily(*best, WindowKind::Range, busy);
    }
    // 3. Iterations detected from the launches.
    DetectedIterations detected = detectIterations(trace);
    if (detected.found()) {
        WindowChoice w;
        w.kind = WindowKind::Detected;
        w.device = detected.device;
        w.instances = std::move(detected.iterations);
        w.detectedPeriod = detected.period;
        w.oneTimeLaunches = detected.oneTimeItems;
        return w;
    }
    // 4. The whole trace.
    return WindowChoice{};
}

}  // namespace gaplens
