#pragma once
// Analysis 2: GPU busy / idle per device. Busy = the union of kernel, memcpy and memset intervals
// over all streams of the device. Idle = the complement inside the analysed window, which is the
// whole recorded window (Trace::beginNs()..endNs()), except that when the first GPU op of the
// device has no launch record in the trace, the time before it is unknown (the GPU may have run
// work launched before the profiling window opened) and is left out.
//
// Engines: kernels run on the SMs, copies and memsets on the copy engines. A step whose copies
// take most of the time reads "busy" although the SMs sit idle, so each device also reports the
// union of its kernels (compute busy), the union of its copies and memsets (copy busy), and the time
// the copy engines were busy while no kernel ran (compute idle while copying). Busy = compute busy
// + compute idle while copying.
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
    // Engines, inside the analysed window (see the top of this file).
    TimeNs computeBusyNs = 0;               // union of kernels
    TimeNs copyBusyNs = 0;                  // union of memcpys and memsets
    TimeNs computeIdleWhileCopyingNs = 0;   // copies running while no kernel does
    std::vector<TimeInterval> busy;  // merged busy intervals, sorted
    std::vector<TimeInterval> idle;  // idle intervals inside the analysed window, sorted
    std::vector<TimeInterval> copyBusy;      // merged memcpy/memset intervals, sorted (empty without copies)
    std::vector<TimeInterval> copyOnly;      // the parts of copyBusy that no kernel overlaps, sorted

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
// The same per engine: kernels only, copies/memsets only, copies while no kernel runs.
TimeNs computeBusyTimeIn(const DeviceBusy& device, TimeNs from, TimeNs to);
TimeNs copyBusyTimeIn(const DeviceBusy& device, TimeNs from, TimeNs to);
TimeNs computeIdleWhileCopyingIn(const DeviceBusy& device, TimeNs from, TimeNs to);
// Time of the sorted, disjoint `intervals` inside [from, to); `hint` as above.
TimeNs coveredTimeIn(const std::vector<TimeInterval>& intervals, TimeNs from, TimeNs to, size_t& hint);

}  // namespace gaplens
