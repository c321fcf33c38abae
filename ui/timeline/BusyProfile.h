#pragma once
// GPU busy time of one device over any window in O(log n): core's merged busy intervals
// (DeviceBusy::busy, sorted, disjoint) with a running sum of their lengths. The busy lane asks it
// once per pixel column and the range statistics once per selection.
#include <vector>

#include "core/analysis/GpuBusy.h"

namespace gaplens {

class BusyProfile {
public:
    BusyProfile() = default;
    explicit BusyProfile(const DeviceBusy& device);

    int device() const { return device_; }
    // Busy time inside [from, to), intervals clipped to it.
    TimeNs busyIn(TimeNs from, TimeNs to) const;
    double busyInF(double from, double to) const;  // fractional window (pixel columns)
    // Busy time before `t` (from the start of the trace): one binary search. Pixel columns take
    // differences of it, so a column costs one search instead of two.
    double busyBefore(double t) const;
    size_t memoryBytes() const { return sizeof(*this) + cumulative_.capacity() * sizeof(TimeNs); }

private:
    int device_ = 0;
    const std::vector<TimeInterval>* busy_ = nullptr;  // owned by the report
    std::vector<TimeNs> cumulative_;  // cumulative_[i] = busy time of intervals [0, i)
};

}  // namespace gaplens
