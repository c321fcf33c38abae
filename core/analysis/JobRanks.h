#pragma once
// The ranks of a distributed job among the files of one trace (DESIGN.md, analysis 10).
//
// A rank is an input file. Its number is the `distributedInfo.rank` its trace carries (Kineto
// writes distributedInfo: rank, world size, process groups; gaplens capture writes the same from
// the RANK / WORLD_SIZE a launcher such as torchrun sets), else its place in the file order.
// Several files are the ranks of one job when at least one of them carries distributedInfo: files
// opened together without it are runs (a sweep, before/after), not ranks.
//
// Two files that claim the same rank cannot both be it: then every file takes its file order and
// a warning says so. The host a rank ran on is known only where the trace says it (gaplens
// captures record it); Kineto traces do not, and the clock analysis then decides from the data.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/model/Trace.h"

namespace gaplens {

struct RankFile {
    uint32_t file = 0;         // Process::file of the rank's processes
    int rank = 0;
    int worldSize = 0;         // 0 = unknown
    bool fromMetadata = false; // rank read from distributedInfo (false: the file order)
    std::string path;          // the file it was read from ("" when the trace does not say)
    std::string host;          // "" = unknown
    std::vector<int> devices;  // GPU devices of its streams, sorted
};

struct JobRanks {
    std::vector<RankFile> ranks;        // one per file read, sorted by rank
    bool job = false;                   // several files, at least one with distributedInfo
    std::vector<std::string> warnings;  // one line each (duplicate ranks, ranks missing from the world)
};

// The top-level metadata of one input file (Trace::metadata, or its "files" entry when several
// files were imported); a null json when the trace has none for that file.
const nlohmann::json& fileMetadata(const Trace& trace, uint32_t file);
// The path of one input file (Trace::sourcePaths holds those read, in file order).
std::string filePath(const Trace& trace, uint32_t file);

JobRanks findJobRanks(const Trace& trace);

// Rank numbers for files in file order, from the rank each claims (-1: none): a claimed rank is
// kept, a file without one takes its place in the file order (the next number no file claims);
// when two files claim one rank, every file takes its file order and `warning` says so.
std::vector<int> numberRanks(const std::vector<int>& claimed, std::string* warning);

// "rank 0 · GPU 0" ("rank 3 · GPU 0, 1"; "rank 2" without GPU work).
std::string rankLabel(const RankFile& rank);

// Moves every event of each file named (its tracks' starts and latency timestamps, its counters)
// by its delta in ns, then finalizes the trace again: ranks of other hosts put on the job's clock.
// Events keep their places in their tracks, so EventRefs stay valid.
void shiftFileTimes(Trace& trace, const std::vector<std::pair<uint32_t, TimeNs>>& fileDeltas);

}  // namespace gaplens
