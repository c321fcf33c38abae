#include "core/analysis/OpsTable.h"

#include <algorithm>
#include <unordered_map>

#include "core/analysis/IntervalSet.h"

namespace gaplens {

std::string opsRowName(std::string_view name) {
    constexpr std::string_view step = "ProfilerStep#";
    if (name.substr(0, step.size()) == step && name.size() > step.size() &&
        std::all_of(name.begin() + step.size(), name.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return "ProfilerStep*";
    return std::string(name);
}

namespace {

// Host events that get a row and whose time is CPU time. Kineto's whole-window "Trace" span
// ("PyTorch Profiler (0)") is not an op; torch leaves it out.
bool isHostRowEvent(EventKind k) { return k != EventKind::Instant; }

// Events that receive the GPU time of the work launched under them: ops and ranges, not the
// launch calls themselves (torch gives cudaLaunchKernel/cuLaunchKernelEx no CUDA time).
bool receivesGpuTime(EventKind k) {
    return k == EventKind::CpuOp || k == EventKind::UserRange || k == EventKind::PythonFunction ||
           k == EventKind::Other;
}

// An event's table: an index below the table count, or kNoTable for an event that no table holds.
constexpr uint32_t kNoTable = UINT32_MAX;

// The one pass behind computeOpsTable, computeOpsTables and computeOpsTablesIn. `groupOf(track,
// index)` names the table of an event. `Grouped` (several tables) is a template parameter so that
// the one-table cases pay nothing for the hashed row lookups.
template <bool Grouped, class GroupOf>
std::vector<OpsTable> accumulateOpsTables(const Trace& trace, GroupOf&& groupOf, size_t groupCount) {
    std::vector<OpsTable> tables(std::max<size_t>(groupCount, 1));
    // Row of (group, side, name id). One group (the plain table): resolved once per name id, then a
    // vector lookup per event. Several: a hash map, as a vector per group would cost groups x names.
    std::vector<int32_t> rowOf[2];
    if constexpr (!Grouped) {
        rowOf[0].assign(trace.strings.size(), -1);
        rowOf[1].assign(trace.strings.size(), -1);
    }
    std::unordered_map<uint64_t, int32_t> rowOfGrouped;
    std::vector<std::unordered_map<std::string, int32_t>> byName(tables.size() * 2);
    auto row = [&](uint32_t group, StringId id, bool gpu, EventKind kind) -> OpRow& {
        OpsTable& table = tables[group];
        int32_t* r;
        if constexpr (Grouped) {
            const uint64_t key = (uint64_t(group) << 33) | (uint64_t(gpu) << 32) | uint64_t(id);
            r = &rowOfGrouped.try_emplace(key, -1).first->second;
        } else {
            r = &rowOf[gpu][id];
        }
        if (*r < 0) {
            std::string name = opsRowName(trace.strings.str(id));
            auto [it, inserted] = byName[group * 2 + gpu].emplace(name, int32_t(table.rows.size()));
            if (inserted) {
                OpRow o;
                o.name = std::move(name);
                o.kind = kind;
                o.onGpu = gpu;
                table.rows.push_back(std::move(o));
            }
            *r = it->second;
        }
        return table.rows[size_t(*r)];
    };
    const auto traceCat = trace.strings.find("Trace");

    for (uint32_t ti = 0; ti < trace.tracks.size(); ++ti) {
        const Track& t = trace.tracks[ti];
        if (t.isGpu()) {
            for (uint32_t i = 0; i < t.size(); ++i) {
                const EventKind k = t.kind[i];
                const TimeNs d = t.dur[i];
                if (!isGpuWork(k) && k != EventKind::GpuUserRange && k != EventKind::GpuSync) continue;
                const uint32_t g = groupOf(ti, i);
                if (isGpuWork(k)) {
                    if (g != kNoTable) {
                        OpRow& r = row(g, t.nameId[i], true, k);
                        ++r.calls;
                        r.selfGpuNs += d;
                        r.gpuTotalNs += d;
                        tables[g].selfGpuTotalNs += d;
                    }
                    const EventRef launch = t.link[i];
                    if (!launch.valid()) continue;
                    // Innermost enclosing op of the launch call gets self GPU; it and every
                    // ancestor get GPU total.
                    const Track& ht = trace.tracks[launch.track];
                    bool first = true;
                    for (uint32_t p = ht.parent[launch.index]; p != EventRef::kNone; p = ht.parent[p]) {
                        if (!receivesGpuTime(ht.kind[p]) || (traceCat && ht.category[p] == *traceCat)) continue;
                        const bool self = first;
                        first = false;
                        const uint32_t pg = groupOf(launch.track, p);
                        if (pg == kNoTable) continue;
                        OpRow& o = row(pg, ht.nameId[p], false, ht.kind[p]);
                        if (self) o.selfGpuNs += d;
                        o.gpuTotalNs += d;
                    }
                } else if (g != kNoTable) {
                    // A range's (or sync's) span on the GPU stream: its own GPU row, as in torch.
                    OpRow& r = row(g, t.nameId[i], true, k);
                    ++r.calls;
                    r.selfGpuNs += d;
                    r.gpuTotalNs += d;
                }
            }
            continue;
        }
        for (uint32_t i = 0; i < t.size(); ++i) {
            if (!isHostRowEvent(t.kind[i]) || (traceCat && t.category[i] == *traceCat)) continue;
            const TimeNs d = t.dur[i];
            const uint32_t g = groupOf(ti, i);
            if (g != kNoTable) {
                OpRow& r = row(g, t.nameId[i], false, t.kind[i]);
                ++r.calls;
                r.cpuTotalNs += d;
                r.selfCpuNs += d;
                tables[g].selfCpuTotalNs += d;
            }
            const uint32_t p = t.parent[i];
            if (p != EventRef::kNone && !(traceCat && t.category[p] == *traceCat)) {
                // A child that overlaps its parent without nesting only takes what lies inside it.
                const TimeNs inside = std::min(t.end(i), t.end(p)) - t.start[i];
                const uint32_t pg = groupOf(ti, p);
                if (pg == kNoTable) continue;
                row(pg, t.nameId[p], false, t.kind[p]).selfCpuNs -= inside;
                tables[pg].selfCpuTotalNs -= inside;
            }
        }
    }
    for (OpsTable& table : tables) sortOpsTable(table, "cpu_total");
    return tables;
}

}  // namespace

OpsTable computeOpsTable(const Trace& trace) {
    return std::move(accumulateOpsTables<false>(trace, [](uint32_t, uint32_t) { return 0u; }, 1).front());
}

std::vector<OpsTable> computeOpsTables(const Trace& trace, const std::vector<std::vector<uint32_t>>& groupOfEvent,
                                       size_t groupCount) {
    if (groupOfEvent.empty())
        return accumulateOpsTables<false>(trace, [](uint32_t, uint32_t) { return 0u; }, groupCount);
    auto groupOf = [&](uint32_t track, uint32_t index) { return groupOfEvent[track][index]; };
    return accumulateOpsTables<true>(trace, groupOf, groupCount);
}

namespace {

// The window an event falls in, by its time of cause (see computeOpsTablesIn). Each track keeps
// where its last answer landed: events are asked for in start order per track (and a kernel's
// launch calls and their enclosing ops in nearly that order), so a search takes a step or two.
class WindowOfEvent {
public:
    WindowOfEvent(const Trace& trace, const std::vector<TimeInterval>& windows, bool launchesRecorded)
        : trace_(trace), windows_(windows), launchesRecorded_(launchesRecorded), hints_(trace.tracks.size(), 0) {
        starts_.reserve(windows.size());
        for (const TimeInterval& w : windows) starts_.push_back(w.start);
    }
    uint32_t operator()(uint32_t track, uint32_t index) {
        const Track& t = trace_.tracks[track];
        TimeNs at = t.start[index];
        if (t.isGpu() && isGpuWork(t.kind[index])) {
            if (t.link[index].valid()) at = trace_.start(t.link[index]);
            else if (launchesRecorded_) return kNoTable;
        }
        size_t& hint = hints_[track];
        // Most events fall where the previous one of their track did: between the same two windows.
        const bool same = (hint == 0 || starts_[hint - 1] <= at) && (hint == starts_.size() || at < starts_[hint]);
        if (!same) hint = partitionPointFrom(starts_, hint, [at](TimeNs s) { return s <= at; });
        if (hint == 0 || at >= windows_[hint - 1].end) return kNoTable;
        return uint32_t(hint - 1);
    }

private:
    const Trace& trace_;
    const std::vector<TimeInterval>& windows_;
    bool launchesRecorded_;
    std::vector<TimeNs> starts_;
    std::vector<size_t> hints_;  // per track
};

// Whether any GPU activity of the trace has its launch call recorded.
bool launchesRecorded(const Trace& trace) {
    for (const Track& t : trace.tracks)
        if (t.isGpu())
            for (uint32_t i = 0; i < t.size(); ++i)
                if (t.link[i].valid()) return true;
    return false;
}

}  // namespace

std::vector<OpsTable> computeOpsTablesIn(const Trace& trace, const std::vector<TimeInterval>& windows) {
    if (windows.empty()) return {};
    const bool linked = launchesRecorded(trace);
    if (windows.size() == 1) {  // one window: a comparison per event, no search
        const TimeInterval w = windows.front();
        auto inWindow = [&](uint32_t track, uint32_t index) -> uint32_t {
            const Track& t = trace.tracks[track];
            TimeNs at = t.start[index];
            if (t.isGpu() && isGpuWork(t.kind[index])) {
                if (t.link[index].valid()) at = trace.start(t.link[index]);
                else if (linked) return kNoTable;
            }
            return at >= w.start && at < w.end ? 0 : kNoTable;
        };
        return accumulateOpsTables<false>(trace, inWindow, 1);
    }
    WindowOfEvent windowOf(trace, windows, linked);
    return accumulateOpsTables<true>(trace, windowOf, windows.size());
}

OpsTable computeOpsTableIn(const Trace& trace, TimeNs from, TimeNs to) {
    return std::move(computeOpsTablesIn(trace, {TimeInterval{from, std::max(from, to)}}).front());
}

namespace {

enum class SortKey { CpuTotal, SelfCpu, GpuTotal, SelfGpu, Calls, Name, CpuAvg, GpuAvg, Unknown };

SortKey parseSortKey(std::string_view k) {
    if (k == "cpu_total" || k == "cpu_time_total" || k == "cpu") return SortKey::CpuTotal;
    if (k == "self_cpu" || k == "self_cpu_time_total") return SortKey::SelfCpu;
    if (k == "gpu_total" || k == "cuda_total" || k == "cuda_time_total" || k == "device_time_total" || k == "gpu")
        return SortKey::GpuTotal;
    if (k == "self_gpu" || k == "self_cuda" || k == "self_cuda_time_total" || k == "self_device_time_total")
        return SortKey::SelfGpu;
    if (k == "calls" || k == "count") return SortKey::Calls;
    if (k == "name") return SortKey::Name;
    if (k == "cpu_avg") return SortKey::CpuAvg;
    if (k == "gpu_avg" || k == "cuda_avg") return SortKey::GpuAvg;
    return SortKey::Unknown;
}

}  // namespace

bool isOpsSortKey(std::string_view key) { return parseSortKey(key) != SortKey::Unknown; }

bool sortOpsTable(OpsTable& table, std::string_view key) {
    const SortKey k = parseSortKey(key);
    if (k == SortKey::Unknown) return false;
    auto value = [k](const OpRow& r) -> TimeNs {
        switch (k) {
        case SortKey::CpuTotal: return r.cpuTotalNs;
        case SortKey::SelfCpu: return r.selfCpuNs;
        case SortKey::GpuTotal: return r.gpuTotalNs;
        case SortKey::SelfGpu: return r.selfGpuNs;
        case SortKey::Calls: return r.calls;
        case SortKey::CpuAvg: return r.cpuAvgNs();
        case SortKey::GpuAvg: return r.gpuAvgNs();
        default: return 0;
        }
    };
    std::stable_sort(table.rows.begin(), table.rows.end(), [&](const OpRow& a, const OpRow& b) {
        if (k == SortKey::Name) return a.name < b.name;
        const TimeNs va = value(a), vb = value(b);
        if (va != vb) return va > vb;
        // Ties (e.g. GPU rows with no CPU time): the other time column, then the name.
        if (a.gpuTotalNs + a.cpuTotalNs != b.gpuTotalNs + b.cpuTotalNs)
            return a.gpuTotalNs + a.cpuTotalNs > b.gpuTotalNs + b.cpuTotalNs;
        return a.name != b.name ? a.name < b.name : a.onGpu < b.onGpu;
    });
    return true;
}

}  // namespace gaplens
