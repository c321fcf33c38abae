#pragma once
// What one lane draws for the current (visible range, width): rectangles grouped by colour so each
// colour is one fill call, and the labels that fit. Built by the level-of-detail pass, cached until
// the visible range or the width changes, and replayed by every repaint (hover, selection, scroll).
// Coordinates: x relative to the track area, y relative to the lane's top.
#include <algorithm>
#include <array>
#include <vector>

#include <QPolygonF>
#include <QRectF>
#include <QString>

#include "core/analysis/GapCauses.h"
#include "ui/timeline/TimelineColors.h"

namespace gaplens {

struct LaneLabel {
    QRectF rect;
    uint32_t item = 0;    // Slices: event index in the track; Gaps: gap index; dead windows: window index
    uint32_t count = 1;   // > 1: a merged run of that many slices
};

struct DeadWindowItem {
    QRectF rect;           // in the gaps lane
    uint32_t window = 0;   // index into the report's dead windows (the first, for a merged run)
    uint32_t count = 1;    // > 1: overlapping or sub-pixel windows drawn as their union
};

// Where the label of deadWindows[i] can go: its rectangle up to where the next window starts. Windows
// overlap when the host runs ahead of the GPU (each lasts until its own first kernel starts, long
// after the next range began); labels over the full rectangles would print over one another.
inline QRectF labelRoomOf(const std::vector<DeadWindowItem>& windows, size_t i) {
    QRectF room = windows[i].rect;
    const auto next = windows.begin() + std::ptrdiff_t(i) + 1;
    if (next != windows.end() && next->rect.left() < room.right()) room.setRight(std::max(room.left(), next->rect.left()));
    return room;
}

struct LaneGeometry {
    bool built = false;
    // Slices lanes: single slices in palette colours [0, P), merged runs in [P, 2P).
    std::array<std::vector<QRectF>, 2 * kSlicePaletteSize> sliceRects;
    std::vector<LaneLabel> sliceLabels;
    // Gaps lanes: gap rectangles by cause (top row) and their duration labels; dead windows (bottom row).
    std::array<std::vector<QRectF>, kGapCauseCount> gapRects;
    std::vector<LaneLabel> gapLabels;
    std::vector<DeadWindowItem> deadWindows;
    // Busy lanes: one bar per pixel column (as tall as the busy fraction), equal neighbours merged.
    std::vector<QRectF> busyBars;

    size_t primitiveCount() const;
};

// Appends `r` to `rects`, extending the last rectangle instead when `r` continues it on the same
// row (touching within half a pixel): neighbouring items of one colour become one fill.
inline void appendMerged(std::vector<QRectF>& rects, const QRectF& r) {
    if (!rects.empty()) {
        QRectF& last = rects.back();
        if (last.y() == r.y() && last.height() == r.height() && r.left() <= last.right() + 0.5 && r.left() >= last.left()) {
            last.setRight(std::max(last.right(), r.right()));
            return;
        }
    }
    rects.push_back(r);
}

}  // namespace gaplens
