#include "ui/timeline/LaneGeometry.h"

namespace gaplens {

size_t LaneGeometry::primitiveCount() const {
    size_t n = sliceLabels.size() + gapLabels.size() + deadWindows.size() + busyBars.size();
    for (const auto& r : sliceRects) n += r.size();
    for (const auto& r : gapRects) n += r.size();
    return n;
}

}  // namespace gaplens
