#include "ui/timeline/TimelineLanes.h"

#include <algorithm>
#include <map>

#include "core/analysis/JobRanks.h"

namespace gaplens {

namespace {

bool hasGpu(const Trace& trace, uint32_t p) {
    for (uint32_t t : trace.processes[p].tracks)
        if (trace.tracks[t].isGpu()) return true;
    return false;
}

std::string processTitle(const Process& proc) {
    std::string name = proc.name.empty() ? "process " + (proc.pidLabel.empty() ? std::to_string(proc.pid) : proc.pidLabel)
                                         : proc.name;
    if (!proc.name.empty() && proc.pidLabel.empty() && proc.name.find(std::to_string(proc.pid)) == std::string::npos)
        name += " (" + std::to_string(proc.pid) + ")";
    return name;
}

// The lanes of one process: its CPU threads, then per GPU device its streams, a busy % lane and a
// gaps lane (with gpuFirst, the GPU lanes before the threads). `group` is the process whose header
// they hang under (collapsing it hides them).
void appendProcessLanes(const Trace& trace, uint32_t p, uint32_t group, bool gpuFirst, std::vector<Lane>& lanes) {
    const Process& proc = trace.processes[p];
    std::vector<uint32_t> cpu, gpu;
    for (uint32_t t : proc.tracks) (trace.tracks[t].isGpu() ? gpu : cpu).push_back(t);
    std::stable_sort(cpu.begin(), cpu.end(), [&](uint32_t a, uint32_t b) {
        const Track& ta = trace.tracks[a];
        const Track& tb = trace.tracks[b];
        if (ta.trackKind != tb.trackKind) return ta.trackKind < tb.trackKind;
        if (ta.sortIndex != tb.sortIndex) return ta.sortIndex < tb.sortIndex;
        return ta.tid < tb.tid;
    });
    std::stable_sort(gpu.begin(), gpu.end(), [&](uint32_t a, uint32_t b) {
        const Track& ta = trace.tracks[a];
        const Track& tb = trace.tracks[b];
        if (ta.device != tb.device) return ta.device < tb.device;
        return ta.tid < tb.tid;
    });
    auto addThreads = [&] {
        for (uint32_t t : cpu) {
            Lane l;
            l.process = group;
            l.track = t;
            l.name = trace.tracks[t].name.empty() ? "thread " + std::to_string(trace.tracks[t].tid) : trace.tracks[t].name;
            lanes.push_back(l);
        }
    };
    if (!gpuFirst) addThreads();
    for (size_t i = 0; i < gpu.size(); ++i) {
        const Track& t = trace.tracks[gpu[i]];
        Lane l;
        l.process = group;
        l.track = gpu[i];
        l.device = t.device;
        l.name = "GPU " + std::to_string(t.device) + " " + (t.name.empty() ? "stream " + std::to_string(t.tid) : t.name);
        lanes.push_back(l);
        const bool lastOfDevice = i + 1 == gpu.size() || trace.tracks[gpu[i + 1]].device != t.device;
        if (lastOfDevice) {
            Lane busy;
            busy.kind = LaneKind::Busy;
            busy.process = group;
            busy.device = t.device;
            busy.name = "GPU " + std::to_string(t.device) + " busy %";
            lanes.push_back(busy);
            Lane gaps = busy;
            gaps.kind = LaneKind::Gaps;
            gaps.name = "GPU " + std::to_string(t.device) + " gaps";
            lanes.push_back(gaps);
        }
    }
    if (gpuFirst) addThreads();
}

}  // namespace

std::vector<Lane> buildLanes(const Trace& trace, bool gpuFirst) {
    std::vector<uint32_t> procs(trace.processes.size());
    for (uint32_t i = 0; i < procs.size(); ++i) procs[i] = i;
    std::stable_sort(procs.begin(), procs.end(), [&](uint32_t a, uint32_t b) {
        const Process& pa = trace.processes[a];
        const Process& pb = trace.processes[b];
        const bool ga = hasGpu(trace, a), gb = hasGpu(trace, b);
        if (ga != gb) return gpuFirst ? ga : !ga;
        if (pa.file != pb.file) return pa.file < pb.file;
        if (pa.sortIndex != pb.sortIndex) return pa.sortIndex < pb.sortIndex;
        return pa.pid < pb.pid;
    });

    std::vector<Lane> lanes;
    std::vector<bool> done(trace.processes.size(), false);
    // The ranks of a job: one group per rank ("rank 0 · GPU 0"), its host processes then its GPU
    // ones; the profiler's bookkeeping processes (pid not a number) keep groups of their own.
    const JobRanks ranks = findJobRanks(trace);
    if (ranks.job) {
        for (const RankFile& rank : ranks.ranks) {
            std::vector<uint32_t> members;
            for (uint32_t p : procs) {
                const Process& proc = trace.processes[p];
                if (proc.file == rank.file && proc.pidLabel.empty() && !proc.tracks.empty()) members.push_back(p);
            }
            if (members.empty()) continue;
            // Titled by its program: the first process with a name and host threads (not CUPTI's pid -1).
            uint32_t titled = members.front();
            for (uint32_t p : members) {
                const Process& proc = trace.processes[p];
                bool threads = false;
                for (uint32_t t : proc.tracks) threads = threads || trace.tracks[t].trackKind == TrackKind::CpuThread;
                if (threads && !proc.name.empty()) {
                    titled = p;
                    break;
                }
            }
            Lane header;
            header.kind = LaneKind::GroupHeader;
            header.process = members.front();
            header.name = rankLabel(rank) + " \xC2\xB7 " + processTitle(trace.processes[titled]);
            lanes.push_back(header);
            for (uint32_t p : members) {
                appendProcessLanes(trace, p, header.process, gpuFirst, lanes);
                done[p] = true;
            }
        }
    }
    for (uint32_t p : procs) {
        const Process& proc = trace.processes[p];
        if (proc.tracks.empty() || done[p]) continue;
        Lane header;
        header.kind = LaneKind::GroupHeader;
        header.process = p;
        header.name = processTitle(proc);
        lanes.push_back(header);
        appendProcessLanes(trace, p, p, gpuFirst, lanes);
    }
    return lanes;
}

}  // namespace gaplens
