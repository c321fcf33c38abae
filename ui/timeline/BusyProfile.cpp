#include "ui/timeline/BusyProfile.h"

#include <algorithm>

namespace gaplens {

BusyProfile::BusyProfile(const DeviceBusy& device) : device_(device.device), busy_(&device.busy) {
    cumulative_.resize(device.busy.size() + 1, 0);
    for (size_t i = 0; i < device.busy.size(); ++i) cumulative_[i + 1] = cumulative_[i] + device.busy[i].dur();
}

TimeNs BusyProfile::busyIn(TimeNs from, TimeNs to) const {
    return TimeNs(busyInF(double(from), double(to)) + 0.5);
}

double BusyProfile::busyInF(double from, double to) const {
    if (!busy_ || busy_->empty() || !(to > from)) return 0;
    const auto& iv = *busy_;
    // First interval ending after `from`, first starting at or after `to`.
    const size_t lo = size_t(std::partition_point(iv.begin(), iv.end(), [&](const TimeInterval& x) {
                                 return double(x.end) <= from;
                             }) - iv.begin());
    const size_t hi = size_t(std::partition_point(iv.begin() + lo, iv.end(), [&](const TimeInterval& x) {
                                 return double(x.start) < to;
                             }) - iv.begin());
    if (lo >= hi) return 0;
    double sum = double(cumulative_[hi] - cumulative_[lo]);
    // Clip the first and last intervals to the window.
    sum -= std::max(0.0, from - double(iv[lo].start));
    sum -= std::max(0.0, double(iv[hi - 1].end) - to);
    return std::max(0.0, sum);
}

double BusyProfile::busyBefore(double t) const {
    if (!busy_ || busy_->empty()) return 0;
    const auto& iv = *busy_;
    const size_t i = size_t(std::partition_point(iv.begin(), iv.end(), [&](const TimeInterval& x) {
                                return double(x.end) <= t;
                            }) - iv.begin());
    double sum = double(cumulative_[i]);
    if (i < iv.size() && double(iv[i].start) < t) sum += t - double(iv[i].start);
    return sum;
}

}  // namespace gaplens
