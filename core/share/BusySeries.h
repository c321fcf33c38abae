#pragma once
// GPU busy fraction over time, in equal bins: what the share page draws as its "GPU busy over time"
// plot. It reads the merged busy intervals the GPU busy analysis already computed (never the events).
#include <cstdint>
#include <string>
#include <vector>

#include "core/analysis/GpuBusy.h"

namespace gaplens {

struct BusySeries {
    int device = 0;
    std::string label;            // what the window is ("whole trace", "steady matmul_add")
    TimeNs startNs = 0;           // start of bin 0
    TimeNs binNs = 0;             // width of each bin
    std::vector<double> busy;     // busy fraction 0..1 per bin
};

// Splits [fromNs, toNs) into `bins` bins and gives each the fraction covered by `device.busy`
// (sorted, merged intervals). One pass over the intervals.
BusySeries busySeriesOf(const DeviceBusy& device, TimeNs fromNs, TimeNs toNs, int bins);

}  // namespace gaplens
