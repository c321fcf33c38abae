#include "core/analysis/OpsTable.h"

#include <algorithm>
#include <unordered_map>

namespace gaplens {

namespace {

// torch groups the schedule's per-step ranges under one row.
std::string rowName(std::string_view name) {
    constexpr std::string_view step = "ProfilerStep#";
    if (name.substr(0, step.size()) == step && name.size() > step.size() &&
        std::all_of(name.begin() + step.size(), name.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return "ProfilerStep*";
    return std::string(name);
}

// Host events that get a row and whose time is CPU time. Kineto's whole-window "Trace" span
// ("PyTorch Profiler (0)") is not an op; torch leaves it out.
bool isHostRowEvent(EventKind k) { return k != EventKind::Instant; }

// Events that receive the GPU time of the work launched under them: ops and ranges, not the
// launch calls themselves (torch gives cudaLaunchKernel/cuLaunchKernelEx no CUDA time).
bool receivesGpuTime(EventKind k) {
    return k == EventKind::CpuOp || k == EventKind::UserRange || k == EventKind::PythonFunction ||
           k == EventKind::Other;
}

}  // namespace

OpsTable computeOpsTable(const Trace& trace) {
    OpsTable table;
    // Row of (name id, side): resolved once per name id, then a vector lookup per event.
    std::vector<int32_t> rowOf[2];
    rowOf[0].assign(trace.strings.size(), -1);
    rowOf[1].assign(trace.strings.size(), -1);
    std::unordered_map<std::string, int32_t> byName[2];
    auto row = [&](StringId id, bool gpu, EventKind kind) -> OpRow& {
        int32_t& r = rowOf[gpu][id];
        if (r < 0) {
            std::string name = rowName(trace.strings.str(id));
            auto [it, inserted] = byName[gpu].emplace(name, int32_t(table.rows.size()));
            if (inserted) {
                OpRow o;
                o.name = std::move(name);
                o.kind = kind;
                o.onGpu = gpu;
                table.rows.push_back(std::move(o));
            }
            r = it->second;
        }
        return table.rows[size_t(r)];
    };
    const auto traceCat = trace.strings.find("Trace");

    for (uint32_t ti = 0; ti < trace.tracks.size(); ++ti) {
        const Track& t = trace.tracks[ti];
        if (t.isGpu()) {
            for (uint32_t i = 0; i < t.size(); ++i) {
                const EventKind k = t.kind[i];
                const TimeNs d = t.dur[i];
                if (isGpuWork(k)) {
                    OpRow& r = row(t.nameId[i], true, k);
                    ++r.calls;
                    r.selfGpuNs += d;
                    r.gpuTotalNs += d;
                    table.selfGpuTotalNs += d;
                    const EventRef launch = t.link[i];
                    if (!launch.valid()) continue;
                    // Innermost enclosing op of the launch call gets self GPU; it and every
                    // ancestor get GPU total.
                    const Track& ht = trace.tracks[launch.track];
                    bool first = true;
                    for (uint32_t p = ht.parent[launch.index]; p != EventRef::kNone; p = ht.parent[p]) {
                        if (!receivesGpuTime(ht.kind[p]) || (traceCat && ht.category[p] == *traceCat)) continue;
                        OpRow& o = row(ht.nameId[p], false, ht.kind[p]);
                        if (first) o.selfGpuNs += d;
                        first = false;
                        o.gpuTotalNs += d;
                    }
                } else if (k == EventKind::GpuUserRange || k == EventKind::GpuSync) {
                    // A range's (or sync's) span on the GPU stream: its own GPU row, as in torch.
                    OpRow& r = row(t.nameId[i], true, k);
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
            OpRow& r = row(t.nameId[i], false, t.kind[i]);
            ++r.calls;
            r.cpuTotalNs += d;
            r.selfCpuNs += d;
            table.selfCpuTotalNs += d;
            const uint32_t p = t.parent[i];
            if (p != EventRef::kNone && !(traceCat && t.category[p] == *traceCat)) {
                // A child that overlaps its parent without nesting only takes what lies inside it.
                const TimeNs inside = std::min(t.end(i), t.end(p)) - t.start[i];
                row(t.nameId[p], false, t.kind[p]).selfCpuNs -= inside;
                table.selfCpuTotalNs -= inside;
            }
        }
    }
    sortOpsTable(table, "cpu_total");
    return table;
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
