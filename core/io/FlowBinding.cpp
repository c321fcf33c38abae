#include "core/io/FlowBinding.h"

#include <algorithm>
#include <unordered_map>
#include <utility>

namespace gaplens::importer {

void resolveFileFlows(const FileContext& file, std::vector<ResolvedFlow>& flows) {
    size_t fileFlows = 0;
    for (const std::vector<PendingFlow>& piece : file.flows) fileFlows += piece.size();
    flows.reserve(flows.size() + fileFlows);
    for (const std::vector<PendingFlow>& piece : file.flows) {
        for (const PendingFlow& f : piece) {
            auto it = file.trackByKey.find(f.key);
            if (it == file.trackByKey.end()) continue;
            flows.push_back({it->second, f.ts + file.baseNs, f.id + (static_cast<uint64_t>(file.fileIndex) << 48),
                             f.phase, f.bindEnclosing, f.category, f.name});
        }
    }
}

EventRef bindFlow(const Trace& trace, uint32_t ti, TimeNs ts, bool enclosing) {
    const Track& t = trace.tracks[ti];
    auto it = std::upper_bound(t.start.begin(), t.start.end(), ts);
    if (enclosing && it != t.start.begin()) {
        uint32_t i = static_cast<uint32_t>(it - t.start.begin() - 1);
        while (true) {
            if (t.start[i] <= ts && ts <= t.end(i)) return {ti, i};
            if (t.parent[i] == EventRef::kNone) break;
            i = t.parent[i];
        }
    }
    auto first = std::lower_bound(t.start.begin(), t.start.end(), ts);
    if (first != t.start.end()) return {ti, static_cast<uint32_t>(first - t.start.begin())};
    return {};
}

bool bindFlows(Trace& trace, const std::vector<ResolvedFlow>& flows, TimeNs shift) {
    std::unordered_map<uint64_t, std::pair<EventRef, const ResolvedFlow*>> starts;
    uint64_t unmatchedFlows = 0;
    bool linksChanged = false;
    // Starts first, then the other endpoints, each in file order.
    size_t flowStarts = 0;
    for (const ResolvedFlow& f : flows) flowStarts += f.phase == 's';
    starts.reserve(flowStarts);
    auto bindOne = [&](const ResolvedFlow& f) {
        const EventRef e = bindFlow(trace, f.track, f.ts - shift, f.bindEnclosing);
        if (!e.valid()) {
            ++unmatchedFlows;
            return;
        }
        if (f.phase == 's') {
            starts[f.id] = {e, &f};
            return;
        }
        auto it = starts.find(f.id);
        if (it == starts.end()) {
            ++unmatchedFlows;
            return;
        }
        const EventRef from = it->second.first;
        Track& ft = trace.tracks[from.track];
        Track& tt = trace.tracks[e.track];
        const bool launch = isApiCall(ft.kind[from.index]) && isGpuWork(tt.kind[e.index]);
        if (launch) {
            if (ft.correlation[from.index] == 0 && tt.correlation[e.index] == 0) {
                const int64_t synthetic = static_cast<int64_t>(f.id | (1ull << 62));
                ft.correlation[from.index] = synthetic;
                tt.correlation[e.index] = synthetic;
                linksChanged = true;
            }
        } else if (trace.strings.str(f.category) != "ac2g") {
            trace.flows.push_back({from, e, f.id, f.category, f.name});
        }
        if (f.phase == 'f') starts.erase(it);
    };
    for (const ResolvedFlow& f : flows)
        if (f.phase == 's') bindOne(f);
    for (const ResolvedFlow& f : flows)
        if (f.phase != 's') bindOne(f);
    (void)unmatchedFlows;  // Kineto writes flow ends for calls that launched nothing: not worth a warning
    return linksChanged;
}

}  // namespace gaplens::importer
