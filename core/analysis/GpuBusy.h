#pragma once
// Analysis 2: GPU busy / idle per device. Busy = the union of kernel, memcpy and memset intervals
// over all streams of the device. Idle = the complement inside the analysed window, which is the
// whole recorded window (Trace::beginNs()..endNs()), except that when the first GPU op of the
// device has no launch record in the trace, the time before it is unknown (the GPU may have run
// work launched before the profiling window opened) and is left out.
#include <cstdint>
#include <vector>

#include "core/model/Trace.h"

namespace gaplens {

struct TimeInterval {
    TimeNs start = 0;
    TimeNs end = 0;
    TimeNs dur() const { return end - start; }
    friend bool operator==(const TimeInterval&, const TimeInterval&) = default;
};

struct DeviceBusy {
    int device = 0;
    TimeNs windowStartNs = 0;  // analysed window start (after any unknown prefix)
    TimeNs windowEndNs = 0;
    TimeNs unknownNs = 0;      // time left out at the start (first GPU op had no launch record)
    TimeNs busyNs = 0;
    TimeNs idleNs = 0;
    int64_t kernels = 0;
    TimeNs kernelNs = 0;       // sum of kernel durations (overlaps counted twice)
    int64_t memcpys = 0;
    int64_t memsets = 0;
    std::vector<TimeInterval> busy;  // merged busy intervals, sorted
    std::vector<TimeInterval> idle;  // idle intervals inside the analysed window, sorted

    double busyPct() const {
        const TimeNs w = windowEndNs - windowStartNs;
        return w > 0 ? 100.0 * double(busyNs) / double(w) : 0.0;
    }
};

struct GpuBusy {
    std::vector<DeviceBusy> devices;  // sorted by device index
};

GpuBusy computeGpuBusy(const Trace& trace);

// Union of the GPU work intervals of one device inside [from, to) (clipped), in ns. Used by the
// bound classification for a sub-window.
TimeNs busyTimeIn(const DeviceBusy& device, TimeNs from, TimeNs to);
// The same for queries in time order: `hint` keeps where the previous one landed (start at 0).
TimeNs busyTimeIn(const DeviceBusy& device, TimeNs from, TimeNs to, size_t& hint);

}  // namespace gaplens
