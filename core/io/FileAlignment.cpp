#include "core/io/FileAlignment.h"

#include <algorithm>
#include <filesystem>
#include <limits>
#include <map>

namespace gaplens::importer {

void applyBaseTime(Trace& trace, const FileContext& file) {
    for (auto& [key, ti] : file.trackByKey) {
        Track& t = trace.tracks[ti];
        if (file.baseNs)
            for (TimeNs& s : t.start) s += file.baseNs;
    }
    if (file.baseNs)
        for (CounterSeries& c : trace.counters)
            if (trace.processes[c.process].file == file.fileIndex)
                for (TimeNs& x : c.time) x += file.baseNs;
}

// ImportOptions::alignFilesAtStart: moves one file's events, latency timestamps, counters and flow
// endpoints so that its earliest event starts at *alignAt (set by the first file that has events).
void alignFileStart(Trace& trace, uint32_t fileIndex, const std::unordered_map<TrackKey, uint32_t, TrackKeyHash>& tracks,
                    std::vector<ResolvedFlow>& flows, size_t fileFlowsBegin, std::optional<TimeNs>& alignAt) {
    TimeNs first = std::numeric_limits<TimeNs>::max();
    for (const auto& [key, ti] : tracks)
        for (TimeNs s : trace.tracks[ti].start) first = std::min(first, s);
    if (first == std::numeric_limits<TimeNs>::max()) return;  // no events
    if (!alignAt) alignAt = first;
    const TimeNs shift = *alignAt - first;
    if (shift == 0) return;
    for (const auto& [key, ti] : tracks) {
        Track& t = trace.tracks[ti];
        for (TimeNs& s : t.start) s += shift;
        for (TimeNs& q : t.queued) q = q ? q + shift : 0;
        for (TimeNs& q : t.submitted) q = q ? q + shift : 0;
    }
    for (CounterSeries& c : trace.counters)
        if (trace.processes[c.process].file == fileIndex)
            for (TimeNs& x : c.time) x += shift;
    for (size_t i = fileFlowsBegin; i < flows.size(); ++i) flows[i].ts += shift;
}

// ImportOptions::alignFilesAtStart: runs recorded one after another on the same GPU now overlap in
// time; analysed as one device their busy time and gaps would mix. A device number that an earlier
// file already uses gets the next free one; the GPU process's name says which it was.
void separateAlignedDevices(Trace& trace, const std::string& path,
                            const std::unordered_map<TrackKey, uint32_t, TrackKeyHash>& tracks,
                            std::vector<int32_t>& devicesOfEarlierFiles, std::vector<std::string>& warnings) {
    std::map<int32_t, int32_t> renumbered;  // this file's device -> its number in the trace
    for (const auto& [key, ti] : tracks) {
        const Track& t = trace.tracks[ti];
        if (t.device >= 0) renumbered.emplace(t.device, t.device);
    }
    auto used = [&](int32_t d) {
        return std::find(devicesOfEarlierFiles.begin(), devicesOfEarlierFiles.end(), d) != devicesOfEarlierFiles.end();
    };
    // New numbers come after every number taken, by earlier files and by this file's own GPUs.
    int32_t next = 0;
    for (int32_t d : devicesOfEarlierFiles) next = std::max(next, d + 1);
    for (const auto& [own, shown] : renumbered) next = std::max(next, own + 1);
    for (auto& [own, shown] : renumbered)
        if (used(own)) shown = next++;
    const std::string file = std::filesystem::path(path).filename().string();
    for (const auto& [own, shown] : renumbered) {
        devicesOfEarlierFiles.push_back(shown);
        if (own == shown) continue;
        warnings.push_back(path + ": GPU " + std::to_string(own) + " is shown and analysed as GPU " +
                           std::to_string(shown) + ", apart from the other files' GPU " + std::to_string(own) +
                           " (files aligned at their start)");
    }
    std::vector<bool> renamed(trace.processes.size(), false);
    for (const auto& [key, ti] : tracks) {
        Track& t = trace.tracks[ti];
        if (t.device < 0 || renumbered.at(t.device) == t.device) continue;
        const int32_t own = t.device;
        t.device = renumbered.at(own);
        if (renamed[t.process]) continue;
        renamed[t.process] = true;
        Process& p = trace.processes[t.process];
        const std::string was = file + ": GPU " + std::to_string(own);
        const bool plain = p.name.empty() || p.name == "GPU " + std::to_string(own);
        p.name = "GPU " + std::to_string(t.device) + " (" + (plain ? was : was + ", " + p.name) + ")";
    }
}

}  // namespace gaplens::importer
