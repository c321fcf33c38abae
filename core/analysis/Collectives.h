#pragma once
// Analysis 10: collectives across the ranks of a job (DESIGN.md). Most GPU time that sits idle at
// scale sits inside collectives: one rank is late and every other rank's GPU "runs" an NCCL kernel
// that only waits for it, which a per-file analysis counts as busy.
//
// Definitions:
//  - A collective kernel is a GPU kernel whose name starts with "nccl" (ncclDevKernel_*,
//    ncclKernel_*). Its group is the process group its args name (Kineto: "Process Group Name"),
//    else its stream. Per group, the k-th collective kernel of each rank in start order is the same
//    collective (instance k of the group).
//  - Arrival = the kernel's start on the GPU. Per instance: the last rank to arrive, skew = last -
//    first arrival, wait of rank r = last arrival - r's arrival (its GPU runs the collective but only
//    waits; kept within the kernel's duration), transfer = kernel time - wait.
//  - Per rank: busy = the union of its kernels, copies and memsets inside its recorded window (the
//    first to the last event of its file; when its first GPU op has no launch record, the window
//    starts at that op, as in GPU busy / idle); collective time, wait and transfer are sums over its
//    collective kernels; last to arrive = instances where it arrived last (skew > 0); overlap =
//    collective time covered by its device's other kernels ÷ collective time.
//  - Busy excluding wait = busy - the part of the wait during which the GPU ran nothing else.
//    Each kernel records the time inside it when its device ran no other work ("alone"); the
//    wait's share of that is taken in proportion, wait × alone ÷ kernel time. This needs only
//    per-rank numbers, so `gaplens merge` gives the same figure from per-rank reports; it is exact
//    when a collective runs wholly alone or wholly overlapped, the common cases.
//  - Straggler: the rank last to arrive most often; at stake: the other ranks' total wait in the
//    instances where it was last; its waited intervals (first arrival to its own arrival) are
//    where to look for what it did instead (activityIn()).
//  - Clocks: ranks of one host share the clock. Ranks of several hosts are each shifted by the
//    median offset that makes its matched collectives end together with the first rank's (on a
//    shared clock the ends of one instance lie within microseconds). Hosts come from the traces
//    when they say (gaplens captures do); else the ranks are taken as one host while every rank's
//    median end offset stays within JobOptions::sharedClockToleranceNs.
//
// Per-rank figures (RankCollectives) come from one rank's trace alone; the job's figures
// (analyzeCollectives) need only those, which is what lets `gaplens merge` work from per-rank
// reports.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/analysis/JobRanks.h"
#include "core/model/Trace.h"

namespace gaplens {

// One collective kernel of one rank.
struct CollectiveKernel {
    TimeNs startAbsNs = 0;  // absolute (ns since the epoch on the rank's own clock)
    TimeNs durNs = 0;
    TimeNs aloneNs = 0;     // time inside it when the device ran no other GPU work
    int32_t stream = 0;     // the stream id (CUPTI's are 32-bit)
    uint32_t group = 0;     // index into RankCollectives::groups
    uint32_t seq = 0;       // its place among its group's collectives on this rank, from 0
    uint32_t name = 0;      // index into RankCollectives::names
    EventRef event;         // in the trace it came from; invalid when read from a report
    TimeNs endAbsNs() const { return startAbsNs + durNs; }
};
static_assert(sizeof(CollectiveKernel) == 48, "millions are held when thousands of ranks merge");

// What one rank's trace alone says (the per-rank step of a job).
struct RankCollectives {
    int rank = 0;
    bool rankKnown = false;   // from distributedInfo (else the file order)
    int worldSize = 0;
    uint32_t file = 0;
    std::string path;
    std::string host;
    std::vector<int> devices;
    TimeNs spanNs = 0;        // recorded window (see busy)
    TimeNs busyNs = 0;        // union of GPU work in the window
    TimeNs collectiveNs = 0;  // sum of collective kernel time
    TimeNs overlapNs = 0;     // collective time covered by other kernels of the device
    std::vector<std::string> groups;  // "pg 0" (process group) or "stream 17"
    std::vector<std::string> names;   // collective kernel names
    std::vector<CollectiveKernel> kernels;  // by start

    double busyPct() const { return spanNs > 0 ? 100.0 * double(busyNs) / double(spanNs) : 0.0; }
    double overlapPct() const { return collectiveNs > 0 ? 100.0 * double(overlapNs) / double(collectiveNs) : 0.0; }
};

inline bool isCollectiveKernelName(std::string_view name) { return name.substr(0, 4) == "nccl"; }

// The per-rank figures of one file of `trace` (the rank's processes are those of rank.file).
RankCollectives computeRankCollectives(const Trace& trace, const RankFile& rank);

// Ranks read one file at a time (per-rank reports) know their number only from distributedInfo:
// numbers them as a job in the order given (numberRanks), adding a warning when two claim one rank.
void numberRanksInOrder(std::vector<RankCollectives>& ranks, std::vector<std::string>& warnings);

enum class ClockMode : uint8_t {
    Auto,    // hosts from the traces; unknown: one host while the offsets stay within the tolerance
    Shared,  // one clock: no shift
    Align,   // shift every rank onto the first rank's clock
};

struct JobOptions {
    ClockMode clock = ClockMode::Auto;
    TimeNs sharedClockToleranceNs = 50'000;
};

// One rank in one instance.
struct Arrival {
    uint32_t rank = 0;    // index into JobCollectives::ranks
    uint32_t kernel = 0;  // index into that rank's kernels
    TimeNs arrivalNs = 0; // start on the job's clock (absolute, after the rank's shift)
    TimeNs waitNs = 0;
};

struct CollectiveInstance {
    uint32_t group = 0;    // index into JobCollectives::groups
    uint32_t seq = 0;
    uint32_t name = 0;     // index into JobCollectives::names (the first arriving rank's kernel name)
    uint32_t arrivalsBegin = 0, arrivalCount = 0;  // JobCollectives::arrivals, in rank order
    uint32_t lastRank = 0; // index into ranks (meaningful when skew > 0)
    uint32_t firstRank = 0;
    TimeNs firstArrivalNs = 0, lastArrivalNs = 0;  // job clock, absolute
    TimeNs waitNs = 0;     // the ranks' total wait
    TimeNs skewNs() const { return lastArrivalNs - firstArrivalNs; }
};

struct RankFigures {
    TimeNs offsetNs = 0;         // added to the rank's times to put it on the job's clock
    TimeNs waitNs = 0;
    TimeNs transferNs = 0;
    TimeNs busyExclWaitNs = 0;
    int64_t collectives = 0;
    int64_t lastToArrive = 0;
};

// What a rank did inside some intervals: time per kernel name and per host op name.
struct NamedTime {
    std::string name;
    TimeNs ns = 0;
};
struct RankActivity {
    TimeNs intervalNs = 0;   // total length of the intervals
    TimeNs gpuBusyNs = 0;    // its GPU's union of work inside them
    std::vector<NamedTime> kernels;  // longest first, at most `top`
    std::vector<NamedTime> ops;      // host ops (cpu_op) and user ranges, longest first, at most `top`
};

struct Straggler {
    uint32_t rank = 0;            // index into ranks
    int64_t lastCount = 0;        // instances it arrived last at
    int64_t instances = 0;        // instances with more than one rank
    TimeNs othersWaitNs = 0;      // the other ranks' wait in the instances it was last at
    std::vector<std::pair<TimeNs, TimeNs>> waited;  // [first arrival, its arrival), abs, its own clock
    std::optional<RankActivity> activity;  // filled where its trace is at hand
};

struct JobCollectives {
    std::vector<RankCollectives> ranks;   // sorted by rank
    std::vector<RankFigures> figures;     // per rank, same order
    std::vector<std::string> groups;      // job-wide group keys
    std::vector<std::string> names;       // job-wide kernel names
    std::vector<CollectiveInstance> instances;  // by first arrival
    std::vector<Arrival> arrivals;
    bool clockAligned = false;            // ranks were shifted (several hosts)
    std::string clockNote;                // one line: how the clocks were taken
    std::optional<Straggler> straggler;
    std::vector<std::string> warnings;    // one line each (unequal collective counts, ...)

    TimeNs totalCollectiveNs() const;
    TimeNs totalWaitNs() const;
    // The instance of a rank's kernel (index into instances), or -1.
    int64_t instanceOf(uint32_t rank, uint32_t kernel) const;
    // Arrivals of one instance, earliest first.
    std::vector<Arrival> arrivalOrder(const CollectiveInstance& instance) const;
    // Instance of each rank's kernels: instanceOfKernel[instanceOfKernelBegin[rank] + kernel]
    // (every kernel has one). Use instanceOf().
    std::vector<uint32_t> instanceOfKernel;
    std::vector<uint32_t> instanceOfKernelBegin;  // per rank, and one past the last
};

// The job's figures from its ranks' (numbered: two with one number are renumbered in the order given).
JobCollectives analyzeCollectives(std::vector<RankCollectives> ranks, const JobOptions& options = {});

// What the rank of `file` did inside the intervals (absolute ns, on its own clock, sorted): its GPU
// busy time, its kernels and its host ops by time inside them, the top `top` of each.
RankActivity activityIn(const Trace& trace, uint32_t file, const std::vector<std::pair<TimeNs, TimeNs>>& intervalsAbs,
                        size_t top = 5);

}  // namespace gaplens
