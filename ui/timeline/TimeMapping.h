#pragma once
// The time <-> pixel mapping of the timeline's track area: a visible window [startNs, endNs) drawn
// across `widthPx` pixels. A pure value type (no Qt, no state) so that zooming and panning are
// plain arithmetic that tests can check exactly. Times are kept as double ns so that deep zooms
// (a few ns across the whole width) stay smooth; the widget rounds to int64 ns at its API.
#include <cstdint>

namespace gaplens {

class TimeMapping {
public:
    TimeMapping() = default;
    TimeMapping(double startNs, double endNs, double widthPx);

    double startNs() const { return start_; }
    double endNs() const { return end_; }
    double spanNs() const { return end_ - start_; }
    double widthPx() const { return width_; }
    double nsPerPx() const { return width_ > 0 ? spanNs() / width_ : 0.0; }

    double x(double timeNs) const { return (timeNs - start_) * pxPerNs_; }
    double time(double xPx) const { return start_ + xPx * nsPerPx(); }

    // Zoom by `factor` (> 1 zooms in: the span shrinks by that factor) keeping the time under
    // `anchorX` at the same pixel.
    TimeMapping zoomedAt(double factor, double anchorX) const;
    // Pan by `dxPx` pixels (> 0 moves the window later in time).
    TimeMapping pannedPx(double dxPx) const;
    TimeMapping pannedNs(double dtNs) const;
    // Same width, another window.
    TimeMapping withWindow(double startNs, double endNs) const { return TimeMapping(startNs, endNs, width_); }
    // Same window, another width.
    TimeMapping withWidth(double widthPx) const { return TimeMapping(start_, end_, widthPx); }
    // Keeps the span within [minSpanNs, hi - lo + margin] and the window overlapping [lo, hi].
    TimeMapping clampedTo(double lo, double hi, double minSpanNs) const;

    friend bool operator==(const TimeMapping&, const TimeMapping&) = default;

private:
    double start_ = 0;
    double end_ = 1;
    double width_ = 1;
    double pxPerNs_ = 1;
};

}  // namespace gaplens
