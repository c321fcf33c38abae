#include "core/analysis/RunComparison.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <utility>

#include "core/analysis/ComparisonSummary.h"
#include "core/analysis/OpsTable.h"
#include "core/analysis/Percentiles.h"
#include "core/report/Report.h"

namespace gaplens {

namespace {

struct FigureInfo {
    std::string_view label, key;
    FigureUnit unit;
    bool lowerIsBetter;
};

constexpr std::array<FigureInfo, kFigureCount> kFigures{{
    {"iteration time", "iter_us", FigureUnit::Time, true},
    {"host time", "host_iter_us", FigureUnit::Time, true},
    {"GPU time", "gpu_iter_us", FigureUnit::Time, true},
    {"GPU busy", "busy_pct", FigureUnit::Percent, false},
    {"idle: queued-launch", "idle_us:queued-launch", FigureUnit::Time, true},
    {"idle: setup", "idle_us:setup", FigureUnit::Time, true},
    {"idle: sync", "idle_us:sync", FigureUnit::Time, true},
    {"idle: host-overhead", "idle_us:host-overhead", FigureUnit::Time, true},
    {"idle: host-idle", "idle_us:host-idle", FigureUnit::Time, true},
    {"launches", "launches", FigureUnit::Count, true},
    {"kernels", "kernels", FigureUnit::Count, true},
    {"launch p50", "launch_p50_us", FigureUnit::Time, true},
    {"dead window p50", "dead_window_p50_us", FigureUnit::Time, true},
}};

// Per-iteration values are read from at most this many iterations (evenly spaced).
constexpr size_t kMaxSampledIterations = 1000;

// Nearest-rank percentile (p in 0..100) of v, reordering it; 0 when empty.
double percentileOf(std::vector<double>& v, double p) { return gaplens::percentileOf(v.begin(), v.end(), p); }

// p90 - p10: how much the values of one run vary. Reorders v.
double spreadOf(std::vector<double>& v) {
    if (v.size() < 2) return 0;
    const double p90 = percentileOf(v, 90);
    return p90 - percentileOf(v, 10);
}

// One run reduced to its window: means per iteration, values per sampled iteration, ops tables.
struct RunMeasures {
    ComparedRun run;
    std::array<double, kFigureCount> mean{};
    std::array<bool, kFigureCount> known{};
    std::array<std::vector<double>, kFigureCount> samples;  // per sampled period (or per latency / dead window)
    std::array<double, kFigureCount> spread{};              // p90 - p10 of the samples
    OpsTable windowOps;
    std::vector<OpsTable> sampledOps;  // one per sampled period
};

// Which period a time falls in, for times asked in any order (gaps come longest first): the
// periods' starts, sorted, with a table of equal time buckets that says where to start looking, so
// a lookup is a bucket and a short step instead of a binary search over a million starts.
class PeriodIndex {
public:
    explicit PeriodIndex(const std::vector<TimeNs>& starts) : starts_(starts) {
        const size_t n = starts.size();
        first_ = starts.front();
        const TimeNs span = std::max<TimeNs>(1, starts.back() - first_);
        bucketNs_ = std::max<TimeNs>(1, span / TimeNs(n) + 1);
        buckets_.resize(size_t(span / bucketNs_) + 2);
        size_t i = 0;
        for (size_t b = 0; b < buckets_.size(); ++b) {
            const TimeNs at = first_ + TimeNs(b) * bucketNs_;
            while (i + 1 < n && starts[i + 1] <= at) ++i;
            buckets_[b] = uint32_t(i);
        }
    }
    // The last period starting at or before t (the first for t before it).
    size_t operator()(TimeNs t) const {
        if (t <= first_) return 0;
        const size_t b = std::min(buckets_.size() - 1, size_t((t - first_) / bucketNs_));
        size_t i = buckets_[b];
        while (i + 1 < starts_.size() && starts_[i + 1] <= t) ++i;
        return i;
    }

private:
    const std::vector<TimeNs>& starts_;
    TimeNs first_ = 0, bucketNs_ = 1;
    std::vector<uint32_t> buckets_;
};

RunMeasures measureRun(const Trace& trace, const Report& report) {
    RunMeasures m;
    ComparedRun& run = m.run;
    const BoundResult& bound = report.bound;
    run.path = report.trace.path;
    run.window = bound.window;
    run.rangeName = bound.rangeName;
    run.device = bound.device;
    run.cls = bound.cls;
    run.iterationSpans = bound.iterations;
    auto byStart = [](const TimeInterval& x, const TimeInterval& y) { return x.start < y.start; };
    if (!std::is_sorted(run.iterationSpans.begin(), run.iterationSpans.end(), byStart))
        std::sort(run.iterationSpans.begin(), run.iterationSpans.end(), byStart);
    // The whole trace as one iteration (the window choice lists it so; an empty list is the same).
    if (bound.kind == WindowKind::WholeTrace || run.iterationSpans.empty()) {
        run.wholeTrace = true;
        TimeNs s = bound.startNs, e = bound.endNs;
        if (e <= s) s = trace.beginNs(), e = trace.endNs();
        run.iterationSpans.assign(1, {s, e});
    }
    const std::vector<TimeInterval>& spans = run.iterationSpans;
    const size_t n = spans.size();
    run.iterations = int(n);
    run.windowStartNs = spans.front().start;
    run.hostEndNs = run.windowStartNs;
    for (const TimeInterval& s : spans) run.hostEndNs = std::max(run.hostEndNs, s.end);
    run.windowEndNs = std::max(run.hostEndNs, bound.endNs);
    const TimeNs w0 = run.windowStartNs, hostEnd = run.hostEndNs, w1 = run.windowEndNs;

    // Host periods, and the sampled ones.
    std::vector<TimeNs> starts(n);
    for (size_t i = 0; i < n; ++i) starts[i] = spans[i].start;
    auto hostPeriodEnd = [&](size_t i) { return i + 1 < n ? starts[i + 1] : hostEnd; };
    // The spread comes from every period but the last, which no next iteration ends (it runs to
    // the end of the recording), when there are at least three.
    const size_t spreadPeriods = n >= 3 ? n - 1 : n;
    const size_t sampled = std::min(spreadPeriods, kMaxSampledIterations);
    // Sampled period k is floor(k * spreadPeriods / sampled); a period's sample slot, or -1.
    std::vector<size_t> sampledPeriods(sampled);
    for (size_t k = 0; k < sampled; ++k) sampledPeriods[k] = k * spreadPeriods / sampled;
    auto slotOf = [&](size_t i) -> int32_t {
        if (i >= spreadPeriods) return -1;
        const size_t k = (i * sampled + spreadPeriods - 1) / spreadPeriods;  // ceil(i * sampled / spreadPeriods)
        return k < sampled && sampledPeriods[k] == i ? int32_t(k) : -1;
    };
    for (FigureId id : {FigureId::IterTime, FigureId::HostTime, FigureId::GpuTime, FigureId::BusyPct,
                        FigureId::Launches, FigureId::Kernels})
        m.samples[size_t(id)].assign(sampled, 0.0);
    for (int c = 0; c < kGapCauseCount; ++c) m.samples[size_t(idleFigure(GapCause(c)))].assign(sampled, 0.0);

    // GPU work launched in the window: GPU time, kernels, launch latency, and where each
    // iteration's work began on the GPU.
    const int device = run.device;
    auto inHostWindow = [&](TimeNs t) { return t >= w0 && t < hostEnd; };
    constexpr TimeNs kNone = std::numeric_limits<TimeNs>::max();
    std::vector<TimeNs> gpuStarts(n, kNone);
    TimeNs gpuLaunchedNs = 0, gpuEnd = std::numeric_limits<TimeNs>::min();
    int64_t kernels = 0, launches = 0;
    std::vector<double>& latencies = m.samples[size_t(FigureId::LaunchP50)];
    std::vector<double>& gpuTime = m.samples[size_t(FigureId::GpuTime)];
    std::vector<double>& kernelCount = m.samples[size_t(FigureId::Kernels)];
    std::vector<double>& launchCount = m.samples[size_t(FigureId::Launches)];
    size_t gpuActivities = 0;
    for (const Track& t : trace.tracks)
        if (t.isGpu() && t.device == device) gpuActivities += t.size();
    latencies.reserve(gpuActivities);  // one allocation, not a doubling per million
    const PeriodIndex hostPeriodOf(starts);
    for (const Track& t : trace.tracks) {
        if (t.isGpu() && t.device != device) continue;
        if (t.isGpu()) {
            for (uint32_t i = 0; i < t.size(); ++i) {
                if (!isGpuWork(t.kind[i]) || !t.link[i].valid()) continue;
                const TimeNs launchAt = trace.start(t.link[i]);
                if (!inHostWindow(launchAt)) continue;
                const bool kernel = t.kind[i] == EventKind::Kernel;
                gpuLaunchedNs += t.dur[i];
                kernels += kernel;
                gpuEnd = std::max(gpuEnd, t.end(i));
                latencies.push_back(double(std::max<TimeNs>(0, t.start[i] - launchAt)));
                const size_t period = hostPeriodOf(launchAt);
                gpuStarts[period] = std::min(gpuStarts[period], t.start[i]);
                if (const int32_t slot = slotOf(period); slot >= 0) {
                    gpuTime[size_t(slot)] += double(t.dur[i]);
                    kernelCount[size_t(slot)] += kernel;
                }
            }
        } else if (t.trackKind == TrackKind::CpuThread) {
            const auto first = std::lower_bound(t.start.begin(), t.start.end(), w0) - t.start.begin();
            for (uint32_t i = uint32_t(first); i < t.size() && t.start[i] < hostEnd; ++i) {
                if (!isApiCall(t.kind[i]) || !t.link[i].valid()) continue;
                if (trace.tracks[t.link[i].track].device != device) continue;
                ++launches;
                if (const int32_t slot = slotOf(hostPeriodOf(t.start[i])); slot >= 0)
                    launchCount[size_t(slot)] += 1;
            }
        }
    }
    const bool anyGpuWork = gpuLaunchedNs > 0 || kernels > 0;
    // GPU periods: from where an iteration's work began on the GPU to where the next one's did,
    // the last one's to the end of the work. They follow the GPU when it lags behind the host (a
    // compute-bound loop whose host runs ahead), and leave out work the GPU still ran from before
    // the window. An iteration that launched nothing starts at its host start (kept in order).
    for (size_t i = 0; i < n; ++i) {
        if (gpuStarts[i] == kNone) gpuStarts[i] = starts[i];
        if (i > 0) gpuStarts[i] = std::max(gpuStarts[i], gpuStarts[i - 1]);
    }
    if (!anyGpuWork) gpuEnd = hostEnd;
    gpuEnd = std::max(gpuEnd, gpuStarts.back());
    // The last GPU period lasts at least as long as the last host period.
    const TimeNs lastGpuEnd = std::max(gpuEnd, gpuStarts.back() + (hostEnd - starts.back()));
    auto gpuPeriodEnd = [&](size_t i) { return i + 1 < n ? gpuStarts[i + 1] : lastGpuEnd; };

    // Iteration time: the loop runs at the pace of the slower side, the host's (its periods hold
    // its waits for the GPU too) or the GPU's when the host runs ahead.
    const double iters = double(n);
    // Its per-iteration values are the periods of the side that sets the pace.
    const TimeNs gpuSpan = anyGpuWork ? gpuEnd - gpuStarts.front() : 0;
    const bool gpuPaced = gpuSpan > hostEnd - w0;
    m.mean[size_t(FigureId::IterTime)] = double(std::max(hostEnd - w0, gpuSpan)) / iters;
    m.mean[size_t(FigureId::HostTime)] = double(hostEnd - w0) / iters;
    for (size_t k = 0; k < sampled; ++k) {
        const size_t i = sampledPeriods[k];
        const TimeNs host = hostPeriodEnd(i) - starts[i], gpu = gpuPeriodEnd(i) - gpuStarts[i];
        m.samples[size_t(FigureId::IterTime)][k] = double(gpuPaced ? gpu : host);
        m.samples[size_t(FigureId::HostTime)][k] = double(host);
    }
    m.mean[size_t(FigureId::GpuTime)] = double(gpuLaunchedNs) / iters;
    m.mean[size_t(FigureId::Kernels)] = double(kernels) / iters;
    m.mean[size_t(FigureId::Launches)] = double(launches) / iters;
    m.known[size_t(FigureId::LaunchP50)] = !latencies.empty();
    m.mean[size_t(FigureId::LaunchP50)] = percentileOf(latencies, 50);

    // GPU busy over the window (as the report), and per GPU period.
    const DeviceBusy* busy = nullptr;
    for (const DeviceBusy& d : report.gpu.devices)
        if (d.device == device) busy = &d;
    if (busy) {
        m.mean[size_t(FigureId::BusyPct)] = w1 > w0 ? 100.0 * double(busyTimeIn(*busy, w0, w1)) / double(w1 - w0) : 0.0;
        size_t hint = 0;
        for (size_t k = 0; k < sampled; ++k) {
            const size_t i = sampledPeriods[k];
            const TimeNs len = gpuPeriodEnd(i) - gpuStarts[i];
            m.samples[size_t(FigureId::BusyPct)][k] =
                len > 0 ? 100.0 * double(busyTimeIn(*busy, gpuStarts[i], gpuPeriodEnd(i), hint)) / double(len) : 0.0;
        }
    }

    // Idle per cause: the device's gaps clipped to the window, and to each sampled GPU period. The
    // sampled periods are few and in order: a gap finds the ones it overlaps by a search among them.
    std::vector<TimeInterval> sampledGpu(sampled);
    for (size_t k = 0; k < sampled; ++k) sampledGpu[k] = {gpuStarts[sampledPeriods[k]], gpuPeriodEnd(sampledPeriods[k])};
    std::array<TimeNs, kGapCauseCount> idle{};
    for (const Gap& g : report.gaps.gaps) {
        if (g.device != device) continue;
        const TimeNs s = std::max(g.start, w0), e = std::min(g.end(), w1);
        if (e <= s) continue;
        idle[size_t(g.cause)] += e - s;
        std::vector<double>& perPeriod = m.samples[size_t(idleFigure(g.cause))];
        auto k = std::partition_point(sampledGpu.begin(), sampledGpu.end(), [s](const TimeInterval& p) { return p.end <= s; });
        for (; k != sampledGpu.end() && k->start < e; ++k)
            perPeriod[size_t(k - sampledGpu.begin())] += double(std::max<TimeNs>(0, std::min(e, k->end) - std::max(s, k->start)));
    }
    for (int c = 0; c < kGapCauseCount; ++c) m.mean[size_t(idleFigure(GapCause(c)))] = double(idle[size_t(c)]) / iters;

    // Dead windows of the window's range instances (not cold) that begin in the window.
    const std::string rangeRow = opsRowName(run.rangeName);
    std::vector<char> ofRange(report.deadWindows.rangeNames.size(), 1);  // by range name index
    if (!run.rangeName.empty())
        for (size_t k = 0; k < ofRange.size(); ++k) ofRange[k] = opsRowName(report.deadWindows.rangeNames[k]) == rangeRow;
    std::vector<double>& dead = m.samples[size_t(FigureId::DeadWindowP50)];
    for (const DeadWindow& w : report.deadWindows.windows) {
        if (!w.hasGpuWork || w.cold || w.device != device || !inHostWindow(w.rangeStartNs)) continue;
        if (ofRange[w.rangeName]) dead.push_back(double(w.durNs));
    }
    m.known[size_t(FigureId::DeadWindowP50)] = !dead.empty();
    m.mean[size_t(FigureId::DeadWindowP50)] = percentileOf(dead, 50);
    for (size_t f = 0; f < kFigureCount; ++f) m.spread[f] = spreadOf(m.samples[f]);
    for (size_t f = 0; f < kFigureCount; ++f)
        if (FigureId(f) != FigureId::LaunchP50 && FigureId(f) != FigureId::DeadWindowP50) m.known[f] = true;

    // Ops and kernels: the window's table and one per sampled period.
    m.windowOps = computeOpsTableIn(trace, w0, hostEnd);
    std::vector<TimeInterval> periods(sampled);
    for (size_t k = 0; k < sampled; ++k) periods[k] = {starts[sampledPeriods[k]], hostPeriodEnd(sampledPeriods[k])};
    // Periods of zero length (two iterations starting together on two threads) hold nothing.
    std::vector<TimeInterval> nonEmpty;
    std::vector<size_t> slotOfTable;
    for (size_t k = 0; k < sampled; ++k)
        if (periods[k].end > periods[k].start) nonEmpty.push_back(periods[k]), slotOfTable.push_back(k);
    std::vector<OpsTable> tables = computeOpsTablesIn(trace, nonEmpty);
    m.sampledOps.resize(sampled);
    for (size_t j = 0; j < tables.size(); ++j) m.sampledOps[slotOfTable[j]] = std::move(tables[j]);
    return m;
}

FigureDelta deltaOf(FigureId id, const RunMeasures& a, const RunMeasures& b) {
    FigureDelta d;
    d.id = id;
    const size_t f = size_t(id);
    d.a = a.mean[f];
    d.b = b.mean[f];
    d.aKnown = a.known[f];
    d.bKnown = b.known[f];
    d.noise = std::max(a.spread[f], b.spread[f]);
    return d;
}

// Op rows of both runs matched by (name, side), with their per-iteration values and spread.
std::vector<OpDelta> compareOps(const RunMeasures& a, const RunMeasures& b) {
    std::map<std::pair<std::string, bool>, size_t> index;
    std::vector<OpDelta> rows;
    auto rowOf = [&](const OpRow& r) -> OpDelta& {
        auto [it, inserted] = index.try_emplace({r.name, r.onGpu}, rows.size());
        if (inserted) {
            OpDelta d;
            d.name = r.name;
            d.kind = r.kind;
            d.onGpu = r.onGpu;
            rows.push_back(std::move(d));
        }
        return rows[it->second];
    };
    const double na = a.run.iterations, nb = b.run.iterations;
    for (const OpRow& r : a.windowOps.rows) {
        OpDelta& d = rowOf(r);
        d.aCalls = double(r.calls) / na;
        d.aSelfCpuNs = double(r.selfCpuNs) / na;
        d.aSelfGpuNs = double(r.selfGpuNs) / na;
    }
    for (const OpRow& r : b.windowOps.rows) {
        OpDelta& d = rowOf(r);
        d.bCalls = double(r.calls) / nb;
        d.bSelfCpuNs = double(r.selfCpuNs) / nb;
        d.bSelfGpuNs = double(r.selfGpuNs) / nb;
    }
    // Each row's time in each sampled iteration of each run: the spread.
    auto spreads = [&](const RunMeasures& m) {
        std::vector<std::vector<double>> perRow(rows.size(), std::vector<double>(m.sampledOps.size(), 0.0));
        for (size_t k = 0; k < m.sampledOps.size(); ++k)
            for (const OpRow& r : m.sampledOps[k].rows)
                if (auto it = index.find({r.name, r.onGpu}); it != index.end())
                    perRow[it->second][k] = double(r.selfCpuNs + r.selfGpuNs);
        std::vector<double> out(rows.size());
        for (size_t i = 0; i < rows.size(); ++i) out[i] = spreadOf(perRow[i]);
        return out;
    };
    const std::vector<double> sa = spreads(a), sb = spreads(b);
    for (size_t i = 0; i < rows.size(); ++i) {
        OpDelta& d = rows[i];
        d.noiseNs = std::max(sa[i], sb[i]);
        if (d.aCalls == 0 && d.bCalls > 0) d.change = RowChange::New;
        else if (d.bCalls == 0 && d.aCalls > 0) d.change = RowChange::Gone;
        else if (std::abs(d.timeDeltaNs()) > d.noiseNs) d.change = d.timeDeltaNs() < 0 ? RowChange::Faster : RowChange::Slower;
    }
    std::stable_sort(rows.begin(), rows.end(), [](const OpDelta& x, const OpDelta& y) {
        const double dx = std::abs(x.timeDeltaNs()), dy = std::abs(y.timeDeltaNs());
        if (dx != dy) return dx > dy;
        if (x.name != y.name) return x.name < y.name;
        return x.onGpu < y.onGpu;
    });
    return rows;
}

}  // namespace

std::string_view figureLabel(FigureId id) { return kFigures[size_t(id)].label; }
std::string_view figureKey(FigureId id) { return kFigures[size_t(id)].key; }
FigureUnit figureUnit(FigureId id) { return kFigures[size_t(id)].unit; }
bool lowerIsBetter(FigureId id) { return kFigures[size_t(id)].lowerIsBetter; }
FigureId idleFigure(GapCause cause) { return FigureId(size_t(FigureId::IdleQueuedLaunch) + size_t(cause)); }

int FigureDelta::direction() const {
    if (!aKnown || !bKnown) return 0;
    const double d = b - a;
    if (std::abs(d) <= noise) return 0;
    return d > 0 ? 1 : -1;
}

std::string_view rowChangeName(RowChange change) {
    switch (change) {
    case RowChange::Same: return "same";
    case RowChange::Faster: return "faster";
    case RowChange::Slower: return "slower";
    case RowChange::New: return "new";
    case RowChange::Gone: return "gone";
    }
    return "same";
}

double RunComparison::iterRatio() const {
    const FigureDelta& it = figure(FigureId::IterTime);
    return it.a > 0 ? it.b / it.a : 0.0;
}

bool RunComparison::anyChange() const {
    for (const FigureDelta& f : figures)
        if (f.changed()) return true;
    for (const OpDelta& o : ops)
        if (o.change != RowChange::Same) return true;
    return false;
}

RunComparison compareRuns(const Trace& traceA, const Report& reportA, const Trace& traceB, const Report& reportB) {
    RunMeasures a = measureRun(traceA, reportA);
    RunMeasures b = measureRun(traceB, reportB);
    RunComparison c;
    for (size_t f = 0; f < kFigureCount; ++f) c.figures[f] = deltaOf(FigureId(f), a, b);
    c.ops = compareOps(a, b);
    c.a = std::move(a.run);
    c.b = std::move(b.run);
    c.summary = summarizeComparison(c);
    return c;
}

}  // namespace gaplens
