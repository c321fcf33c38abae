#pragma once
// Slices of one ops-table row highlighted across the timeline (the compare view's selected op or
// kernel): the events whose row name (core's opsRowName, so "ProfilerStep*" matches every step) is
// the given one, on host tracks or on GPU streams as the row's side says. They are found once per
// name, kept per (track, depth row) sorted by start, and drawn through the level of detail: runs of
// sub-pixel matches merge, so a highlight costs a few rectangles per pixel column at any zoom.
#include <string>
#include <string_view>
#include <vector>

#include <QRectF>

#include "core/model/Trace.h"
#include "ui/timeline/TimeMapping.h"

namespace gaplens {

class NameHighlight {
public:
    struct Row {
        uint32_t track = 0;
        uint16_t depth = 0;
        std::vector<uint32_t> events;  // indices in the track, by start
    };

    // Finds the events of row `rowName` on GPU streams (onGpu) or host threads (!onGpu).
    void set(const Trace& trace, std::string_view rowName, bool onGpu);
    void clear();
    bool active() const { return !name_.empty(); }
    const std::string& name() const { return name_; }
    bool onGpu() const { return onGpu_; }
    size_t eventCount() const;
    const std::vector<Row>& rows() const { return rows_; }
    // The first highlighted event starting at or after t (invalid when none).
    EventRef firstAtOrAfter(const Trace& trace, TimeNs t) const;
    // Rectangles of one row's visible matches, x relative to the track area, y 0..height.
    std::vector<QRectF> rects(const Trace& trace, const Row& row, const TimeMapping& map, double height) const;

private:
    std::string name_;
    bool onGpu_ = false;
    std::vector<Row> rows_;
};

}  // namespace gaplens
