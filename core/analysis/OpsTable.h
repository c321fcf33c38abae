#pragma once
// Analysis 1: the ops table, like torch.profiler's key_averages(): one row per event name with
// calls, self/total CPU time and self/total GPU time.
//
// GPU attribution (checked against torch's own tables for the H100 fixtures): a GPU activity
// (kernel, memcpy, memset) is linked to the API call that launched it (Trace::linked()); the
// call's innermost enclosing op on its thread gets the activity's duration as self GPU, and the
// call itself and every enclosing op get it in GPU total. GPU activities are also rows of their own
// (self GPU = GPU total = their duration), as in torch. Kineto's `gpu_user_annotation` events
// (a range projected on the GPU stream) are rows of their own too, whose GPU time is their span on
// the GPU; they do not feed "Self GPU time total". This matches torch, which shows them as a second
// row under the range name with a "self CUDA" equal to their span.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/analysis/GpuBusy.h"
#include "core/model/Trace.h"

namespace gaplens {

struct OpRow {
    std::string name;
    EventKind kind = EventKind::CpuOp;  // what the events of this row are (host op, API call, kernel, ...)
    bool onGpu = false;                 // the events are GPU-side (kernels, gpu_user_annotation)
    int64_t calls = 0;
    TimeNs selfCpuNs = 0;
    TimeNs cpuTotalNs = 0;
    TimeNs selfGpuNs = 0;
    TimeNs gpuTotalNs = 0;

    TimeNs cpuAvgNs() const { return calls ? cpuTotalNs / calls : 0; }
    TimeNs gpuAvgNs() const { return calls ? gpuTotalNs / calls : 0; }
};

struct OpsTable {
    std::vector<OpRow> rows;
    TimeNs selfCpuTotalNs = 0;  // sum of self CPU over rows (torch's "Self CPU time total")
    TimeNs selfGpuTotalNs = 0;  // sum of self GPU of kernels/memcpy/memset (torch's "Self CUDA time total")

    double pctOfCpu(TimeNs t) const { return selfCpuTotalNs ? 100.0 * double(t) / double(selfCpuTotalNs) : 0.0; }
    double pctOfGpu(TimeNs t) const { return selfGpuTotalNs ? 100.0 * double(t) / double(selfGpuTotalNs) : 0.0; }
};

OpsTable computeOpsTable(const Trace& trace);

// The ops tables of a partition of the trace's events (group by range uses it; computeOpsTable is
// the one-group case). groupOfEvent[track][index] < groupCount names the table each event belongs
// to; empty means every event is in table 0. The per-event rules are those of computeOpsTable and
// every contribution goes to the table of the event whose row receives it: an event's own calls and
// times to its table, the self CPU a child takes from its parent to the parent's table, the GPU
// time of an activity to the tables of its launching call's enclosing ops. So the tables add up to
// computeOpsTable's, row by row. Each table is sorted by cpu_total.
std::vector<OpsTable> computeOpsTables(const Trace& trace, const std::vector<std::vector<uint32_t>>& groupOfEvent,
                                       size_t groupCount);

// The ops tables of time windows (a comparison of runs reads the steady window, and each
// iteration, of each run). An event falls in the window that holds its time of cause: a host
// event's start; for a GPU activity (kernel, memcpy, memset), the start of the call that launched
// it, since its GPU time is what that host time caused (a kernel of the last iteration that runs
// after the host moved on still counts there). An activity whose launch is not recorded, in a trace
// that records launches, was launched outside the recording (in a schedule's warm-up step, say)
// and is in no window; in a trace with no launch records at all, it counts by its start. `windows`
// are sorted by start and do not overlap; one table per window, in their order. Per-event rules as
// computeOpsTable, and every contribution goes to the table of the event whose row receives it;
// a contribution to an event in no window is dropped (a child's self CPU is not taken from a
// parent that began before the window, a kernel's GPU time only reaches its enclosing ops that lie
// inside). Each table is sorted by cpu_total.
std::vector<OpsTable> computeOpsTablesIn(const Trace& trace, const std::vector<TimeInterval>& windows);
// One window [from, to).
OpsTable computeOpsTableIn(const Trace& trace, TimeNs from, TimeNs to);

// The row name of an event name: torch groups the schedule's per-step ranges (ProfilerStep#3,
// ProfilerStep#4, ...) under "ProfilerStep*".
std::string opsRowName(std::string_view eventName);

// Sort keys: cpu_total (default), self_cpu, gpu_total, self_gpu, calls, name, cpu_avg, gpu_avg.
// Also accepts torch's spellings (cuda_total, self_cuda_time_total, ...). Returns false for an
// unknown key (the table is left as it was).
bool isOpsSortKey(std::string_view key);
bool sortOpsTable(OpsTable& table, std::string_view key);

}  // namespace gaplens
