#include "core/report/Report.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <ostream>

#include "core/model/TimeText.h"
#include "core/analysis/HostActivity.h"
#include "core/report/JobReport.h"
#include "core/analysis/Percentiles.h"
#include "core/report/TextColumns.h"

namespace gaplens {


namespace {

double us(TimeNs ns) { return double(ns) / 1000.0; }

std::string baseName(const std::string& path) { return std::filesystem::path(path).filename().string(); }

// The problem size of a run: the capture's metadata when it says so, else the last number in
// the file name ("torch_mm8192_warm.json" -> 8192).
int64_t sizeOf(const Trace& trace, const std::string& path) {
    const auto& m = trace.metadata;
    if (m.is_object()) {
        if (auto g = m.find("gaplens"); g != m.end() && g->is_object())
            if (auto s = g->find("size"); s != g->end() && s->is_number_integer()) return s->get<int64_t>();
        if (auto s = m.find("size"); s != m.end() && s->is_number_integer()) return s->get<int64_t>();
    }
    std::string stem = baseName(path);
    stem = stem.substr(0, stem.find('.'));
    int64_t value = 0;
    bool found = false;
    for (size_t i = 0; i < stem.size();) {
        if (!std::isdigit(static_cast<unsigned char>(stem[i]))) {
            ++i;
            continue;
        }
        int64_t v = 0;
        size_t j = i;
        while (j < stem.size() && std::isdigit(static_cast<unsigned char>(stem[j])) && j - i < 12) v = v * 10 + (stem[j++] - '0');
        value = v;
        found = true;
        i = j;
    }
    return found ? value : 0;
}

// Dead windows of the range the bound window is made of (or of every range when there is none):
// the largest cold one, and the median of the others.
std::pair<TimeNs, TimeNs> deadColdSteady(const Report& r) {
    TimeNs cold = 0;
    std::vector<TimeNs> steady;
    for (const DeadWindow& w : r.deadWindows.windows) {
        if (!w.hasGpuWork) continue;
        if (!r.bound.rangeName.empty() && rangeFamilyOf(r.deadWindows.rangeNameOf(w)) != r.bound.rangeName) continue;
        if (w.cold) cold = std::max(cold, w.durNs);
        else steady.push_back(w.durNs);
    }
    return {cold, upperMedianOf(steady)};
}

size_t opsShown(const Report& r, const OpsTable& table) {
    return r.options.top > 0 ? std::min<size_t>(size_t(r.options.top), table.rows.size()) : table.rows.size();
}
size_t opsShown(const Report& r) { return opsShown(r, r.ops); }

// The ops table's text columns, as torch's key_averages().table(); % columns are of `whole`'s
// totals (the ungrouped table), so that the percentages of range groups add up across groups.
std::string opsTableText(const OpsTable& table, size_t shown, const OpsTable& whole, const std::string& indent) {
    std::string o = indent + padRight("Name", 50) + padLeft("Self CPU %", 11) + padLeft("Self CPU", 11) +
                    padLeft("CPU total %", 12) + padLeft("CPU total", 11) + padLeft("CPU avg", 11) +
                    padLeft("Self GPU", 11) + padLeft("Self GPU %", 11) + padLeft("GPU total", 11) +
                    padLeft("GPU avg", 11) + padLeft("Calls", 8) + "\n";
    for (size_t i = 0; i < shown; ++i) {
        const OpRow& x = table.rows[i];
        o += indent + padRight(cut(x.name, 49), 50) + padLeft(fmt("%.2f%%", whole.pctOfCpu(x.selfCpuNs)), 11) +
             padLeft(formatDuration(x.selfCpuNs), 11) + padLeft(fmt("%.2f%%", whole.pctOfCpu(x.cpuTotalNs)), 12) +
             padLeft(formatDuration(x.cpuTotalNs), 11) + padLeft(formatDuration(x.cpuAvgNs()), 11) +
             padLeft(formatDuration(x.selfGpuNs), 11) + padLeft(fmt("%.2f%%", whole.pctOfGpu(x.selfGpuNs)), 11) +
             padLeft(formatDuration(x.gpuTotalNs), 11) + padLeft(formatDuration(x.gpuAvgNs()), 11) +
             padLeft(std::to_string(x.calls), 8) + "\n";
    }
    const char* in = &table == &whole ? "" : " in this group";
    o += indent + "Self CPU time total" + in + ": " + formatDuration(table.selfCpuTotalNs) + "\n";
    o += indent + "Self GPU time total" + in + ": " + formatDuration(table.selfGpuTotalNs) + "\n";
    return o;
}

nlohmann::json opsTableJson(const OpsTable& table, size_t shown) {
    nlohmann::json ops = nlohmann::json::array();
    for (size_t i = 0; i < shown; ++i) {
        const OpRow& x = table.rows[i];
        ops.push_back({{"name", x.name},
                       {"calls", x.calls},
                       {"self_cpu_us", us(x.selfCpuNs)},
                       {"cpu_total_us", us(x.cpuTotalNs)},
                       {"self_gpu_us", us(x.selfGpuNs)},
                       {"gpu_total_us", us(x.gpuTotalNs)}});
    }
    return ops;
}

// "matmul_add: 5 instances, 596.8 µs in all"
std::string rangeGroupTitle(const OpsRangeGroup& g) {
    if (g.range == kNoRangeGroup && g.instances == 0) return g.range + ": ops outside every range";
    return g.range + ": " + std::to_string(g.instances) + (g.instances == 1 ? " instance, " : " instances, ") +
           formatDuration(g.rangeTotalNs) + " in all";
}

double pctOfDeviceWindow(const DeviceBusy& d, TimeNs part) {
    const TimeNs w = d.windowEndNs - d.windowStartNs;
    return w > 0 ? 100.0 * double(part) / double(w) : 0.0;
}

// The bound window's figures beyond the verdict line, one per line, each prefixed with `indent`.
std::string boundFiguresText(const BoundResult& b, const std::string& indent) {
    std::string o;
    o += indent + "engines: kernels " + fmt("%.1f%%", b.computeBusyPct) + " (" + formatDuration(b.computeBusyNs) +
         "), copies " + fmt("%.1f%%", b.copyBusyPct) + " (" + formatDuration(b.copyBusyNs) +
         "), compute idle while copying " + formatDuration(b.computeIdleWhileCopyingNs) + "\n";
    o += indent + "CPU time " + formatDuration(b.cpuNs) + " (busy time of the launching threads";
    if (b.blockedNs > 0) o += ", " + formatDuration(b.blockedNs) + " blocked in syncs left out";
    o += "), GPU busy " + formatDuration(b.gpuBusyNs) + "\n";
    if (b.kind != WindowKind::WholeTrace) {
        o += indent + std::to_string(b.iterations.size()) + " iterations";
        if (b.kind == WindowKind::Detected) o += " of " + std::to_string(b.detectedPeriod) + " launches each, detected";
        o += ", " + std::to_string(b.warmupInstances) + " warm-up left out\n";
    }
    if (b.unknownNs > 0)
        o += indent + "first " + formatDuration(b.unknownNs) +
             " of the window left out: the GPU ran work launched before the recording\n";
    return o;
}

// "Rank 1 of 2: 32 collectives (ncclDevKernel_AllReduce...), 14.2 ms, 3.1% overlapped by compute"
std::string rankLine(const RankCollectives& rank) {
    std::string s = "Rank " + std::to_string(rank.rank) + (rank.worldSize > 0 ? " of " + std::to_string(rank.worldSize) : "") +
                    ": " + std::to_string(rank.kernels.size()) + " collective kernels";
    if (!rank.names.empty()) s += " (" + cut(rank.names.front(), 40) + (rank.names.size() > 1 ? ", ..." : "") + ")";
    s += ", " + formatDuration(rank.collectiveNs) + ", " + fmt("%.1f%%", rank.overlapPct()) +
         " overlapped by compute; waits need the other ranks (gaplens report rank*.json, or gaplens merge)\n";
    return s;
}

constexpr size_t kTextGapLines = 50;  // text/Markdown list the longest; JSON and CSV list all

}  // namespace

Report buildReport(const Trace& trace, const ReportOptions& options) {
    Report r;
    r.options = options;
    TraceSummary& s = r.trace;
    if (!options.path.empty()) {
        s.path = options.path;
    } else {
        for (const std::string& p : trace.sourcePaths) s.path += (s.path.empty() ? "" : ",") + p;
    }
    s.events = trace.eventCount();
    for (const Track& t : trace.tracks) {
        if (t.trackKind == TrackKind::CpuThread) ++s.cpuThreads;
        if (t.isGpu()) ++s.gpuStreams;
    }
    s.devices = trace.devices();
    s.spanNs = trace.endNs() - trace.beginNs();

    r.ops = computeOpsTable(trace);
    if (!sortOpsTable(r.ops, options.sortKey)) sortOpsTable(r.ops, "cpu_total");
    if (options.groupOpsByRange) {
        r.opsByRange = computeOpsTableByRange(trace);
        if (!sortOpsByRange(r.opsByRange, options.sortKey)) sortOpsByRange(r.opsByRange, "cpu_total");
    }
    r.gpu = computeGpuBusy(trace);
    const HostActivity host = buildHostActivity(trace);
    r.gaps = analyzeGaps(trace, r.gpu, host, options.minGapNs, options.gapDetails ? 100'000 : 0);
    r.launchLatency = computeLaunchLatency(trace);
    r.deadWindows = computeDeadWindows(trace, r.gpu, host);
    r.bound = classifyBound(trace, r.gpu, r.deadWindows, host);
    AdviceInput in{&trace, &r.ops, &r.gpu, &r.gaps, &r.launchLatency, &r.deadWindows, &r.bound};
    r.advice = computeAdvice(in);

    SweepRow& row = r.sweepRow;
    row.label = baseName(s.path);
    row.size = sizeOf(trace, s.path);
    row.cpuUsPerIter = us(r.bound.cpuPerIterNs);
    row.gpuUsPerIter = us(r.bound.gpuPerIterNs);
    row.busyPct = r.bound.busyPct;
    row.launchP50Us = us(r.launchLatency.p50Ns);
    const auto [cold, steady] = deadColdSteady(r);
    row.deadColdUs = us(cold);
    row.deadWarmUs = us(steady);
    row.tflops = matmulTflops(row.size, row.gpuUsPerIter);
    row.cls = r.bound.cls;

    // One file that is a rank: its part of the job's figures.
    const JobRanks ranks = findJobRanks(trace);
    if (ranks.ranks.size() == 1) {
        RankCollectives rank = computeRankCollectives(trace, ranks.ranks[0]);
        if (!options.path.empty()) rank.path = options.path;
        if (ranks.ranks[0].fromMetadata || !rank.kernels.empty()) r.rank = std::move(rank);
    }
    return r;
}

std::vector<const Gap*> listedGaps(const Report& report) {
    std::vector<const Gap*> out;
    for (const Gap& g : report.gaps.gaps)
        if (g.dur >= report.options.minGapNs) out.push_back(&g);
    return out;
}

std::string formatVerdictLine(const Report& r) {
    const auto [cold, steady] = deadColdSteady(r);
    std::string s = "GPU busy " + fmt("%.1f%%", r.bound.busyPct);
    switch (r.bound.kind) {
    case WindowKind::WholeTrace: s += " (whole trace)"; break;
    case WindowKind::Detected: s += " (" + std::to_string(r.bound.instances) + " iterations, detected)"; break;
    default: s += " (steady " + r.bound.rangeName + ")"; break;
    }
    if (r.bound.copyBusyNs > 0) s += ", copies " + fmt("%.1f%%", r.bound.copyBusyPct) + ", kernels " + fmt("%.1f%%", r.bound.computeBusyPct);
    if (!r.deadWindows.windows.empty()) {
        s += ", dead window ";
        s += cold > 0 ? "cold " + formatDuration(cold) + " / " : "";
        s += "steady " + formatDuration(steady);
    }
    s += ", " + std::string(boundClassName(r.bound.cls));
    if (r.bound.gpuOverCpu > 0) s += " (GPU/CPU time " + fmt("%.3g", r.bound.gpuOverCpu) + ")";
    return s;
}

std::string reportToText(const Report& r) {
    std::string o;
    const TraceSummary& s = r.trace;
    o += "gaplens report: " + s.path + "\n";
    o += "  " + std::to_string(s.events) + " events, " + std::to_string(s.cpuThreads) + " CPU threads, " +
         std::to_string(s.gpuStreams) + " GPU streams, " + std::to_string(s.devices.size()) + " devices, span " +
         formatDuration(s.spanNs) + "\n";
    for (const std::string& w : s.warnings) o += "  warning: " + w + "\n";
    o += "\n" + formatVerdictLine(r) + "\n";

    // Ops table, columns as torch's key_averages().table().
    const size_t shown = opsShown(r);
    o += "\nOps (sorted by " + r.options.sortKey + (shown < r.ops.rows.size() ? ", top " + std::to_string(shown) : "") +
         " of " + std::to_string(r.ops.rows.size()) + ")\n";
    o += opsTableText(r.ops, shown, r.ops, "");
    if (r.options.groupOpsByRange) {
        o += "\nOps by range (innermost enclosing range; sorted by " + r.options.sortKey +
             (r.options.top > 0 ? ", top " + std::to_string(r.options.top) + " per range" : "") +
             "; % of the whole trace's totals)\n";
        for (const OpsRangeGroup& g : r.opsByRange.groups) {
            const size_t n = opsShown(r, g.ops);
            o += "\n" + rangeGroupTitle(g) + " (" + std::to_string(n) + " of " + std::to_string(g.ops.rows.size()) +
                 " ops)\n";
            o += opsTableText(g.ops, n, r.ops, "  ");
        }
    }

    o += "\nGPU busy / idle\n";
    for (const DeviceBusy& d : r.gpu.devices) {
        o += "  device " + std::to_string(d.device) + ": busy " + formatDuration(d.busyNs) + " (" +
             fmt("%.1f%%", d.busyPct()) + "), idle " + formatDuration(d.idleNs) + ", " + std::to_string(d.kernels) +
             " kernels (" + formatDuration(d.kernelNs) + "), " + std::to_string(d.memcpys) + " memcpy, " +
             std::to_string(d.memsets) + " memset\n";
        if (d.memcpys + d.memsets > 0)
            o += "    engines: kernels " + formatDuration(d.computeBusyNs) + " (" + fmt("%.1f%%", pctOfDeviceWindow(d, d.computeBusyNs)) +
                 "), copies " + formatDuration(d.copyBusyNs) + " (" + fmt("%.1f%%", pctOfDeviceWindow(d, d.copyBusyNs)) +
                 "), compute idle while copying " + formatDuration(d.computeIdleWhileCopyingNs) + "\n";
        if (d.unknownNs > 0)
            o += "    first " + formatDuration(d.unknownNs) +
                 " left out: the first GPU op has no launch record (work launched before the profiling window)\n";
    }

    if (r.rank) o += rankLine(*r.rank);

    const auto listed = listedGaps(r);
    o += "\nIdle gaps >= " + formatDuration(r.options.minGapNs) + ": " + std::to_string(listed.size()) + " of " +
         std::to_string(r.gaps.gaps.size()) + " (longest first)\n";
    for (size_t i = 0; i < listed.size() && i < kTextGapLines; ++i) {
        const Gap& g = *listed[i];
        o += "  " + padLeft(formatDuration(g.dur), 10) + "  at " + padRight(formatDuration(g.start), 10) + " gpu" +
             std::to_string(g.device) + "  " + padRight(std::string(gapCauseName(g.cause)), 14) + std::string(r.gaps.detailOf(g)) +
             "\n";
    }
    if (listed.size() > kTextGapLines)
        o += "  ... " + std::to_string(listed.size() - kTextGapLines) + " more (gaplens gaps --csv lists all)\n";
    o += "Idle time per cause:\n";
    for (int c = 0; c < kGapCauseCount; ++c) {
        const CauseTotal& t = r.gaps.totals[size_t(c)];
        if (t.count == 0) continue;
        o += "  " + padRight(std::string(gapCauseName(GapCause(c))), 14) + padLeft(formatDuration(t.totalNs), 10) +
             padLeft(fmt("%.1f%%", r.gaps.idleNs ? 100.0 * double(t.totalNs) / double(r.gaps.idleNs) : 0.0), 8) +
             "  " + std::to_string(t.count) + " gaps\n";
    }
    if (r.gaps.unrecordedNs > 0)
        o += "  (of which host time inside ops with no API record: " + formatDuration(r.gaps.unrecordedNs) + ")\n";

    o += "\nLaunch latency (launch call start -> GPU start), " + std::to_string(r.launchLatency.count) +
         " launches, p50 " + formatDuration(r.launchLatency.p50Ns) + "\n";
    o += "  " + padRight("kernel", 50) + padLeft("count", 7) + padLeft("p50", 10) + padLeft("p90", 10) +
         padLeft("max", 10) + padLeft("queue p50", 11) + padLeft("dispatch p50", 13) + "\n";
    for (const KernelLatency& k : r.launchLatency.perKernel)
        o += "  " + padRight(cut(k.kernel, 49), 50) + padLeft(std::to_string(k.count), 7) +
             padLeft(formatDuration(k.p50Ns), 10) + padLeft(formatDuration(k.p90Ns), 10) +
             padLeft(formatDuration(k.maxNs), 10) + padLeft(formatDuration(k.queueP50Ns), 11) +
             padLeft(formatDuration(k.dispatchP50Ns), 13) + "\n";
    if (!r.launchLatency.outliers.empty()) {
        o += "  outliers:\n";
        for (const LaunchOutlier& x : r.launchLatency.outliers)
            o += "    " + formatDuration(x.latencyNs) + " (queue " + formatDuration(x.queueNs) + ") " +
                 cut(x.kernel, 60) + " at " + formatDuration(x.gpuStartNs) + "\n";
    }

    o += "\nDead windows (range start -> first GPU work)\n";
    if (r.deadWindows.windows.empty()) o += "  no user ranges in this trace\n";
    size_t shownWindows = 0;
    for (const DeadWindow& w : r.deadWindows.windows) {
        if (shownWindows++ >= kTextGapLines) {
            o += "  ... " + std::to_string(r.deadWindows.windows.size() - kTextGapLines) + " more (--format json lists all)\n";
            break;
        }
        o += "  " + padRight(cut(r.deadWindows.rangeNameOf(w), 30) + " #" + std::to_string(w.instance), 36) + " at " +
             padRight(formatDuration(w.startNs), 10);
        if (!w.hasGpuWork) {
            o += " no GPU work launched\n";
            continue;
        }
        o += " dead " + padLeft(formatDuration(w.durNs), 9) + "  host " + padLeft(formatDuration(w.hostNs), 9) +
             "  launch " + padLeft(formatDuration(w.launchNs), 9) + (w.cold ? "  COLD" : "") +
             (w.queued ? "  (GPU busy at range start: queueing)" : "") + "\n";
        const auto oneTimeCalls = r.deadWindows.oneTimeCallsOf(w);
        if (!oneTimeCalls.empty() || w.unrecordedNs > 0) {
            std::string calls;
            for (size_t i = 0; i < oneTimeCalls.size() && i < 5; ++i) calls += (i ? ", " : "") + oneTimeCalls[i];
            if (w.cold || w.durNs >= 1'000'000) {
                o += "      one-time: " + (calls.empty() ? std::string("none") : calls) + "\n";
                if (w.unrecordedNs > 0)
                    o += "      host time inside ops with no API record: " + formatDuration(w.unrecordedNs) + "\n";
            }
        }
    }

    o += "\nBound: " + std::string(boundClassName(r.bound.cls)) + " — " + r.bound.window + ": GPU busy " +
         fmt("%.1f%%", r.bound.busyPct) + ", GPU time / CPU time " + fmt("%.3g", r.bound.gpuOverCpu);
    if (r.bound.instances > 0)
        o += ", " + formatDuration(r.bound.cpuPerIterNs) + "/iter host, " + formatDuration(r.bound.gpuPerIterNs) +
             "/iter GPU";
    o += "\n" + boundFiguresText(r.bound, "  ");

    o += "\nAdvice\n" + adviceToText(r.advice);
    return o;
}

std::string adviceToText(const std::vector<Advice>& advice) {
    if (advice.empty()) return "  nothing stands out\n";
    std::string o;
    for (const Advice& a : advice)
        o += "  [" + a.rule + "] " + formatDuration(a.savingNs) + " at stake: " + a.text + "\n      (" + a.evidence + ")\n";
    return o;
}

std::string adviceToMarkdown(const std::vector<Advice>& advice) {
    std::string o = "\n## Advice\n\n";
    if (advice.empty()) o += "Nothing stands out.\n";
    for (const Advice& a : advice)
        o += "- **" + a.rule + "** (" + formatDuration(a.savingNs) + " at stake): " + mdEscape(a.text) + " — _" +
             mdEscape(a.evidence) + "_\n";
    return o;
}

nlohmann::json adviceToJson(const std::vector<Advice>& advice) {
    nlohmann::json out = nlohmann::json::array();
    for (const Advice& a : advice)
        out.push_back({{"rule", a.rule}, {"saving_us", us(a.savingNs)}, {"text", a.text}, {"evidence", a.evidence}});
    return out;
}

namespace {

std::string opsTableMarkdown(const OpsTable& table, size_t shown) {
    std::string o = "| name | calls | self CPU | CPU total | self GPU | GPU total |\n|---|---|---|---|---|---|\n";
    for (size_t i = 0; i < shown; ++i) {
        const OpRow& x = table.rows[i];
        o += "| " + mdEscape(cut(x.name, 80)) + (x.onGpu ? " (GPU)" : "") + " | " + std::to_string(x.calls) + " | " +
             formatDuration(x.selfCpuNs) + " | " + formatDuration(x.cpuTotalNs) + " | " + formatDuration(x.selfGpuNs) +
             " | " + formatDuration(x.gpuTotalNs) + " |\n";
    }
    return o;
}

}  // namespace

std::string reportToMarkdown(const Report& r) {
    std::string o;
    const TraceSummary& s = r.trace;
    o += "# gaplens report: " + mdEscape(baseName(s.path)) + "\n\n";
    o += "**" + mdEscape(formatVerdictLine(r)) + "**\n\n";
    o += std::to_string(s.events) + " events, " + std::to_string(s.cpuThreads) + " CPU threads, " +
         std::to_string(s.gpuStreams) + " GPU streams, span " + formatDuration(s.spanNs) + ".\n";
    for (const std::string& w : s.warnings) o += "\n> warning: " + mdEscape(w) + "\n";

    o += adviceToMarkdown(r.advice);

    o += "\n## GPU busy / idle\n\n| device | busy | busy % | idle | kernels | kernel time | compute busy | copy busy | "
         "compute idle while copying |\n|---|---|---|---|---|---|---|---|---|\n";
    for (const DeviceBusy& d : r.gpu.devices)
        o += "| " + std::to_string(d.device) + " | " + formatDuration(d.busyNs) + " | " + fmt("%.1f%%", d.busyPct()) +
             " | " + formatDuration(d.idleNs) + " | " + std::to_string(d.kernels) + " | " + formatDuration(d.kernelNs) +
             " | " + formatDuration(d.computeBusyNs) + " | " + formatDuration(d.copyBusyNs) + " | " +
             formatDuration(d.computeIdleWhileCopyingNs) + " |\n";

    if (r.rank) o += "\n" + rankLine(*r.rank);

    o += "\n## Bound\n\n**" + std::string(boundClassName(r.bound.cls)) + "** over " + mdEscape(r.bound.window) +
         ": GPU busy " + fmt("%.1f%%", r.bound.busyPct) + ", GPU time / CPU time " + fmt("%.3g", r.bound.gpuOverCpu) +
         ".\n\n";
    {
        const std::string figures = boundFiguresText(r.bound, "- ");
        o += mdEscape(figures);
    }

    const auto listed = listedGaps(r);
    o += "\n## Idle gaps\n\n" + std::to_string(listed.size()) + " gaps >= " + formatDuration(r.options.minGapNs) +
         " of " + std::to_string(r.gaps.gaps.size()) + ".\n\n| cause | time | gaps |\n|---|---|---|\n";
    for (int c = 0; c < kGapCauseCount; ++c) {
        const CauseTotal& t = r.gaps.totals[size_t(c)];
        if (t.count) o += "| " + std::string(gapCauseName(GapCause(c))) + " | " + formatDuration(t.totalNs) + " | " +
                          std::to_string(t.count) + " |\n";
    }
    o += "\n| start | duration | device | cause | detail |\n|---|---|---|---|---|\n";
    for (size_t i = 0; i < listed.size() && i < kTextGapLines; ++i) {
        const Gap& g = *listed[i];
        o += "| " + formatDuration(g.start) + " | " + formatDuration(g.dur) + " | " + std::to_string(g.device) + " | " +
             std::string(gapCauseName(g.cause)) + " | " + mdEscape(r.gaps.detailOf(g)) + " |\n";
    }

    o += "\n## Dead windows\n\n| range | # | start | dead | host | launch | cold | one-time calls |\n|---|---|---|---|---|---|---|---|\n";
    size_t n = 0;
    for (const DeadWindow& w : r.deadWindows.windows) {
        if (!w.hasGpuWork) continue;
        if (n++ >= kTextGapLines) break;
        const auto oneTimeCalls = r.deadWindows.oneTimeCallsOf(w);
        std::string calls;
        for (size_t i = 0; i < oneTimeCalls.size() && i < 4; ++i) calls += (i ? ", " : "") + oneTimeCalls[i];
        o += "| " + mdEscape(r.deadWindows.rangeNameOf(w)) + " | " + std::to_string(w.instance) + " | " +
             formatDuration(w.startNs) + " | " + formatDuration(w.durNs) + " | " + formatDuration(w.hostNs) + " | " +
             formatDuration(w.launchNs) + " | " +
             (w.cold ? "yes" : "") + " | " + mdEscape(calls) + " |\n";
    }

    o += "\n## Launch latency\n\n| kernel | count | p50 | p90 | max | queue p50 | dispatch p50 |\n|---|---|---|---|---|---|---|\n";
    for (const KernelLatency& k : r.launchLatency.perKernel)
        o += "| " + mdEscape(cut(k.kernel, 80)) + " | " + std::to_string(k.count) + " | " + formatDuration(k.p50Ns) +
             " | " + formatDuration(k.p90Ns) + " | " + formatDuration(k.maxNs) + " | " + formatDuration(k.queueP50Ns) +
             " | " + formatDuration(k.dispatchP50Ns) + " |\n";

    const size_t shown = opsShown(r);
    o += "\n## Ops (sorted by " + r.options.sortKey + ")\n\n" + opsTableMarkdown(r.ops, shown);
    if (r.options.groupOpsByRange) {
        o += "\n## Ops by range (sorted by " + r.options.sortKey + ")\n";
        for (const OpsRangeGroup& g : r.opsByRange.groups)
            o += "\n### " + mdEscape(rangeGroupTitle(g)) + "\n\n" + opsTableMarkdown(g.ops, opsShown(r, g.ops));
    }
    return o;
}

namespace {

nlohmann::json gapJson(const Report& r, const Gap& g) {
    return {{"device", g.device},
            {"start_us", us(g.start)},
            {"dur_us", us(g.dur)},
            {"cause", std::string(gapCauseName(g.cause))},
            {"detail", std::string(r.gaps.detailOf(g))}};
}

// The report JSON with "gaps" empty: on a big trace the listed gaps are nearly all of it.
nlohmann::json reportJsonWithoutGaps(const Report& r) {
    using nlohmann::json;
    json j;
    const TraceSummary& s = r.trace;
    j["trace"] = {{"path", s.path},       {"events", s.events},      {"cpu_threads", s.cpuThreads},
                  {"gpu_streams", s.gpuStreams}, {"devices", s.devices}, {"span_us", us(s.spanNs)}};
    j["ops"] = opsTableJson(r.ops, opsShown(r));
    if (r.options.groupOpsByRange) {
        json groups = json::array();
        for (const OpsRangeGroup& g : r.opsByRange.groups)
            groups.push_back({{"range", g.range},
                              {"instances", g.instances},
                              {"range_total_us", us(g.rangeTotalNs)},
                              {"ops", opsTableJson(g.ops, opsShown(r, g.ops))}});
        j["ops_by_range"] = std::move(groups);
    }
    json gpu = json::array();
    for (const DeviceBusy& d : r.gpu.devices)
        gpu.push_back({{"device", d.device},
                       {"busy_us", us(d.busyNs)},
                       {"idle_us", us(d.idleNs)},
                       {"busy_pct", d.busyPct()},
                       {"kernels", d.kernels},
                       {"kernel_us", us(d.kernelNs)},
                       {"compute_busy_us", us(d.computeBusyNs)},
                       {"copy_busy_us", us(d.copyBusyNs)},
                       {"compute_idle_while_copying_us", us(d.computeIdleWhileCopyingNs)}});
    j["gpu"] = std::move(gpu);
    j["gaps"] = json::array();  // listed gaps: added one at a time by reportToJson / writeReportJson
    json lat = json::array();
    for (const KernelLatency& k : r.launchLatency.perKernel)
        lat.push_back({{"kernel", k.kernel},
                       {"count", k.count},
                       {"p50_us", us(k.p50Ns)},
                       {"p90_us", us(k.p90Ns)},
                       {"max_us", us(k.maxNs)},
                       {"queue_p50_us", us(k.queueP50Ns)},
                       {"dispatch_p50_us", us(k.dispatchP50Ns)}});
    j["launch_latency"] = std::move(lat);
    json dead = json::array();
    for (const DeadWindow& w : r.deadWindows.windows) {
        json calls = json::array();
        for (const std::string& c : r.deadWindows.oneTimeCallsOf(w)) calls.push_back(c);
        dead.push_back({{"range", r.deadWindows.rangeNameOf(w)},
                        {"start_us", us(w.startNs)},
                        {"dur_us", us(w.durNs)},
                        {"host_us", us(w.hostNs)},
                        {"launch_us", us(w.launchNs)},
                        {"cold", w.cold},
                        {"one_time_calls", std::move(calls)}});
    }
    j["dead_windows"] = std::move(dead);
    const BoundResult& b = r.bound;
    j["bound"] = {{"window", b.window},
                  {"class", std::string(boundClassName(b.cls))},
                  {"busy_pct", b.busyPct},
                  {"gpu_over_cpu", b.gpuOverCpu},
                  {"window_kind", std::string(windowKindName(b.kind))},
                  {"iterations", b.instances},
                  {"warmup_left_out", b.warmupInstances},
                  {"start_us", us(b.startNs)},
                  {"end_us", us(b.endNs)},
                  {"unknown_us", us(b.unknownNs)},
                  {"gpu_busy_us", us(b.gpuBusyNs)},
                  {"compute_busy_pct", b.computeBusyPct},
                  {"copy_busy_pct", b.copyBusyPct},
                  {"compute_idle_while_copying_us", us(b.computeIdleWhileCopyingNs)},
                  {"cpu_us", us(b.cpuNs)},
                  {"blocked_us", us(b.blockedNs)},
                  {"cpu_per_iter_us", us(b.cpuPerIterNs)},
                  {"gpu_per_iter_us", us(b.gpuPerIterNs)}};
    j["advice"] = adviceToJson(r.advice);
    if (r.rank) j["ranks"] = nlohmann::json::array({rankToJson(*r.rank, nullptr, true)});
    return j;
}

// `text`, the dump(1) of a value nested `level` (1 or 2) deep: every line after its first
// indented by `level` more, as dump(1) of the whole document writes it.
// (Strings are escaped in the text: every newline in it is dump's own.)
void writeNested(std::ostream& out, std::string_view text, int level) {
    static constexpr char kSpaces[] = "  ";
    for (size_t from = 0;;) {
        const size_t nl = text.find('\n', from);
        const size_t end = nl == std::string_view::npos ? text.size() : nl + 1;
        out.write(text.data() + from, std::streamsize(end - from));
        if (nl == std::string_view::npos) return;
        out.write(kSpaces, level);
        from = end;
    }
}

}  // namespace

nlohmann::json reportToJson(const Report& r) {
    nlohmann::json j = reportJsonWithoutGaps(r);
    nlohmann::json& gaps = j["gaps"];
    for (const Gap* g : listedGaps(r)) gaps.push_back(gapJson(r, *g));
    return j;
}

void writeReportJson(const Report& r, std::ostream& out) {
    const nlohmann::json j = reportJsonWithoutGaps(r);
    const std::vector<const Gap*> listed = listedGaps(r);
    out << "{\n";
    for (auto it = j.begin(); it != j.end(); ++it) {
        out << (it == j.begin() ? " " : ",\n ") << nlohmann::json(it.key()).dump() << ": ";
        const bool gaps = it.key() == "gaps";
        const size_t n = gaps ? listed.size() : it.value().is_array() ? it.value().size() : 0;
        if (n == 0) {
            writeNested(out, it.value().dump(1), 1);
            continue;
        }
        // Arrays element by element: the text of one element at a time.
        out << "[\n";
        for (size_t i = 0; i < n; ++i) {
            out << (i ? ",\n  " : "  ");
            writeNested(out, (gaps ? gapJson(r, *listed[i]) : it.value()[i]).dump(1), 2);
        }
        out << "\n ]";
    }
    out << "\n}";
}

std::string gapsToCsv(const Report& r) {
    auto quote = [](std::string_view s) {
        if (s.find_first_of(",\"\n") == std::string_view::npos) return std::string(s);
        std::string o = "\"";
        for (char c : s) {
            if (c == '"') o += '"';
            o += c;
        }
        return o + "\"";
    };
    std::string o = "device,start_us,dur_us,cause,detail\n";
    for (const Gap* g : listedGaps(r))
        o += std::to_string(g->device) + "," + fmt("%.3f", us(g->start)) + "," + fmt("%.3f", us(g->dur)) + "," +
             std::string(gapCauseName(g->cause)) + "," + quote(r.gaps.detailOf(*g)) + "\n";
    return o;
}

Sweep sweepOf(const std::vector<Report>& reports) {
    std::vector<SweepRow> rows;
    for (const Report& r : reports) rows.push_back(r.sweepRow);
    return computeSweep(std::move(rows));
}

std::string sweepToText(const Sweep& sweep) {
    std::string o = "Sweep\n";
    o += padRight("run", 28) + padLeft("size", 7) + padLeft("us/iter CPU", 13) + padLeft("us/iter GPU", 13) +
         padLeft("busy %", 8) + padLeft("launch p50", 12) + padLeft("dead cold", 11) + padLeft("dead warm", 11) +
         padLeft("TFLOP/s", 9) + "  class\n";
    for (const SweepRow& x : sweep.rows)
        o += padRight(cut(x.label, 27), 28) + padLeft(x.size ? std::to_string(x.size) : "?", 7) +
             padLeft(fmt("%.1f", x.cpuUsPerIter), 13) + padLeft(fmt("%.1f", x.gpuUsPerIter), 13) +
             padLeft(fmt("%.1f", x.busyPct), 8) + padLeft(fmt("%.1f us", x.launchP50Us), 12) +
             padLeft(x.deadColdUs > 0 ? formatDuration(TimeNs(x.deadColdUs * 1000)) : "-", 11) +
             padLeft(formatDuration(TimeNs(x.deadWarmUs * 1000)), 11) + padLeft(fmt("%.1f", x.tflops), 9) + "  " +
             std::string(boundClassName(x.cls)) + "\n";
    o += sweep.crossoverText + "\n";
    return o;
}

std::string sweepToMarkdown(const Sweep& sweep) {
    std::string o = "## Sweep\n\n| run | size | µs/iter CPU | µs/iter GPU | busy % | launch p50 µs | dead cold | dead warm | TFLOP/s | class |\n|---|---|---|---|---|---|---|---|---|---|\n";
    for (const SweepRow& x : sweep.rows)
        o += "| " + mdEscape(x.label) + " | " + (x.size ? std::to_string(x.size) : "?") + " | " +
             fmt("%.1f", x.cpuUsPerIter) + " | " + fmt("%.1f", x.gpuUsPerIter) + " | " + fmt("%.1f", x.busyPct) + " | " +
             fmt("%.1f", x.launchP50Us) + " | " + (x.deadColdUs > 0 ? formatDuration(TimeNs(x.deadColdUs * 1000)) : "-") +
             " | " + formatDuration(TimeNs(x.deadWarmUs * 1000)) + " | " + fmt("%.1f", x.tflops) + " | " +
             std::string(boundClassName(x.cls)) + " |\n";
    o += "\n" + mdEscape(sweep.crossoverText) + "\n";
    return o;
}

nlohmann::json sweepToJson(const Sweep& sweep) {
    using nlohmann::json;
    json rows = json::array();
    for (const SweepRow& x : sweep.rows)
        rows.push_back({{"run", x.label},
                        {"size", x.size},
                        {"cpu_us_per_iter", x.cpuUsPerIter},
                        {"gpu_us_per_iter", x.gpuUsPerIter},
                        {"busy_pct", x.busyPct},
                        {"launch_p50_us", x.launchP50Us},
                        {"dead_cold_us", x.deadColdUs},
                        {"dead_warm_us", x.deadWarmUs},
                        {"tflops", x.tflops},
                        {"class", std::string(boundClassName(x.cls))}});
    json j = {{"rows", rows}, {"crossover_text", sweep.crossoverText}};
    j["crossover_size"] = sweep.crossoverSize ? json(*sweep.crossoverSize) : json(nullptr);
    return j;
}

}  // namespace gaplens
