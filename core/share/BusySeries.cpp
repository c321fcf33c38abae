#include "core/share/BusySeries.h"

#include <algorithm>

namespace gaplens {

BusySeries busySeriesOf(const DeviceBusy& device, TimeNs fromNs, TimeNs toNs, int bins) {
    BusySeries series;
    series.device = device.device;
    series.startNs = fromNs;
    if (bins <= 0 || toNs <= fromNs) return series;
    // Ceil so that bins * binNs covers the whole window.
    series.binNs = std::max<TimeNs>(1, (toNs - fromNs + bins - 1) / bins);
    series.busy.assign(static_cast<size_t>(bins), 0.0);
    std::vector<TimeNs> covered(static_cast<size_t>(bins), 0);
    for (const TimeInterval& interval : device.busy) {
        TimeNs s = std::max(interval.start, fromNs);
        const TimeNs e = std::min(interval.end, toNs);
        while (s < e) {
            const auto bin = static_cast<size_t>((s - fromNs) / series.binNs);
            if (bin >= covered.size()) break;
            const TimeNs binEnd = fromNs + TimeNs(bin + 1) * series.binNs;
            const TimeNs piece = std::min(e, binEnd) - s;
            covered[bin] += piece;
            s += piece;
        }
    }
    for (size_t i = 0; i < covered.size(); ++i)
        series.busy[i] = std::min(1.0, double(covered[i]) / double(series.binNs));
    return series;
}

}  // namespace gaplens
