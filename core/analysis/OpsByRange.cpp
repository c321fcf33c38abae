#include "core/analysis/OpsByRange.h"

#include <algorithm>
#include <unordered_map>

namespace gaplens {

OpsByRange computeOpsTableByRange(const Trace& trace) {
    constexpr uint32_t kNoRange = 0;
    std::vector<OpsRangeGroup> groups(1);
    groups[kNoRange].range = std::string(kNoRangeGroup);
    std::unordered_map<std::string, uint32_t> groupByName;
    std::vector<uint32_t> groupOfName(trace.strings.size(), EventRef::kNone);  // cache per name id
    auto groupNamed = [&](StringId id) -> uint32_t {
        uint32_t& g = groupOfName[id];
        if (g == EventRef::kNone) {
            std::string name = opsRowName(trace.strings.str(id));
            auto [it, inserted] = groupByName.emplace(name, uint32_t(groups.size()));
            if (inserted) {
                groups.emplace_back();
                groups.back().range = std::move(name);
            }
            g = it->second;
        }
        return g;
    };
    const auto traceCat = trace.strings.find("Trace");

    std::vector<std::vector<uint32_t>> groupOfEvent(trace.tracks.size());
    // Host tracks first: GPU activities take the group of their launch call. Parents precede
    // their children on a track, so an event's group is its own (a range) or its parent's.
    for (uint32_t ti = 0; ti < trace.tracks.size(); ++ti) {
        const Track& t = trace.tracks[ti];
        if (t.isGpu()) continue;
        std::vector<uint32_t>& group = groupOfEvent[ti];
        group.assign(t.size(), kNoRange);
        for (uint32_t i = 0; i < t.size(); ++i) {
            if (t.kind[i] == EventKind::UserRange && !(traceCat && t.category[i] == *traceCat)) {
                const uint32_t g = groupNamed(t.nameId[i]);
                ++groups[g].instances;
                groups[g].rangeTotalNs += t.dur[i];
                group[i] = g;
            } else if (t.parent[i] != EventRef::kNone) {
                group[i] = group[t.parent[i]];
            }
        }
    }
    for (uint32_t ti = 0; ti < trace.tracks.size(); ++ti) {
        const Track& t = trace.tracks[ti];
        if (!t.isGpu()) continue;
        std::vector<uint32_t>& group = groupOfEvent[ti];
        group.assign(t.size(), kNoRange);
        for (uint32_t i = 0; i < t.size(); ++i) {
            EventRef launch;
            if (isGpuWork(t.kind[i]))
                launch = t.link[i];
            else if (t.kind[i] == EventKind::GpuSync && t.correlation[i] != 0)
                launch = trace.launchOfCorrelation(t.correlation[i]);
            else if (t.kind[i] == EventKind::GpuUserRange)
                group[i] = groupNamed(t.nameId[i]);
            if (launch.valid()) group[i] = groupOfEvent[launch.track][launch.index];
        }
    }

    std::vector<OpsTable> tables = computeOpsTables(trace, groupOfEvent, groups.size());
    OpsByRange out;
    for (size_t g = 0; g < groups.size(); ++g) {
        if (tables[g].rows.empty()) continue;
        groups[g].ops = std::move(tables[g]);
        out.groups.push_back(std::move(groups[g]));
    }
    std::stable_sort(out.groups.begin(), out.groups.end(), [](const OpsRangeGroup& a, const OpsRangeGroup& b) {
        const bool aNone = a.range == kNoRangeGroup && a.instances == 0;
        const bool bNone = b.range == kNoRangeGroup && b.instances == 0;
        if (aNone != bNone) return bNone;
        if (a.rangeTotalNs != b.rangeTotalNs) return a.rangeTotalNs > b.rangeTotalNs;
        return a.range < b.range;
    });
    return out;
}

bool sortOpsByRange(OpsByRange& byRange, std::string_view key) {
    if (!isOpsSortKey(key)) return false;
    for (OpsRangeGroup& g : byRange.groups) sortOpsTable(g.ops, key);
    return true;
}

}  // namespace gaplens
