#include "core/io/ImportedTracks.h"

#include <algorithm>
#include <string>

namespace gaplens::importer {

void classifyTracks(Trace& trace, const FileContext& file, const std::vector<uint32_t>& gpuTracks) {
    for (auto& [key, ti] : file.trackByKey) {
        Track& t = trace.tracks[ti];
        const Process& p = trace.processes[t.process];
        if (std::find(gpuTracks.begin(), gpuTracks.end(), ti) != gpuTracks.end()) {
            t.trackKind = TrackKind::GpuStream;
            if (t.device < 0) t.device = static_cast<int32_t>(p.pid >= 0 && p.pid < 1024 ? p.pid : 0);
            if (t.name.empty()) t.name = "stream " + std::to_string(t.tid);
        } else if (p.pid == -1 || (!t.empty() && std::all_of(t.kind.begin(), t.kind.end(), [](EventKind k) {
                                       return k == EventKind::Overhead;
                                   }))) {
            t.trackKind = TrackKind::Overhead;
            if (t.name.empty()) t.name = "CUPTI overhead";
        } else if (!p.pidLabel.empty()) {
            t.trackKind = TrackKind::Other;
        }
        if (t.name.empty()) t.name = t.tidLabel.empty() ? "thread " + std::to_string(t.tid) : t.tidLabel;
    }
}

namespace {

// Drops tracks with no events and processes with no tracks (Kineto lists all 8 GPUs of a node).
void dropEmpty(Trace& trace) {
    std::vector<uint32_t> trackMap(trace.tracks.size(), EventRef::kNone);
    std::vector<Track> tracks;
    for (uint32_t i = 0; i < trace.tracks.size(); ++i)
        if (!trace.tracks[i].empty()) {
            trackMap[i] = static_cast<uint32_t>(tracks.size());
            tracks.push_back(std::move(trace.tracks[i]));
        }
    std::vector<uint32_t> processMap(trace.processes.size(), EventRef::kNone);
    std::vector<Process> processes;
    std::vector<bool> used(trace.processes.size(), false);
    for (const Track& t : tracks) used[t.process] = true;
    for (const CounterSeries& c : trace.counters) used[c.process] = true;
    for (uint32_t i = 0; i < trace.processes.size(); ++i)
        if (used[i]) {
            processMap[i] = static_cast<uint32_t>(processes.size());
            processes.push_back(std::move(trace.processes[i]));
            processes.back().tracks.clear();
        }
    for (uint32_t i = 0; i < tracks.size(); ++i) {
        tracks[i].process = processMap[tracks[i].process];
        processes[tracks[i].process].tracks.push_back(i);
    }
    for (CounterSeries& c : trace.counters) c.process = processMap[c.process];
    trace.tracks = std::move(tracks);
    trace.processes = std::move(processes);
}

}  // namespace

void dropEmptyTracks(Trace& trace, std::vector<ResolvedFlow>& flows) {
    std::vector<uint32_t> remap(trace.tracks.size(), EventRef::kNone);
    uint32_t next = 0;
    for (uint32_t i = 0; i < trace.tracks.size(); ++i)
        if (!trace.tracks[i].empty()) remap[i] = next++;
    dropEmpty(trace);
    size_t kept = 0;
    for (const ResolvedFlow& f : flows)
        if (remap[f.track] != EventRef::kNone) {
            flows[kept] = f;
            flows[kept++].track = remap[f.track];
        }
    flows.resize(kept);
}

void shrinkColumns(Track& t) {
    t.start.shrink_to_fit();
    t.dur.shrink_to_fit();
    t.nameId.shrink_to_fit();
    t.category.shrink_to_fit();
    t.kind.shrink_to_fit();
    t.correlation.shrink_to_fit();
    t.args.shrink_to_fit();
    t.queued.shrink_to_fit();
    t.submitted.shrink_to_fit();
}

void dropUnknownLatencyColumns(Trace& trace) {
    for (Track& t : trace.tracks) {
        if (std::all_of(t.queued.begin(), t.queued.end(), [](TimeNs q) { return q == 0; }) &&
            std::all_of(t.submitted.begin(), t.submitted.end(), [](TimeNs q) { return q == 0; })) {
            std::vector<TimeNs>().swap(t.queued);
            std::vector<TimeNs>().swap(t.submitted);
        }
    }
}

}  // namespace gaplens::importer
