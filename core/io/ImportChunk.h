#pragma once
// What the parser makes of a run of events before it joins the trace: a chunk. Events are parsed
// in chunks, several at once (ChromeEventParser); each chunk interns names and args into its own
// string tables and keeps its own tracks, keyed by the source's (pid, tid), so that parsers never
// share a lock. Chunks are then merged into the trace in file order (ChunkMerger). Besides slices
// and instants (kept as track columns), a chunk holds what only the merge can resolve: metadata,
// B/E halves, flow endpoints and counter samples, and the count and first reason of the events
// it skipped.
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/model/Trace.h"

namespace gaplens::importer {

// A track as the source names it: (pid, tid) of one file.
struct TrackKey {
    int64_t pid = 0;
    int64_t tid = 0;
    bool operator==(const TrackKey& o) const { return pid == o.pid && tid == o.tid; }
};
struct TrackKeyHash {
    size_t operator()(const TrackKey& k) const {
        return std::hash<int64_t>()(k.pid) * 1000003u ^ std::hash<int64_t>()(k.tid);
    }
};

// A pid or tid given as a string ("Spans") gets a stable numeric key from its text.
inline int64_t labelKey(std::string_view label) {
    uint64_t h = 1469598103934665603ull;
    for (char c : label) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    return static_cast<int64_t>(h | (1ull << 62)) | std::numeric_limits<int64_t>::min();
}

// A track of the chunk: its events so far (X slices and instants) as columns.
struct LocalTrack {
    TrackKey key;
    Track columns;       // string ids local to the chunk
    bool gpuHint = false;  // saw GPU activity (kernel, memcpy, ...) on it
    int32_t device = -1;
};

// Metadata (ph M) that names or orders a process or a thread.
enum class MetaKind : uint8_t { ProcessName, ProcessLabels, ProcessSort, ThreadName, ThreadSort };
struct MetaRecord {
    TrackKey key;
    MetaKind kind;
    std::string text;
    int64_t number = 0;
};

// One half of a B/E pair; the merge pairs them per track, across chunks.
struct BeginEnd {
    TrackKey key;
    bool begin;
    TimeNs ts;
    StringId name, category, args;  // local ids
    size_t offset;
};

// A flow endpoint (ph s/t/f), bound to a slice once the trace is finalized (FlowBinding).
struct PendingFlow {
    TrackKey key;
    TimeNs ts;
    uint64_t id;
    char phase;           // 's', 't', 'f'
    bool bindEnclosing;   // bp: "e" (or a start/step, which always binds to the enclosing slice)
    StringId category, name;  // local ids until merged
};

// One value of a counter series (ph C; an event with several args is several series).
struct CounterSample {
    TrackKey key;
    std::string series;
    TimeNs ts;
    double value;
};

// Everything parsed from one run of events.
struct ChunkState {
    StringTable strings;
    StringTable argTexts;
    std::unordered_map<TrackKey, uint32_t, TrackKeyHash> trackIndex;
    std::vector<LocalTrack> tracks;
    std::vector<MetaRecord> metas;
    std::vector<BeginEnd> beginEnds;
    std::vector<PendingFlow> flows;
    std::vector<CounterSample> counters;
    std::unordered_map<int64_t, std::string> labels;  // label key -> original text
    uint64_t events = 0;
    uint64_t skipped = 0;
    uint64_t utf8Repaired = 0;  // events whose invalid UTF-8 bytes were replaced
    TimeNs lastEnd = 0;         // latest end of the events read (at least 0), for open 'B' events
    std::string firstSkip;   // reason of the first skipped event
    size_t firstSkipOffset = 0;
    std::map<std::string, uint64_t> unknownPhases;

    // Where the chunk first names each track (a slice, an instant, a B/E half, thread metadata) and
    // each process that process-wide events name (metadata, counters), in event order. The merge
    // creates them in this order, so that the trace's processes and tracks come in the order the
    // file names them, however it was cut into chunks.
    struct Appearance {
        TrackKey key;
        bool processOnly = false;  // key.pid only
    };
    std::vector<Appearance> appearances;
    std::unordered_set<int64_t> processesNamed;  // pids in `appearances` as processOnly

    LocalTrack& track(TrackKey key) {
        // Runs of events share a track: try the last one before hashing.
        if (lastTrack < tracks.size() && tracks[lastTrack].key == key) return tracks[lastTrack];
        auto it = trackIndex.find(key);
        if (it == trackIndex.end()) {
            it = trackIndex.emplace(key, static_cast<uint32_t>(tracks.size())).first;
            tracks.emplace_back();
            tracks.back().key = key;
            appearances.push_back({key, false});
        }
        lastTrack = it->second;
        return tracks[it->second];
    }
    size_t lastTrack = 0;
    // The category of the last slice and what it maps to: runs of events share one.
    std::string lastCategory;
    StringId lastCategoryId = 0;
    EventKind lastCategoryKind = EventKind::Other;

    StringId category(std::string_view cat, EventKind& kind) {
        if (lastCategoryId == 0 || cat != lastCategory) {
            lastCategory.assign(cat);
            lastCategoryId = strings.intern(cat);
            lastCategoryKind = eventKindFromCategory(cat);
        }
        kind = lastCategoryKind;
        return lastCategoryId;
    }
    void nameProcess(int64_t pid) {
        if (processesNamed.insert(pid).second) appearances.push_back({{pid, 0}, true});
    }
    void skip(std::string reason, size_t offset) {
        if (skipped++ == 0) {
            firstSkip = std::move(reason);
            firstSkipOffset = offset;
        }
    }
};

}  // namespace gaplens::importer
