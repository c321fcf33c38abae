#include "ui/timeline/TimelineLanes.h"

#include <algorithm>

namespace gaplens {

std::vector<Lane> buildLanes(const Trace& trace, bool gpuFirst) {
    std::vector<uint32_t> procs(trace.processes.size());
    for (uint32_t i = 0; i < procs.size(); ++i) procs[i] = i;
    auto hasGpu = [&](uint32_t p) {
        for (uint32_t t : trace.processes[p].tracks)
            if (trace.tracks[t].isGpu()) return true;
        return false;
    };
    std::stable_sort(procs.begin(), procs.end(), [&](uint32_t a, uint32_t b) {
        const Process& pa = trace.processes[a];
        const Process& pb = trace.processes[b];
        const bool ga = hasGpu(a), gb = hasGpu(b);
        if (ga != gb) return gpuFirst ? ga : !ga;
        if (pa.file != pb.file) return pa.file < pb.file;
        if (pa.sortIndex != pb.sortIndex) return pa.sortIndex < pb.sortIndex;
        return pa.pid < pb.pid;
    });

    std::vector<Lane> lanes;
    for (uint32_t p : procs) {
        const Process& proc = trace.processes[p];
        if (proc.tracks.empty()) continue;
        Lane header;
        header.kind = LaneKind::GroupHeader;
        header.process = p;
        header.name = proc.name.empty() ? "process " + (proc.pidLabel.empty() ? std::to_string(proc.pid) : proc.pidLabel)
                                        : proc.name;
        if (!proc.name.empty() && proc.pidLabel.empty() && proc.name.find(std::to_string(proc.pid)) == std::string::npos)
            header.name += " (" + std::to_string(proc.pid) + ")";
        lanes.push_back(header);

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
                l.process = p;
                l.track = t;
                l.name = trace.tracks[t].name.empty() ? "thread " + std::to_string(trace.tracks[t].tid) : trace.tracks[t].name;
                lanes.push_back(l);
            }
        };
        if (!gpuFirst) addThreads();
        for (size_t i = 0; i < gpu.size(); ++i) {
            const Track& t = trace.tracks[gpu[i]];
            Lane l;
            l.process = p;
            l.track = gpu[i];
            l.device = t.device;
            l.name = "GPU " + std::to_string(t.device) + " " + (t.name.empty() ? "stream " + std::to_string(t.tid) : t.name);
            lanes.push_back(l);
            const bool lastOfDevice = i + 1 == gpu.size() || trace.tracks[gpu[i + 1]].device != t.device;
            if (lastOfDevice) {
                Lane busy;
                busy.kind = LaneKind::Busy;
                busy.process = p;
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
    return lanes;
}

}  // namespace gaplens
