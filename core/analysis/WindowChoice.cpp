#include "core/analysis/WindowChoice.h"

#include <algorithm>
#include <map>

#include "core/analysis/IntervalSet.h"
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

// The GPU work each host thread launched: (launch start, GPU time of all work launched up to and
// including this one), in launch order. "How much GPU work was launched in [a, b)" is then two
// searches.
struct LaunchTimeline {
    std::vector<std::vector<std::pair<TimeNs, TimeNs>>> threads;

    explicit LaunchTimeline(const Trace& trace) {
        std::vector<int> slot(trace.tracks.size(), -1);
        for (const Track& g : trace.tracks) {
            if (!g.isGpu()) continue;
            for (uint32_t i = 0; i < g.size(); ++i) {
                if (!isGpuWork(g.kind[i]) || !g.link[i].valid()) continue;
                const EventRef call = g.link[i];
                int& s = slot[call.track];
                if (s < 0) {
                    s = int(threads.size());
                    threads.emplace_back();
                }
                threads[size_t(s)].emplace_back(trace.start(call), g.dur[i]);
            }
        }
        for (auto& l : threads) {
            if (!std::is_sorted(l.begin(), l.end())) std::sort(l.begin(), l.end());
            for (size_t i = 1; i < l.size(); ++i) l[i].second += l[i - 1].second;
        }
    }
    // GPU time launched in [a, b) by thread k; `hint` for queries in time order.
    TimeNs workIn(size_t k, TimeNs a, TimeNs b, size_t& hint) const {
        const auto& l = threads[k];
        const size_t i = partitionPointFrom(l, hint, [a](const std::pair<TimeNs, TimeNs>& x) { return x.first < a; });
        const size_t j = partitionPointFrom(l, i, [b](const std::pair<TimeNs, TimeNs>& x) { return x.first < b; });
        hint = j;
        return (j ? l[j - 1].second : 0) - (i ? l[i - 1].second : 0);
    }
};

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

void measure(Family& f, const LaunchTimeline& launches) {
    f.merged = unionOf(f.instances);
    TimeNs lastEnd = 0;
    for (const TimeInterval& x : f.instances) lastEnd = std::max(lastEnd, x.end);
    for (size_t k = 0; k < launches.threads.size(); ++k) {
        size_t hint = 0;
        for (const TimeInterval& x : f.merged) f.enclosedNs += launches.workIn(k, x.start, x.end, hint);
        hint = 0;
        f.betweenNs += launches.workIn(k, f.instances.front().start, lastEnd, hint);
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

WindowChoice fromFamily(const Family& f, WindowKind kind, const GpuBusy& busy) {
    WindowChoice w;
    w.kind = kind;
    w.rangeName = std::string(f.name);
    w.device = deviceOf(f, busy);
    w.instances = f.instances;
    w.cold = f.cold;
    w.stepNames = f.names;
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
        f.instances.push_back({w.rangeStartNs, w.rangeStartNs + w.rangeDurNs});
        f.cold.push_back(w.cold);
        if (f.name == "ProfilerStep") f.names.push_back(dead.rangeNameOf(w));
        if (w.hasGpuWork) ++f.devices[w.device];
    }
    const bool anyCandidate = std::any_of(families.begin(), families.end(), [](const Family& f) {
        return f.name == "ProfilerStep" || f.instances.size() >= 3;
    });
    if (anyCandidate) {
        const LaunchTimeline launches(trace);
        // 1. torch.profiler's steps.
        for (Family& f : families)
            if (f.name == "ProfilerStep") {
                measure(f, launches);
                if (f.enclosedNs > 0) return fromFamily(f, WindowKind::ProfilerSteps, busy);
            }
        // 2. The outermost repeating range that encloses most of the work launched across it.
        std::vector<Family*> qualified;
        for (Family& f : families) {
            if (f.name == "ProfilerStep" || f.instances.size() < 3) continue;
            measure(f, launches);
            if (f.enclosedNs > 0 && 2 * f.enclosedNs >= f.betweenNs) qualified.push_back(&f);
        }
        std::vector<std::pair<TimeNs, Family*>> bySpan;
        for (Family* f : qualified) bySpan.emplace_back(total(f->merged), f);
        std::sort(bySpan.begin(), bySpan.end(), [](const auto& a, const auto& b) {
            return a.first != b.first ? a.first > b.first : a.second->name < b.second->name;
        });
        std::vector<Family*> outermost;
        for (const auto& [span, f] : bySpan) {
            const bool inner = std::any_of(outermost.begin(), outermost.end(), [&](const Family* o) {
                return 10 * overlapOf(f->merged, o->merged) >= 9 * span;
            });
            if (!inner) outermost.push_back(f);
        }
        const Family* best = nullptr;
        for (const Family* f : outermost)
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
