#pragma once
// What the host did, indexed for the gap causes and the dead windows: per CPU thread the time
// covered by any event, by API calls, by one-time work and by blocking calls; globally the CUPTI
// overhead events (module loading, buffer requests, which Kineto puts on no thread). Built once
// per trace in linear time; each query is a few binary searches.
//
// A blocking call is one where the host waits for the GPU: a synchronize call or a blocking copy
// by its name (isBlockingCallName), or any API call that a CUPTI synchronization record (Kineto
// category `cuda_sync`: "Stream Sync", "Event Sync", "Context Sync") names by its correlation id.
// "Stream Wait Event" records are left out: the GPU waits there, not the host.
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/analysis/IntervalSet.h"
#include "core/model/Trace.h"

namespace gaplens {

// A host event judged one-time work: a call by its name (allocation, module load, handle
// creation), a CUPTI overhead event, or the first call of an op whose later calls take < 1/10 of
// its time (cold cuBLAS heuristics and kernel loading show up only this way).
struct OneTimeEvent {
    EventRef ref;
    TimeNs start = 0, end = 0;
    bool firstCall = false;     // judged by the first-call rule
    TimeNs laterMeanNs = 0;     // mean of the later calls (first-call rule)
};

struct ThreadActivity {
    uint32_t track = 0;
    IntervalSet any;        // every event (what the thread was seen doing)
    IntervalSet api;        // runtime/driver API calls
    IntervalSet oneTime;    // one-time events of this thread and the global overhead events
    std::vector<OneTimeEvent> oneTimeEvents;  // this thread's, sorted by start
    std::vector<EventRef> blockingCalls;      // blocking sync/copy calls, sorted by end
    std::vector<TimeNs> blockingEnds;
    IntervalSet blocked;    // time inside blocking calls (the host waited for the GPU)
};

struct HostActivity {
    std::vector<ThreadActivity> threads;
    std::vector<int> threadOfTrack;           // track index -> index into threads, -1 if not a CPU thread
    IntervalSet overhead;                     // CUPTI overhead events (all)
    std::vector<OneTimeEvent> overheadEvents; // sorted by start
    TimeNs maxOneTimeDurNs = 0;               // for overlap scans

    const ThreadActivity* thread(uint32_t track) const {
        if (track >= threadOfTrack.size() || threadOfTrack[track] < 0) return nullptr;
        return &threads[size_t(threadOfTrack[track])];
    }
};

HostActivity buildHostActivity(const Trace& trace);

// Host time on `thread` inside [a, b) that an op or range covers but no API call or overhead
// event explains (framework code, or work nothing recorded — e.g. ~127 ms inside a cold aten::mm).
TimeNs unrecordedHostTime(const ThreadActivity& thread, const HostActivity& host, TimeNs a, TimeNs b);

// Where a sweep in time order over one thread's sets stands (IntervalSet::covered hints): each
// query starts its search from the previous one's answer.
struct ThreadCursor {
    size_t any = 0, api = 0, oneTime = 0, blocking = 0;
    size_t events = 0;  // the thread's track (topHostOpsIn)
};
TimeNs unrecordedHostTime(const ThreadActivity& thread, const HostActivity& host, TimeNs a, TimeNs b,
                          ThreadCursor& cursor);

// One-time work overlapping [a, b) on `thread` (and the overhead events), grouped by name, largest
// first: "first call of aten::mm 135.9 ms (later calls 52 us)", "cudaMalloc x4 0.53 ms".
struct OneTimeItem {
    std::string name;
    int64_t count = 0;
    TimeNs overlapNs = 0;
    bool firstCall = false;
    TimeNs fullNs = 0;        // full duration (first call)
    TimeNs laterMeanNs = 0;
};
std::vector<OneTimeItem> oneTimeItemsIn(const Trace& trace, const ThreadActivity* thread, const HostActivity& host,
                                        TimeNs a, TimeNs b);
std::string formatOneTimeItem(const OneTimeItem& item);

// Self time per host event name on `thread` inside [a, b), largest first (at most `limit`).
std::vector<std::pair<std::string, TimeNs>> topHostOpsIn(const Trace& trace, uint32_t track, TimeNs a, TimeNs b,
                                                         size_t limit);
// The same for queries in time order on one track: `hint` keeps where the previous one began.
std::vector<std::pair<std::string, TimeNs>> topHostOpsIn(const Trace& trace, uint32_t track, TimeNs a, TimeNs b,
                                                         size_t limit, size_t& hint);

// Is this a call name that is one-time work (allocation, module/library load, handle or stream creation).
bool isOneTimeCallName(std::string_view name);
// Is this a blocking host call (device/stream/event synchronize, blocking memcpy).
bool isBlockingCallName(std::string_view name);

}  // namespace gaplens
