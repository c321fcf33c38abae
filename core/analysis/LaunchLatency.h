#pragma once
// Analysis 4: launch latency per kernel name: gpu_start - launch_api_start, split into queue wait
// (the stream was still busy with earlier work after the launch call started) and dispatch latency
// (the rest).
#include <cstdint>
#include <string>
#include <vector>

#include "core/model/Trace.h"

namespace gaplens {

struct KernelLatency {
    std::string kernel;
    int64_t count = 0;
    TimeNs p50Ns = 0, p90Ns = 0, maxNs = 0;
    TimeNs queueP50Ns = 0, dispatchP50Ns = 0;
};

struct LaunchOutlier {
    std::string kernel;
    int device = 0;
    TimeNs launchStartNs = 0;
    TimeNs gpuStartNs = 0;
    TimeNs latencyNs = 0;
    TimeNs queueNs = 0;
    TimeNs dispatchNs = 0;
};

struct LaunchLatency {
    std::vector<KernelLatency> perKernel;  // most launches first
    std::vector<LaunchOutlier> outliers;   // latency > 4x its name's p50 and > 50 us, longest first (at most 20)
    int64_t count = 0;                     // all linked GPU activities
    TimeNs p50Ns = 0;                      // over all of them
    TimeNs queueP50Ns = 0;
    TimeNs dispatchP50Ns = 0;
    TimeNs queueTotalNs = 0;
};

LaunchLatency computeLaunchLatency(const Trace& trace);

// Nearest-rank percentile of a sorted vector (p in 0..100); 0 when empty.
TimeNs percentileSorted(const std::vector<TimeNs>& sorted, double p);

}  // namespace gaplens
