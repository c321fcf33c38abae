#pragma once
// Level of detail for one row of non-overlapping intervals sorted by start (one depth of a CPU
// thread, a GPU stream, a device's gaps): the visible ones are found by binary search, and runs of
// intervals narrower than a pixel are merged into one draw item carrying a count, as Tracy's
// timeline and Qt Creator's tracing view do. Each item is at least `minRunPx` wide or followed by a
// gap of at least a pixel, so a row yields at most about `widthPx` items at any zoom, and the cost
// is O(items * log n), independent of how many intervals the row holds.
#include <cstddef>
#include <cstdint>

#include "ui/timeline/TimeMapping.h"

namespace gaplens {

struct LodItem {
    double x0 = 0;       // pixels, relative to the track area
    double x1 = 0;
    size_t first = 0;    // position in the row of the first interval
    size_t count = 1;    // > 1: a merged run of sub-pixel intervals
};

// First position k in [0, n) whose interval ends after `t` (intervals do not overlap, so ends are
// sorted like starts).
template <typename EndAt>
size_t firstEndingAfter(size_t n, double t, EndAt endAt) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        const size_t mid = lo + (hi - lo) / 2;
        if (double(endAt(mid)) > t) hi = mid;
        else lo = mid + 1;
    }
    return lo;
}

// First position k in [from, n) whose interval starts at or after `t`.
template <typename StartAt>
size_t firstStartingAtOrAfter(size_t from, size_t n, double t, StartAt startAt) {
    size_t lo = from, hi = n;
    while (lo < hi) {
        const size_t mid = lo + (hi - lo) / 2;
        if (double(startAt(mid)) >= t) hi = mid;
        else lo = mid + 1;
    }
    return lo;
}

// Calls sink(LodItem) for the visible intervals of a row of `n`, left to right.
template <typename StartAt, typename EndAt, typename Sink>
void forEachLodItem(const TimeMapping& map, size_t n, StartAt startAt, EndAt endAt, Sink sink,
                    double minRunPx = 1.0) {
    if (n == 0) return;
    const double nsPerPx = map.nsPerPx();
    const double viewEnd = map.endNs();
    size_t k = firstEndingAfter(n, map.startNs(), endAt);
    while (k < n) {
        const double s = double(startAt(k));
        if (s >= viewEnd) break;
        double e = double(endAt(k));
        LodItem item;
        item.first = k;
        item.x0 = map.x(s);
        if ((e - s) / nsPerPx >= minRunPx) {  // wide enough to be drawn alone
            item.x1 = map.x(e);
            sink(item);
            ++k;
            continue;
        }
        // A sub-pixel interval: absorb the following intervals that start within a pixel of the run's
        // end and are themselves narrow. Each step jumps by binary search and moves the run's end by at
        // least a pixel, so a run costs O(its width in pixels * log n).
        size_t last = k;
        while (true) {
            const size_t next = firstStartingAtOrAfter(last + 1, n, e + nsPerPx, startAt);
            if (next == last + 1) break;  // the next interval starts a pixel or more later
            size_t cand = next - 1;       // the last one starting within a pixel of the run's end
            if (double(endAt(cand) - startAt(cand)) / nsPerPx >= minRunPx) {
                // Only the last can be wide (the ones before end before it starts): leave it alone.
                if (cand == last + 1) break;
                --cand;
            }
            last = cand;
            e = double(endAt(last));
            if (s >= viewEnd || double(startAt(last)) >= viewEnd) break;
        }
        item.count = last - k + 1;
        item.x1 = map.x(e);
        if (item.x1 - item.x0 < minRunPx) item.x1 = item.x0 + minRunPx;
        sink(item);
        k = last + 1;
    }
}

}  // namespace gaplens
