#pragma once
// The merge: chunks of one file (ImportChunk), parsed in parallel, join the trace one after another
// in file order. Each chunk's string ids are mapped to the trace's tables; its (pid, tid) tracks
// become the trace's processes and tracks (created on first sight, string pids and tids kept as
// labels); metadata names and orders them; B and E halves are paired on a stack per track (an E
// with no B is counted, Bs left open are closed at the file's end); flow endpoints wait for the
// binding (FlowBinding); counter samples join their series. A track's events stay in the pieces
// they were read in until the file is read; then each column is assembled once, at its exact size.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/io/ImportChunk.h"

namespace gaplens::importer {

// What the merge knows of one file.
struct FileContext {
    uint32_t fileIndex = 0;
    int64_t correlationOffset = 0;
    TimeNs baseNs = 0;   // baseTimeNanoseconds: ts are relative to it
    std::unordered_map<int64_t, uint32_t> processByPid;
    std::unordered_map<TrackKey, uint32_t, TrackKeyHash> trackByKey;
    std::unordered_map<TrackKey, std::vector<BeginEnd>, TrackKeyHash> openBegins;
    std::unordered_map<int64_t, std::string> labels;
    // Global string ids, track keys of this file; kept as the chunks' vectors (no copy, no growth).
    std::vector<std::vector<PendingFlow>> flows;
    std::map<std::string, CounterSeries*> counterByName;
};

// Events of one track in file order, kept as the pieces they were read in until the file is read:
// the columns a chunk parsed (string ids still the chunk's, with the tables that map them to the
// trace's), or events the merge made itself (B/E pairs, with the trace's ids). Once the file is
// read, each column of each track is copied once into an allocation of its exact size, on all
// threads: no column grows by doubling and is shrunk again afterwards.
struct TrackPiece {
    Track columns;
    std::shared_ptr<const std::vector<StringId>> names, argIds;  // null: ids are the trace's already
};

class ChunkMerger {
public:
    ChunkMerger(Trace& trace, FileContext& file) : trace_(trace), file_(file) {}

    // The trace's process for a pid of this file, and track for a (pid, tid): made on first sight.
    uint32_t process(int64_t pid);
    uint32_t track(TrackKey key);
    // Adds a chunk (the next in file order) to the trace; leaves the chunk spent.
    void merge(ChunkState& chunk);
    // Closes B events left open at the end of the file at the file's last timestamp; returns how many.
    uint64_t closeOpenBegins(TimeNs lastTs);
    // Copies the pieces of each track into its columns, with `threads` threads (see TrackPiece),
    // and runs `alongside` as one more job.
    void assemble(unsigned threads, const std::function<void()>& alongside);

    uint64_t unmatchedEnds = 0;        // E events with no open B
    std::vector<uint32_t> gpuTracks;   // tracks that had GPU work in some chunk (repeats possible)

private:
    void applyMeta(MetaRecord m);
    void pairBeginEnd(const BeginEnd& be);
    void emit(TrackKey key, const BeginEnd& b, TimeNs endTs);
    std::vector<TrackPiece>& pieces(uint32_t ti);

    Trace& trace_;
    FileContext& file_;
    std::vector<std::vector<TrackPiece>> pieces_;  // by trace track index
    std::map<std::string, size_t> counterIndex_;
};

}  // namespace gaplens::importer
