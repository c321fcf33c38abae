#include "core/analysis/Collectives.h"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <map>
#include <unordered_map>

#include "core/analysis/IntervalSet.h"
#include "core/analysis/Percentiles.h"
#include "core/analysis/Prefault.h"
#include "core/model/TimeText.h"

namespace gaplens {

namespace {

// The string value of `"key":"value"` in an args object's compact JSON text ("" when absent).
std::string argString(std::string_view args, std::string_view key) {
    const std::string quoted = "\"" + std::string(key) + "\"";
    const size_t k = args.find(quoted);
    if (k == std::string_view::npos) return {};
    size_t i = k + quoted.size();
    while (i < args.size() && (args[i] == ' ' || args[i] == ':')) ++i;
    if (i >= args.size() || args[i] != '"') return {};
    std::string value;
    for (++i; i < args.size() && args[i] != '"'; ++i) {
        if (args[i] == '\\' && i + 1 < args.size()) ++i;
        value += args[i];
    }
    return value;
}

uint32_t indexOf(std::vector<std::string>& list, std::unordered_map<std::string, uint32_t>& index, const std::string& s) {
    auto [it, added] = index.emplace(s, uint32_t(list.size()));
    if (added) list.push_back(s);
    return it->second;
}

std::string signedDuration(TimeNs ns) { return (ns < 0 ? "-" : "+") + formatDuration(ns < 0 ? -ns : ns); }

}  // namespace

RankCollectives computeRankCollectives(const Trace& trace, const RankFile& rank) {
    RankCollectives out;
    out.rank = rank.rank;
    out.rankKnown = rank.fromMetadata;
    out.worldSize = rank.worldSize;
    out.file = rank.file;
    out.path = rank.path;
    out.host = rank.host;
    out.devices = rank.devices;

    std::vector<uint32_t> tracks;
    for (uint32_t ti = 0; ti < trace.tracks.size(); ++ti)
        if (trace.processes[trace.tracks[ti].process].file == rank.file && !trace.tracks[ti].empty()) tracks.push_back(ti);

    // The window: first to last event of the file; from the first GPU op when it has no launch record.
    TimeNs lo = std::numeric_limits<TimeNs>::max(), hi = std::numeric_limits<TimeNs>::min();
    TimeNs firstGpu = 0;
    bool anyGpu = false, firstLinked = false;
    for (uint32_t ti : tracks) {
        const Track& t = trace.tracks[ti];
        for (uint32_t i = 0; i < t.size(); ++i) {
            lo = std::min(lo, t.start[i]);
            hi = std::max(hi, t.end(i));
            if (!t.isGpu() || !isGpuWork(t.kind[i])) continue;
            const bool linked = t.link[i].valid();
            if (!anyGpu || t.start[i] < firstGpu || (t.start[i] == firstGpu && linked && !firstLinked)) {
                firstGpu = t.start[i];
                firstLinked = linked;
                anyGpu = true;
            }
        }
    }
    if (tracks.empty()) return out;
    if (anyGpu && !firstLinked && firstGpu > lo) lo = firstGpu;
    out.spanNs = hi - lo;

    // Per device: all GPU work, and the work that is not a collective kernel (what can overlap one).
    std::map<int, IntervalSet> all, other, compute;
    std::unordered_map<std::string, uint32_t> groupIndex, nameIndex;
    std::unordered_map<uint32_t, uint32_t> nextSeq;
    std::vector<std::pair<uint32_t, uint32_t>> refs;  // (track, index) of collective kernels
    for (uint32_t ti : tracks) {
        const Track& t = trace.tracks[ti];
        if (!t.isGpu()) continue;
        IntervalSet& a = all[t.device];
        IntervalSet& o = other[t.device];
        IntervalSet& c = compute[t.device];
        for (uint32_t i = 0; i < t.size(); ++i) {
            if (!isGpuWork(t.kind[i])) continue;
            a.add(t.start[i], t.end(i));
            if (t.kind[i] == EventKind::Kernel && isCollectiveKernelName(trace.strings.str(t.nameId[i]))) {
                refs.push_back({ti, i});
                continue;
            }
            o.add(t.start[i], t.end(i));
            if (t.kind[i] == EventKind::Kernel) c.add(t.start[i], t.end(i));
        }
    }
    for (auto* sets : {&all, &other, &compute})
        for (auto& [device, set] : *sets) set.build();
    for (auto& [device, set] : all) out.busyNs += set.covered(lo, hi);

    std::sort(refs.begin(), refs.end(), [&](const auto& a, const auto& b) {
        const TimeNs sa = trace.tracks[a.first].start[a.second], sb = trace.tracks[b.first].start[b.second];
        return sa != sb ? sa < sb : a.first < b.first;
    });
    out.kernels.reserve(refs.size());
    for (const auto& [ti, i] : refs) {
        const Track& t = trace.tracks[ti];
        CollectiveKernel k;
        k.startAbsNs = trace.originAbsNs + t.start[i];
        k.durNs = t.dur[i];
        k.stream = int32_t(t.tid);
        const std::string pg = argString(trace.argTexts.str(t.args[i]), "Process Group Name");
        k.group = indexOf(out.groups, groupIndex, pg.empty() ? "stream " + std::to_string(t.tid) : "pg " + pg);
        k.seq = nextSeq[k.group]++;
        k.name = indexOf(out.names, nameIndex, std::string(trace.strings.str(t.nameId[i])));
        k.event = EventRef{ti, i};
        const IntervalSet& o = other[t.device];
        k.aloneNs = k.durNs - o.covered(t.start[i], t.end(i));
        out.collectiveNs += k.durNs;
        out.overlapNs += compute[t.device].covered(t.start[i], t.end(i));
        out.kernels.push_back(k);
    }
    return out;
}

TimeNs JobCollectives::totalCollectiveNs() const {
    TimeNs n = 0;
    for (const RankCollectives& r : ranks) n += r.collectiveNs;
    return n;
}

TimeNs JobCollectives::totalWaitNs() const {
    TimeNs n = 0;
    for (const RankFigures& f : figures) n += f.waitNs;
    return n;
}

int64_t JobCollectives::instanceOf(uint32_t rank, uint32_t kernel) const {
    if (rank + 1 >= instanceOfKernelBegin.size()) return -1;
    const uint32_t at = instanceOfKernelBegin[rank] + kernel;
    if (at >= instanceOfKernelBegin[rank + 1]) return -1;
    return instanceOfKernel[at];
}

std::vector<Arrival> JobCollectives::arrivalOrder(const CollectiveInstance& instance) const {
    std::vector<Arrival> out(arrivals.begin() + instance.arrivalsBegin,
                             arrivals.begin() + instance.arrivalsBegin + instance.arrivalCount);
    std::stable_sort(out.begin(), out.end(), [](const Arrival& a, const Arrival& b) { return a.arrivalNs < b.arrivalNs; });
    return out;
}

void numberRanksInOrder(std::vector<RankCollectives>& ranks, std::vector<std::string>& warnings) {
    std::vector<int> claimed;
    for (const RankCollectives& r : ranks) claimed.push_back(r.rankKnown ? r.rank : -1);
    std::string warning;
    const std::vector<int> numbers = numberRanks(claimed, &warning);
    if (!warning.empty()) warnings.push_back(warning);
    for (size_t i = 0; i < ranks.size(); ++i) {
        ranks[i].rankKnown = ranks[i].rankKnown && ranks[i].rank == numbers[i];
        ranks[i].rank = numbers[i];
    }
}

JobCollectives analyzeCollectives(std::vector<RankCollectives> ranks, const JobOptions& options) {
    JobCollectives job;
    {
        std::vector<int> numbers;
        for (const RankCollectives& r : ranks) numbers.push_back(r.rank);
        std::sort(numbers.begin(), numbers.end());
        if (std::adjacent_find(numbers.begin(), numbers.end()) != numbers.end()) {
            job.warnings.push_back("several ranks have one number: numbered in the order given instead");
            for (size_t i = 0; i < ranks.size(); ++i) ranks[i].rank = int(i);
        }
    }
    std::stable_sort(ranks.begin(), ranks.end(), [](const RankCollectives& a, const RankCollectives& b) { return a.rank < b.rank; });
    job.ranks = std::move(ranks);
    const size_t R = job.ranks.size();
    job.figures.resize(R);
    if (R == 0) return job;

    // Job-wide groups and names. Every pass below walks one rank's kernels at a time (thousands of
    // ranks of a thousand collectives each: rank-major order keeps the memory reads sequential).
    std::unordered_map<std::string, uint32_t> groupIndex, nameIndex;
    std::vector<std::vector<uint32_t>> groupOf(R), nameOf(R);  // rank-local index -> job index
    for (size_t r = 0; r < R; ++r) {
        for (const std::string& g : job.ranks[r].groups) groupOf[r].push_back(indexOf(job.groups, groupIndex, g));
        for (const std::string& n : job.ranks[r].names) nameOf[r].push_back(indexOf(job.names, nameIndex, n));
    }
    const size_t G = job.groups.size();
    // Each kernel's instance: (g, k) for the k-th collective of group g on its rank, numbered
    // groupBase[g] + k once every group's largest count is known.
    std::vector<uint32_t> kernelBegin(R + 1, 0);
    for (size_t r = 0; r < R; ++r) kernelBegin[r + 1] = kernelBegin[r] + uint32_t(job.ranks[r].kernels.size());
    // Millions of entries for thousands of ranks: mapped in one call each (Prefault.h).
    reservePrefaulted(job.instanceOfKernel, kernelBegin[R]);
    job.instanceOfKernel.resize(kernelBegin[R]);  // first the place k, then the instance
    std::vector<uint32_t> groupOfKernel;
    reservePrefaulted(groupOfKernel, kernelBegin[R]);
    groupOfKernel.resize(kernelBegin[R]);
    std::vector<size_t> count(G, 0), fewest(G, std::numeric_limits<size_t>::max());
    std::vector<size_t> mostRank(G, 0), fewestRank(G, 0);
    {
        std::vector<uint32_t> next(G);
        for (size_t r = 0; r < R; ++r) {
            std::fill(next.begin(), next.end(), 0);
            const auto& kernels = job.ranks[r].kernels;
            for (uint32_t i = 0; i < kernels.size(); ++i) {
                const uint32_t lg = kernels[i].group;
                const uint32_t g = lg < groupOf[r].size() ? groupOf[r][lg] : 0;
                groupOfKernel[kernelBegin[r] + i] = g;
                job.instanceOfKernel[kernelBegin[r] + i] = next[g]++;
            }
            for (size_t g = 0; g < G; ++g) {
                if (next[g] == 0) continue;
                if (next[g] > count[g]) count[g] = next[g], mostRank[g] = r;
                if (next[g] < fewest[g]) fewest[g] = next[g], fewestRank[g] = r;
            }
        }
    }
    std::vector<uint32_t> groupBase(G + 1, 0);
    for (size_t g = 0; g < G; ++g) {
        groupBase[g + 1] = groupBase[g] + uint32_t(count[g]);
        if (count[g] > 0 && fewest[g] != count[g])
            job.warnings.push_back(job.groups[g] + ": rank " + std::to_string(job.ranks[mostRank[g]].rank) + " has " +
                                   std::to_string(count[g]) + " collectives, rank " +
                                   std::to_string(job.ranks[fewestRank[g]].rank) + " " + std::to_string(fewest[g]) +
                                   ": matched in order from each rank's first; recordings that start at different "
                                   "steps match the wrong ones");
    }
    for (size_t i = 0; i < groupOfKernel.size(); ++i) job.instanceOfKernel[i] += groupBase[groupOfKernel[i]];
    groupOfKernel = {};
    job.instanceOfKernelBegin = kernelBegin;
    const size_t I = groupBase[G];
    auto instanceOfAt = [&](size_t r, uint32_t i) { return job.instanceOfKernel[kernelBegin[r] + i]; };

    // ---- clocks ----
    // Offset of rank r: the median, over the instances it shares with the first rank, of how much
    // later the first rank's kernel ended.
    constexpr TimeNs kNone = std::numeric_limits<TimeNs>::min();
    std::vector<TimeNs> refEnd(I, kNone);
    for (uint32_t i = 0; i < job.ranks[0].kernels.size(); ++i) refEnd[instanceOfAt(0, i)] = job.ranks[0].kernels[i].endAbsNs();
    auto endDiffs = [&](size_t r, std::vector<TimeNs>& diffs) {
        const auto& kernels = job.ranks[r].kernels;
        for (uint32_t i = 0; i < kernels.size(); ++i)
            if (const TimeNs ref = refEnd[instanceOfAt(r, i)]; ref != kNone) diffs.push_back(ref - kernels[i].endAbsNs());
    };
    std::vector<TimeNs> rankOffset(R, 0);
    std::vector<bool> hasCommon(R, false);
    hasCommon[0] = true;
    {
        std::vector<TimeNs> diffs;
        for (size_t r = 1; r < R; ++r) {
            diffs.clear();
            endDiffs(r, diffs);
            hasCommon[r] = !diffs.empty();
            rankOffset[r] = upperMedianOf(diffs);
        }
    }
    bool hostsKnown = true;
    for (const RankCollectives& rc : job.ranks) hostsKnown = hostsKnown && !rc.host.empty();
    bool align = false;
    std::string why;
    if (options.clock == ClockMode::Align) {
        align = true;
        why = "aligned on request";
    } else if (options.clock == ClockMode::Shared) {
        why = "taken as one clock on request";
    } else if (hostsKnown) {
        for (const RankCollectives& rc : job.ranks) align = align || rc.host != job.ranks[0].host;
        why = align ? "several hosts" : "one host (" + job.ranks[0].host + ")";
    } else {
        TimeNs worst = 0;
        for (size_t r = 0; r < R; ++r) worst = std::max(worst, rankOffset[r] < 0 ? -rankOffset[r] : rankOffset[r]);
        align = worst > options.sharedClockToleranceNs;
        why = align ? "hosts not recorded; collective ends disagree by up to " + formatDuration(worst) + ": several hosts"
                    : "hosts not recorded; collective ends agree within " +
                          formatDuration(options.sharedClockToleranceNs) + ": one host";
    }
    if (align && hostsKnown && options.clock == ClockMode::Auto) {
        // One offset per host: the median over all its ranks' instances (the first rank's host: none).
        std::map<std::string, std::vector<TimeNs>> diffsOfHost;
        for (size_t r = 1; r < R; ++r)
            if (job.ranks[r].host != job.ranks[0].host) endDiffs(r, diffsOfHost[job.ranks[r].host]);
        std::map<std::string, TimeNs> offsetOfHost;
        for (auto& [host, diffs] : diffsOfHost) offsetOfHost[host] = upperMedianOf(diffs);
        for (size_t r = 0; r < R; ++r) {
            auto it = offsetOfHost.find(job.ranks[r].host);
            rankOffset[r] = it == offsetOfHost.end() ? 0 : it->second;
        }
    }
    job.clockAligned = align;
    if (align) {
        for (size_t r = 0; r < R; ++r) {
            job.figures[r].offsetNs = rankOffset[r];
            if (!hasCommon[r])
                job.warnings.push_back("rank " + std::to_string(job.ranks[r].rank) + " shares no collective with rank " +
                                       std::to_string(job.ranks[0].rank) + ": its clock is left as recorded");
        }
        std::string shifts;
        for (size_t r = 1; r < R && r <= 8; ++r)
            shifts += (r > 1 ? ", " : "") + std::string("rank ") + std::to_string(job.ranks[r].rank) + " " +
                      signedDuration(rankOffset[r]);
        if (R > 9) shifts += ", ...";
        job.clockNote = "clocks: " + why + "; each rank shifted so that its collectives end with rank " +
                        std::to_string(job.ranks[0].rank) + "'s (median)" + (shifts.empty() ? "" : ": " + shifts);
    } else {
        job.clockNote = "clocks: shared, " + why;
    }

    // ---- instances ----
    // Pass 1: first and last arrival of each instance, and how many ranks have it.
    job.instances.resize(I);
    for (size_t g = 0; g < G; ++g)
        for (uint32_t k = 0; k < count[g]; ++k) {
            job.instances[groupBase[g] + k].group = uint32_t(g);
            job.instances[groupBase[g] + k].seq = k;
        }
    for (size_t r = 0; r < R; ++r) {
        const auto& kernels = job.ranks[r].kernels;
        const TimeNs offset = job.figures[r].offsetNs;
        for (uint32_t i = 0; i < kernels.size(); ++i) {
            CollectiveInstance& inst = job.instances[instanceOfAt(r, i)];
            const TimeNs at = kernels[i].startAbsNs + offset;
            if (inst.arrivalCount == 0) {
                inst.name = nameOf[r][kernels[i].name];
                inst.firstArrivalNs = inst.lastArrivalNs = at;
                inst.firstRank = inst.lastRank = uint32_t(r);
            } else {
                if (at < inst.firstArrivalNs) inst.firstArrivalNs = at, inst.firstRank = uint32_t(r);
                if (at > inst.lastArrivalNs) inst.lastArrivalNs = at, inst.lastRank = uint32_t(r);
            }
            ++inst.arrivalCount;
        }
    }
    // Pass 2: each rank's arrival and wait, stored per instance in rank order.
    uint32_t next = 0;
    for (CollectiveInstance& inst : job.instances) {
        inst.arrivalsBegin = next;
        next += inst.arrivalCount;
    }
    reservePrefaulted(job.arrivals, next);
    job.arrivals.resize(next);
    std::vector<uint32_t> cursor(I);
    for (size_t i = 0; i < I; ++i) cursor[i] = job.instances[i].arrivalsBegin;
    std::vector<TimeNs> aloneWait(R, 0);  // sum of wait × alone ÷ kernel time, per rank
    for (size_t r = 0; r < R; ++r) {
        const auto& kernels = job.ranks[r].kernels;
        const TimeNs offset = job.figures[r].offsetNs;
        RankFigures& f = job.figures[r];
        for (uint32_t i = 0; i < kernels.size(); ++i) {
            const uint32_t index = instanceOfAt(r, i);
            CollectiveInstance& inst = job.instances[index];
            const CollectiveKernel& kern = kernels[i];
            Arrival& arr = job.arrivals[cursor[index]++];
            arr.rank = uint32_t(r);
            arr.kernel = i;
            arr.arrivalNs = kern.startAbsNs + offset;
            arr.waitNs = std::clamp<TimeNs>(inst.lastArrivalNs - arr.arrivalNs, 0, kern.durNs);
            inst.waitNs += arr.waitNs;
            f.waitNs += arr.waitNs;
            ++f.collectives;
            if (kern.durNs > 0) aloneWait[r] += TimeNs(double(arr.waitNs) * double(kern.aloneNs) / double(kern.durNs));
        }
    }
    for (const CollectiveInstance& inst : job.instances)
        if (inst.arrivalCount > 1 && inst.skewNs() > 0) ++job.figures[inst.lastRank].lastToArrive;

    // By first arrival: re-point the kernels' instance indices.
    std::vector<uint32_t> order(job.instances.size());
    for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
        return job.instances[a].firstArrivalNs < job.instances[b].firstArrivalNs;
    });
    std::vector<uint32_t> newIndex(order.size());
    std::vector<CollectiveInstance> sorted;
    sorted.reserve(order.size());
    for (uint32_t i = 0; i < order.size(); ++i) {
        newIndex[order[i]] = i;
        sorted.push_back(job.instances[order[i]]);
    }
    job.instances = std::move(sorted);
    for (uint32_t& x : job.instanceOfKernel) x = newIndex[x];

    for (size_t r = 0; r < R; ++r) {
        RankFigures& f = job.figures[r];
        f.transferNs = job.ranks[r].collectiveNs - f.waitNs;
        f.busyExclWaitNs = std::max<TimeNs>(0, job.ranks[r].busyNs - aloneWait[r]);
    }

    // ---- straggler ----
    size_t best = R;
    std::vector<TimeNs> causedWait(R, 0);
    int64_t shared = 0;
    for (const CollectiveInstance& inst : job.instances) {
        if (inst.arrivalCount < 2) continue;
        ++shared;
        if (inst.skewNs() > 0) causedWait[inst.lastRank] += inst.waitNs;
    }
    for (size_t r = 0; r < R; ++r) {
        if (job.figures[r].lastToArrive == 0) continue;
        if (best == R || job.figures[r].lastToArrive > job.figures[best].lastToArrive ||
            (job.figures[r].lastToArrive == job.figures[best].lastToArrive && causedWait[r] > causedWait[best]))
            best = r;
    }
    if (best < R) {
        Straggler s;
        s.rank = uint32_t(best);
        s.lastCount = job.figures[best].lastToArrive;
        s.instances = shared;
        s.othersWaitNs = causedWait[best];
        const TimeNs own = job.figures[best].offsetNs;
        for (const CollectiveInstance& inst : job.instances)
            if (inst.arrivalCount > 1 && inst.skewNs() > 0 && inst.lastRank == best)
                s.waited.push_back({inst.firstArrivalNs - own, inst.lastArrivalNs - own});
        std::sort(s.waited.begin(), s.waited.end());
        std::vector<std::pair<TimeNs, TimeNs>> merged;
        for (const auto& w : s.waited) {
            if (!merged.empty() && w.first <= merged.back().second) merged.back().second = std::max(merged.back().second, w.second);
            else merged.push_back(w);
        }
        s.waited = std::move(merged);
        job.straggler = std::move(s);
    }
    return job;
}

RankActivity activityIn(const Trace& trace, uint32_t file, const std::vector<std::pair<TimeNs, TimeNs>>& intervalsAbs,
                        size_t top) {
    RankActivity out;
    std::vector<std::pair<TimeNs, TimeNs>> iv;
    for (const auto& [a, b] : intervalsAbs)
        if (b > a) iv.push_back({a - trace.originAbsNs, b - trace.originAbsNs});
    std::sort(iv.begin(), iv.end());
    for (const auto& [a, b] : iv) out.intervalNs += b - a;
    if (iv.empty()) return out;
    // Time of [s, e) inside the intervals (they are disjoint and sorted).
    auto inside = [&](TimeNs s, TimeNs e) {
        auto it = std::partition_point(iv.begin(), iv.end(), [s](const auto& x) { return x.second <= s; });
        TimeNs n = 0;
        for (; it != iv.end() && it->first < e; ++it) n += std::min(e, it->second) - std::max(s, it->first);
        return n;
    };
    std::map<std::string_view, TimeNs> kernels, ops, fallback;
    IntervalSet gpu;
    for (const Track& t : trace.tracks) {
        if (trace.processes[t.process].file != file) continue;
        for (uint32_t i = 0; i < t.size(); ++i) {
            const EventKind k = t.kind[i];
            const bool gpuWork = t.isGpu() && isGpuWork(k);
            const bool op = k == EventKind::CpuOp, other = k == EventKind::UserRange || isApiCall(k);
            if (!gpuWork && !op && !other) continue;
            const TimeNs n = inside(t.start[i], t.end(i));
            if (n <= 0) continue;
            const std::string_view name = trace.strings.str(t.nameId[i]);
            if (gpuWork) {
                gpu.add(t.start[i], t.end(i));
                if (k == EventKind::Kernel) kernels[name] += n;
            } else {
                (op ? ops : fallback)[name] += n;
            }
        }
    }
    gpu.build();
    for (const auto& [a, b] : iv) out.gpuBusyNs += gpu.covered(a, b);
    auto topOf = [top](const std::map<std::string_view, TimeNs>& m) {
        std::vector<NamedTime> v;
        for (const auto& [name, ns] : m) v.push_back({std::string(name), ns});
        std::stable_sort(v.begin(), v.end(), [](const NamedTime& a, const NamedTime& b) { return a.ns > b.ns; });
        if (v.size() > top) v.resize(top);
        return v;
    };
    out.kernels = topOf(kernels);
    out.ops = topOf(ops.empty() ? fallback : ops);
    return out;
}

}  // namespace gaplens
