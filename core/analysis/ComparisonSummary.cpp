#include "core/analysis/ComparisonSummary.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

#include "core/analysis/HostActivity.h"
#include "core/model/TimeText.h"

namespace gaplens {

namespace {

std::string fmt(const char* f, double x) {
    char b[64];
    std::snprintf(b, sizeof b, f, x);
    return b;
}

std::string count(double v) {
    if (std::abs(v - std::round(v)) < 0.005) return fmt("%.0f", v);
    return fmt(std::abs(v) < 10 ? "%.2f" : "%.1f", v);
}

std::string time(double ns) { return formatDuration(TimeNs(std::llround(ns))); }

std::string aToB(const FigureDelta& f) { return formatFigureValue(f.id, f.a) + " → " + formatFigureValue(f.id, f.b); }

// "fell from 17.9 µs to 0.6 µs" / "rose from ...".
std::string fellOrRose(const FigureDelta& f) {
    return std::string(f.delta() < 0 ? "fell from " : "rose from ") + formatFigureValue(f.id, f.a) + " to " +
           formatFigureValue(f.id, f.b);
}

// "1 call", "2.5 calls".
std::string counted(double v, const char* one, const char* many) { return count(v) + " " + (count(v) == "1" ? one : many); }

// "960 fewer launches per iteration (962 → 2)".
std::string fewerOrMore(const FigureDelta& f, const char* one, const char* many) {
    const double n = std::abs(f.delta());
    return count(n) + (f.delta() < 0 ? " fewer " : " more ") + (count(n) == "1" ? one : many) + " per iteration (" +
           aToB(f) + ")";
}

std::string opChange(const OpDelta& o) {
    switch (o.change) {
    case RowChange::New:
        return o.name + " is new (" + counted(o.bCalls, "call", "calls") + ", " + time(o.bTimeNs()) + " per iteration)";
    case RowChange::Gone:
        return o.name + " is gone (was " + counted(o.aCalls, "call", "calls") + ", " + time(o.aTimeNs()) +
               " per iteration)";
    default: {
        std::string s = o.name + " " + time(o.aTimeNs()) + " → " + time(o.bTimeNs());
        if (std::abs(o.aCalls - o.bCalls) >= 0.005) s += " (" + count(o.aCalls) + " → " + count(o.bCalls) + " calls)";
        return s;
    }
    }
}

// What drives an idle cause's change, from the other figures and the rows.
std::string explainIdle(const RunComparison& c, GapCause cause) {
    const FigureDelta& launches = c.figure(FigureId::Launches);
    const FigureDelta& host = c.figure(FigureId::HostTime);
    const FigureDelta& gpu = c.figure(FigureId::GpuTime);
    const int way = c.figure(idleFigure(cause)).direction();
    switch (cause) {
    case GapCause::HostOverhead:
        // Less host overhead in the gaps: fewer launches or less host time; or more GPU work that
        // the host's overhead now hides behind. And the other way round.
        if (launches.direction() == way) return fewerOrMore(launches, "launch", "launches");
        if (gpu.direction() == -way)
            return std::string(way < 0 ? "the GPU has more work per iteration to hide the host's overhead behind"
                                       : "the GPU has less work per iteration to hide the host's overhead behind") +
                   " (GPU time " + aToB(gpu) + ")";
        if (host.direction() == way) return "host time per iteration " + aToB(host);
        return "the host spent a different time in framework and API code before its launches";
    case GapCause::QueuedLaunch:
        if (c.figure(FigureId::GpuTime).changed()) return "GPU time per iteration " + aToB(c.figure(FigureId::GpuTime));
        return "launch p50 " + aToB(c.figure(FigureId::LaunchP50));
    case GapCause::Sync:
        for (const OpDelta& o : c.ops)
            if (!o.onGpu && isBlockingCallName(o.name) && o.change != RowChange::Same) return opChange(o);
        return "blocking calls (synchronize, blocking copies) took a different time";
    case GapCause::Setup: return "one-time work inside the steady window (allocation, module loading, first calls)";
    case GapCause::HostIdle: return "host time that no event records (between steps, outside ranges)";
    }
    return {};
}

}  // namespace

std::string formatFigureValue(FigureId id, double value) {
    switch (figureUnit(id)) {
    case FigureUnit::Time: return time(value);
    case FigureUnit::Percent: return fmt("%.1f%%", value);
    case FigureUnit::Count: return count(value);
    }
    return {};
}

std::string summarizeComparison(const RunComparison& c) {
    const FigureDelta& iter = c.figure(FigureId::IterTime);
    const FigureDelta& busy = c.figure(FigureId::BusyPct);
    if (!c.anyChange()) {
        return "No change beyond noise: iteration time " + aToB(iter) + " (its iterations vary by " + time(iter.noise) +
               "), GPU busy " + aToB(busy) + "; every figure and every op is within the run-to-run spread.";
    }
    std::string s;
    if (iter.changed()) {
        const double ratio = c.iterRatio();
        s = "Iteration time " + aToB(iter) + " (×" + fmt(ratio < 0.1 ? "%.3f" : "%.2f", ratio) + ")";
    } else {
        s = "Iteration time unchanged within noise (" + aToB(iter) + ")";
    }
    s += ", GPU busy " + aToB(busy);
    if (c.a.cls != c.b.cls)
        s += " (" + std::string(boundClassName(c.a.cls)) + " → " + std::string(boundClassName(c.b.cls)) + ")";
    else
        s += " (" + std::string(boundClassName(c.b.cls)) + ")";
    s += ".";

    // The idle causes that changed, largest first: the first always, a second when it is at least a
    // third of the first.
    std::vector<GapCause> causes;
    for (int k = 0; k < kGapCauseCount; ++k)
        if (c.figure(idleFigure(GapCause(k))).changed()) causes.push_back(GapCause(k));
    std::stable_sort(causes.begin(), causes.end(), [&](GapCause x, GapCause y) {
        return std::abs(c.figure(idleFigure(x)).delta()) > std::abs(c.figure(idleFigure(y)).delta());
    });
    const FigureDelta& gpu = c.figure(FigureId::GpuTime);
    bool gpuTimeNamed = false;
    for (size_t k = 0; k < causes.size() && k < 2; ++k) {
        const FigureDelta& f = c.figure(idleFigure(causes[k]));
        if (k == 1 && std::abs(f.delta()) * 3 < std::abs(c.figure(idleFigure(causes[0])).delta())) break;
        std::string cause(gapCauseName(causes[k]));
        if (k == 0) cause[0] = char(std::toupper(static_cast<unsigned char>(cause[0])));
        std::string why = explainIdle(c, causes[k]);
        if (causes[k] == GapCause::QueuedLaunch && gpuTimeNamed && gpu.changed())
            why = gpu.delta() > 0 ? "launches wait behind the longer GPU work" : "less GPU work queued ahead of launches";
        s += " " + std::string(k == 0 ? "" : "Also, ") + cause + " idle per iteration " + fellOrRose(f) + ": " + why + ".";
        if (why.find("GPU time") != std::string::npos) gpuTimeNamed = true;
    }

    // The GPU time, and the kernel that changed most the same way.
    const OpDelta* kernel = nullptr;
    if (gpu.changed()) {
        for (const OpDelta& o : c.ops)
            if (o.onGpu && o.change != RowChange::Same && (o.timeDeltaNs() > 0) == (gpu.delta() > 0)) {
                kernel = &o;
                break;
            }
        if (!gpuTimeNamed) {
            s += " GPU time per iteration " + fellOrRose(gpu);
            if (kernel) s += "; most of it " + opChange(*kernel);
            s += ".";
        } else if (kernel) {
            s += " Most of the GPU time change: " + opChange(*kernel) + ".";
        }
    }

    std::vector<const OpDelta*> changed;
    for (const OpDelta& o : c.ops)
        if (o.change != RowChange::Same && &o != kernel && changed.size() < 3) changed.push_back(&o);
    if (!changed.empty()) {
        s += " Largest op changes per iteration: ";
        for (size_t k = 0; k < changed.size(); ++k) s += (k ? "; " : "") + opChange(*changed[k]);
        s += ".";
    }

    std::string latency;
    for (FigureId id : {FigureId::LaunchP50, FigureId::DeadWindowP50})
        if (c.figure(id).changed())
            latency += std::string(latency.empty() ? " " : ", ") + std::string(figureLabel(id)) + " " + aToB(c.figure(id));
    if (!latency.empty()) {
        latency[1] = char(std::toupper(static_cast<unsigned char>(latency[1])));
        s += latency + ".";
    }
    return s;
}

}  // namespace gaplens
