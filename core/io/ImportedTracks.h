#pragma once
// What becomes of a file's tracks once all of its events are in, and of all tracks once every file
// is: the kind of each track (a GPU stream where GPU work was seen, profiler overhead where the
// source puts it on no thread, a thread otherwise) and its display name; tracks with no events
// dropped (Kineto lists all 8 GPUs of a node) with the processes left empty; columns trimmed to
// their size; latency columns dropped where the source wrote none.
#include <cstdint>
#include <vector>

#include "core/io/ChunkMerger.h"
#include "core/io/FlowBinding.h"

namespace gaplens::importer {

// Track kinds and names of one file, decided once all its events are in. `gpuTracks`: tracks that
// had GPU work (ChunkMerger::gpuTracks).
void classifyTracks(Trace& trace, const FileContext& file, const std::vector<uint32_t>& gpuTracks);

// Drops tracks with no events and processes with no tracks or counters; the flows' track indices
// follow.
void dropEmptyTracks(Trace& trace, std::vector<ResolvedFlow>& flows);

// Gives back the slack of every column of a track.
void shrinkColumns(Track& t);

// A track whose activities carry no latency timestamps (Kineto writes "queued": 0 unless they were
// recorded) keeps no latency columns.
void dropUnknownLatencyColumns(Trace& trace);

}  // namespace gaplens::importer
