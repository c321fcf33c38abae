#pragma once
// What the timeline shows for a selected time range: its duration, GPU busy % per device, idle
// time by gap cause and how many ops of each kind ran in it. Computed from the trace and core's
// analysis results (busy intervals, classified gaps); nothing here redefines an analysis.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/analysis/GapCauses.h"
#include "core/model/Trace.h"

namespace gaplens {

struct Report;

struct RangeStats {
    TimeNs startNs = 0;
    TimeNs endNs = 0;
    TimeNs durNs() const { return endNs - startNs; }

    struct Device {
        int device = 0;
        TimeNs busyNs = 0;  // union of GPU work inside the range (core's busy intervals, clipped)
        double busyPct = 0;
    };
    std::vector<Device> devices;
    std::array<TimeNs, kGapCauseCount> idleByCauseNs{};  // classified gap time inside the range
    TimeNs gapNs = 0;                                    // sum of idleByCauseNs

    // Events that start inside the range, by kind.
    int64_t cpuOps = 0;
    int64_t userRanges = 0;
    int64_t apiCalls = 0;
    int64_t kernels = 0;
    int64_t memcpys = 0;
    int64_t memsets = 0;

    std::string toText() const;  // several lines, as the overlay shows them
};

// `report` may be null (no analysis yet): busy and gap figures are then zero.
RangeStats computeRangeStats(const Trace& trace, const Report* report, TimeNs start, TimeNs end);

}  // namespace gaplens
