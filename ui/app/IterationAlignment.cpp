#include "ui/app/IterationAlignment.h"

#include <algorithm>

namespace gaplens {

IterationAlignment::IterationAlignment(std::vector<TimeNs> aStarts, std::vector<TimeNs> bStarts)
    : a_(std::move(aStarts)), b_(std::move(bStarts)) {
    std::sort(a_.begin(), a_.end());
    std::sort(b_.begin(), b_.end());
}

size_t IterationAlignment::iterationOf(const std::vector<TimeNs>& starts, double t) {
    const auto it = std::upper_bound(starts.begin(), starts.end(), t, [](double x, TimeNs s) { return x < double(s); });
    return it == starts.begin() ? 0 : size_t(it - starts.begin()) - 1;
}

double IterationAlignment::offsetOf(size_t kA, size_t kB) const {
    if (a_.empty() || b_.empty()) return 0;
    return double(b_[kB]) - double(a_[kA]);
}

double IterationAlignment::offsetAtA(double centreA) const {
    const size_t k = iterationOfA(centreA);
    return offsetOf(k, pairedInB(k));
}

double IterationAlignment::offsetAtB(double centreB) const {
    const size_t k = iterationOfB(centreB);
    return offsetOf(pairedInA(k), k);
}

}  // namespace gaplens
