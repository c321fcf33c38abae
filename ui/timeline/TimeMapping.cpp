#include "ui/timeline/TimeMapping.h"

#include <algorithm>

namespace gaplens {

TimeMapping::TimeMapping(double startNs, double endNs, double widthPx)
    : start_(startNs), end_(endNs > startNs ? endNs : startNs + 1.0), width_(widthPx > 0 ? widthPx : 1.0) {
    pxPerNs_ = width_ / (end_ - start_);
}

TimeMapping TimeMapping::zoomedAt(double factor, double anchorX) const {
    if (!(factor > 0)) return *this;
    const double anchorT = time(anchorX);
    const double span = spanNs() / factor;
    const double start = anchorT - anchorX / width_ * span;
    return TimeMapping(start, start + span, width_);
}

TimeMapping TimeMapping::pannedPx(double dxPx) const { return pannedNs(dxPx * nsPerPx()); }

TimeMapping TimeMapping::pannedNs(double dtNs) const { return TimeMapping(start_ + dtNs, end_ + dtNs, width_); }

TimeMapping TimeMapping::clampedTo(double lo, double hi, double minSpanNs) const {
    const double full = std::max(hi - lo, minSpanNs);
    // Allow a little room past both ends so the first and last slices are not glued to the edges.
    const double maxSpan = full * 1.1;
    double span = std::clamp(spanNs(), minSpanNs, maxSpan);
    double start = start_ + (spanNs() - span) / 2;  // keep the centre when the span is clamped
    const double margin = full * 0.05;
    start = std::clamp(start, lo - margin - span / 2, hi + margin - span / 2);
    return TimeMapping(start, start + span, width_);
}

}  // namespace gaplens
