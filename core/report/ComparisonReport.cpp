#include "core/report/ComparisonReport.h"

#include <cmath>
#include <cstdio>
#include <filesystem>

#include "core/analysis/ComparisonSummary.h"
#include "core/model/TimeText.h"
#include "core/report/TextColumns.h"

namespace gaplens {

namespace {

double us(double ns) { return ns / 1000.0; }

std::string baseName(const std::string& path) { return std::filesystem::path(path).filename().string(); }

size_t rowsShown(const RunComparison& c, int top) {
    return top > 0 ? std::min<size_t>(size_t(top), c.ops.size()) : c.ops.size();
}

std::string value(const FigureDelta& f, bool after) {
    if (!(after ? f.bKnown : f.aKnown)) return "-";
    return formatFigureValue(f.id, after ? f.b : f.a);
}

std::string signedValue(FigureId id, double v) {
    const std::string s = formatFigureValue(id, v);
    return v > 0 ? "+" + s : s;
}

std::string deltaText(const FigureDelta& f) {
    if (!f.aKnown || !f.bKnown) return "-";
    return signedValue(f.id, f.delta());
}

std::string timeText(double ns) { return formatDuration(TimeNs(std::llround(ns))); }

std::string signedTime(double ns) {
    const std::string s = timeText(ns);
    return ns > 0 ? "+" + s : s;
}

std::string callsText(double calls) {
    if (std::abs(calls - std::round(calls)) < 0.005) return fmt("%.0f", calls);
    return fmt("%.2f", calls);
}

std::string runLine(const ComparedRun& r) {
    return r.path + ": " + r.window + ", " + std::to_string(r.iterations) +
           (r.wholeTrace ? " (whole trace, no iterations found)" : r.iterations == 1 ? " iteration" : " iterations");
}

nlohmann::json jsonValue(const FigureDelta& f, bool after) {
    if (!(after ? f.bKnown : f.aKnown)) return nullptr;
    const double v = after ? f.b : f.a;
    return figureUnit(f.id) == FigureUnit::Time ? us(v) : v;
}

nlohmann::json runJson(const RunComparison& c, const ComparedRun& r, bool after) {
    auto v = [&](FigureId id) { return jsonValue(c.figure(id), after); };
    return {{"path", r.path},
            {"window", r.window},
            {"iterations", r.iterations},
            {"iter_us", v(FigureId::IterTime)},
            {"gpu_iter_us", v(FigureId::GpuTime)},
            {"busy_pct", v(FigureId::BusyPct)},
            {"class", std::string(boundClassName(r.cls))},
            {"host_iter_us", v(FigureId::HostTime)},
            {"whole_trace", r.wholeTrace}};
}

nlohmann::json pairJson(const FigureDelta& f) {
    return {{"a", jsonValue(f, false)}, {"b", jsonValue(f, true)}, {"change", figureChangeText(f)}};
}

}  // namespace

std::string figureChangeText(const FigureDelta& f) {
    const int d = f.direction();
    if (d == 0) return "same";
    return d > 0 ? "up" : "down";
}

namespace {

// "(better)" / "(worse)" after up/down.
std::string verdictOf(const FigureDelta& f) {
    const int d = f.direction();
    if (d == 0) return "";
    const bool better = (d < 0) == lowerIsBetter(f.id);
    return better ? " (better)" : " (worse)";
}

}  // namespace

std::string formatComparisonHeadline(const RunComparison& c) {
    const FigureDelta& iter = c.figure(FigureId::IterTime);
    const FigureDelta& busy = c.figure(FigureId::BusyPct);
    std::string s = "iteration time " + value(iter, false) + " → " + value(iter, true);
    if (iter.a > 0) s += " (×" + fmt(c.iterRatio() < 0.1 ? "%.3f" : "%.2f", c.iterRatio()) + ")";
    s += ", GPU busy " + value(busy, false) + " → " + value(busy, true);
    s += ", " + std::string(boundClassName(c.a.cls)) + " → " + std::string(boundClassName(c.b.cls));
    return s;
}

std::string comparisonToText(const RunComparison& c, int top) {
    std::string o = "gaplens diff: " + baseName(c.a.path) + " → " + baseName(c.b.path) + "\n";
    o += "  before: " + runLine(c.a) + "\n";
    o += "  after:  " + runLine(c.b) + "\n";
    o += "\n" + formatComparisonHeadline(c) + "\n\n" + c.summary + "\n";

    o += "\nPer iteration" + std::string(33 - 13, ' ') + padLeft("before", 12) + padLeft("after", 12) +
         padLeft("delta", 12) + padLeft("noise", 12) + "  change\n";
    for (const FigureDelta& f : c.figures) {
        o += "  " + padRight(std::string(figureLabel(f.id)), 31) + padLeft(value(f, false), 12) +
             padLeft(value(f, true), 12) + padLeft(deltaText(f), 12) + padLeft(formatFigureValue(f.id, f.noise), 12) +
             "  " + figureChangeText(f) + verdictOf(f) + "\n";
    }

    const size_t shown = rowsShown(c, top);
    o += "\nOps and kernels per iteration (largest change in time first" +
         (shown < c.ops.size() ? ", top " + std::to_string(shown) + " of " + std::to_string(c.ops.size()) : "") + ")\n";
    o += "  " + padRight("name", 46) + padLeft("calls", 9) + padLeft("", 8) + padLeft("self CPU", 11) + padLeft("", 10) +
         padLeft("self GPU", 11) + padLeft("", 10) + padLeft("Δ time", 11) + "  change\n";
    o += "  " + padRight("", 46) + padLeft("before", 9) + padLeft("after", 8) + padLeft("before", 11) +
         padLeft("after", 10) + padLeft("before", 11) + padLeft("after", 10) + padLeft("", 11) + "\n";
    for (size_t i = 0; i < shown; ++i) {
        const OpDelta& x = c.ops[i];
        o += "  " + padRight(cut(x.name + (x.onGpu ? " (GPU)" : ""), 45), 46) + padLeft(callsText(x.aCalls), 9) +
             padLeft(callsText(x.bCalls), 8) + padLeft(timeText(x.aSelfCpuNs), 11) + padLeft(timeText(x.bSelfCpuNs), 10) +
             padLeft(timeText(x.aSelfGpuNs), 11) + padLeft(timeText(x.bSelfGpuNs), 10) +
             padLeft(signedTime(x.timeDeltaNs()), 11) + "  " + std::string(rowChangeName(x.change)) + "\n";
    }
    if (c.ops.empty()) o += "  no ops in either window\n";
    o += "\nA delta within the larger of the two runs' p10-p90 spread over their iterations is \"same\".\n";
    return o;
}

std::string comparisonToMarkdown(const RunComparison& c, int top) {
    std::string o = "# gaplens diff: " + mdEscape(baseName(c.a.path)) + " → " + mdEscape(baseName(c.b.path)) + "\n\n";
    o += "**" + mdEscape(formatComparisonHeadline(c)) + "**\n\n";
    o += mdEscape(c.summary) + "\n\n";
    o += "- before: " + mdEscape(runLine(c.a)) + "\n- after: " + mdEscape(runLine(c.b)) + "\n";
    o += "\n## Per iteration\n\n| figure | before | after | delta | noise | change |\n|---|---|---|---|---|---|\n";
    for (const FigureDelta& f : c.figures)
        o += "| " + std::string(figureLabel(f.id)) + " | " + value(f, false) + " | " + value(f, true) + " | " +
             deltaText(f) + " | " + formatFigureValue(f.id, f.noise) + " | " + figureChangeText(f) + verdictOf(f) +
             " |\n";
    const size_t shown = rowsShown(c, top);
    o += "\n## Ops and kernels per iteration\n\n" + std::string(shown < c.ops.size() ? "Top " + std::to_string(shown) +
                                                                                           " of " + std::to_string(c.ops.size()) + ", l"
                                                                                     : "L") +
         "argest change in time first.\n\n"
         "| name | calls before | calls after | self CPU before | self CPU after | self GPU before | self GPU after | "
         "Δ time | change |\n|---|---|---|---|---|---|---|---|---|\n";
    for (size_t i = 0; i < shown; ++i) {
        const OpDelta& x = c.ops[i];
        o += "| " + mdEscape(cut(x.name, 80)) + (x.onGpu ? " (GPU)" : "") + " | " + callsText(x.aCalls) + " | " +
             callsText(x.bCalls) + " | " + timeText(x.aSelfCpuNs) + " | " + timeText(x.bSelfCpuNs) + " | " +
             timeText(x.aSelfGpuNs) + " | " + timeText(x.bSelfGpuNs) + " | " + signedTime(x.timeDeltaNs()) + " | " +
             std::string(rowChangeName(x.change)) + " |\n";
    }
    return o;
}

nlohmann::json comparisonToJson(const RunComparison& c, int top) {
    using nlohmann::json;
    json j;
    j["a"] = runJson(c, c.a, false);
    j["b"] = runJson(c, c.b, true);
    j["iter_us_ratio"] = c.iterRatio();
    json idle = json::array();
    for (int k = 0; k < kGapCauseCount; ++k) {
        const FigureDelta& f = c.figure(idleFigure(GapCause(k)));
        idle.push_back({{"cause", std::string(gapCauseName(GapCause(k)))},
                        {"a_us_per_iter", us(f.a)},
                        {"b_us_per_iter", us(f.b)},
                        {"noise_us", us(f.noise)},
                        {"change", figureChangeText(f)}});
    }
    j["idle_by_cause"] = std::move(idle);
    j["launches_per_iter"] = pairJson(c.figure(FigureId::Launches));
    j["kernels_per_iter"] = pairJson(c.figure(FigureId::Kernels));
    j["launch_p50_us"] = pairJson(c.figure(FigureId::LaunchP50));
    j["dead_window_p50_us"] = pairJson(c.figure(FigureId::DeadWindowP50));
    json figures = json::array();
    for (const FigureDelta& f : c.figures) {
        const bool time = figureUnit(f.id) == FigureUnit::Time;
        figures.push_back({{"key", std::string(figureKey(f.id))},
                           {"label", std::string(figureLabel(f.id))},
                           {"a", jsonValue(f, false)},
                           {"b", jsonValue(f, true)},
                           {"noise", time ? us(f.noise) : f.noise},
                           {"change", figureChangeText(f)}});
    }
    j["figures"] = std::move(figures);
    json ops = json::array();
    for (size_t i = 0; i < rowsShown(c, top); ++i) {
        const OpDelta& x = c.ops[i];
        ops.push_back({{"name", x.name},
                       {"a_calls_per_iter", x.aCalls},
                       {"b_calls_per_iter", x.bCalls},
                       {"a_self_cpu_us_per_iter", us(x.aSelfCpuNs)},
                       {"b_self_cpu_us_per_iter", us(x.bSelfCpuNs)},
                       {"a_self_gpu_us_per_iter", us(x.aSelfGpuNs)},
                       {"b_self_gpu_us_per_iter", us(x.bSelfGpuNs)},
                       {"change", std::string(rowChangeName(x.change))},
                       {"kind", std::string(eventKindName(x.kind))},
                       {"on_gpu", x.onGpu},
                       {"delta_us_per_iter", us(x.timeDeltaNs())},
                       {"noise_us", us(x.noiseNs)}});
    }
    j["ops"] = std::move(ops);
    j["ops_total"] = c.ops.size();
    j["summary"] = c.summary;
    return j;
}

}  // namespace gaplens
