#include "ui/timeline/RangeStats.h"

#include <algorithm>
#include <cstdio>

#include "core/report/Report.h"
#include "ui/timeline/BusyProfile.h"
#include "ui/timeline/SliceDetails.h"
#include "ui/timeline/TimelineColors.h"

namespace gaplens {

RangeStats computeRangeStats(const Trace& trace, const Report* report, TimeNs start, TimeNs end) {
    RangeStats s;
    s.startNs = start;
    s.endNs = std::max(start, end);
    if (report) {
        for (const DeviceBusy& d : report->gpu.devices) {
            RangeStats::Device out;
            out.device = d.device;
            out.busyNs = BusyProfile(d).busyIn(s.startNs, s.endNs);
            out.busyPct = s.durNs() > 0 ? 100.0 * double(out.busyNs) / double(s.durNs()) : 0.0;
            s.devices.push_back(out);
        }
        for (const Gap& g : report->gaps.gaps) {
            const TimeNs overlap = std::min(g.end(), s.endNs) - std::max(g.start, s.startNs);
            if (overlap > 0) s.idleByCauseNs[size_t(g.cause)] += overlap;
        }
        for (TimeNs v : s.idleByCauseNs) s.gapNs += v;
    }
    for (const Track& t : trace.tracks) {
        const auto lo = std::lower_bound(t.start.begin(), t.start.end(), s.startNs) - t.start.begin();
        const auto hi = std::lower_bound(t.start.begin() + lo, t.start.end(), s.endNs) - t.start.begin();
        for (auto i = lo; i < hi; ++i) {
            switch (t.kind[size_t(i)]) {
                case EventKind::CpuOp: ++s.cpuOps; break;
                case EventKind::UserRange: ++s.userRanges; break;
                case EventKind::RuntimeApi:
                case EventKind::DriverApi: ++s.apiCalls; break;
                case EventKind::Kernel: ++s.kernels; break;
                case EventKind::Memcpy: ++s.memcpys; break;
                case EventKind::Memset: ++s.memsets; break;
                default: break;
            }
        }
    }
    return s;
}

std::string RangeStats::toText() const {
    std::string out = "range " + formatDuration(durNs());
    char buf[160];
    for (const Device& d : devices) {
        std::snprintf(buf, sizeof buf, "\nGPU %d busy %.1f%% (%s)", d.device, d.busyPct, formatDuration(d.busyNs).c_str());
        out += buf;
    }
    if (gapNs > 0) {
        out += "\nidle in gaps " + formatDuration(gapNs) + ":";
        for (int c = 0; c < kGapCauseCount; ++c)
            if (idleByCauseNs[size_t(c)] > 0)
                out += "\n  " + std::string(gapCauseLabel(GapCause(c))) + " " + formatDuration(idleByCauseNs[size_t(c)]);
    }
    std::snprintf(buf, sizeof buf, "\nops %lld, ranges %lld, API calls %lld\nkernels %lld, memcpy %lld, memset %lld",
                  static_cast<long long>(cpuOps), static_cast<long long>(userRanges), static_cast<long long>(apiCalls),
                  static_cast<long long>(kernels), static_cast<long long>(memcpys), static_cast<long long>(memsets));
    out += buf;
    return out;
}

}  // namespace gaplens
