#pragma once
// Where a file's events lie on the shared timeline. Kineto writes times relative to the file's
// baseTimeNanoseconds: adding it makes them absolute (ns since the epoch), so that files of one job
// (ranks, processes) line up by their clocks. Runs recorded one after another (a sweep, before and
// after a change) lie seconds apart that way: ImportOptions::alignFilesAtStart moves each file so
// that its first event starts where the first file's does, and gives each file's GPUs numbers of
// their own so that runs on one GPU are not analysed as one device.
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/io/ChunkMerger.h"
#include "core/io/FlowBinding.h"

namespace gaplens::importer {

// Adds the file's baseTimeNanoseconds to its events' starts and its counters' times. Latency
// timestamps are absolute already; flows got it when they were resolved.
void applyBaseTime(Trace& trace, const FileContext& file);

// ImportOptions::alignFilesAtStart: moves one file's events, latency timestamps, counters and flow
// endpoints so that its earliest event starts at *alignAt (set by the first file that has events).
void alignFileStart(Trace& trace, uint32_t fileIndex, const std::unordered_map<TrackKey, uint32_t, TrackKeyHash>& tracks,
                    std::vector<ResolvedFlow>& flows, size_t fileFlowsBegin, std::optional<TimeNs>& alignAt);

// ImportOptions::alignFilesAtStart: runs recorded one after another on the same GPU now overlap in
// time; analysed as one device their busy time and gaps would mix. A device number that an earlier
// file already uses gets the next free one; the GPU process's name says which it was.
void separateAlignedDevices(Trace& trace, const std::string& path,
                            const std::unordered_map<TrackKey, uint32_t, TrackKeyHash>& tracks,
                            std::vector<int32_t>& devicesOfEarlierFiles, std::vector<std::string>& warnings);

}  // namespace gaplens::importer
