#include "ui/timeline/NameHighlight.h"

#include <algorithm>
#include <map>

#include "core/analysis/OpsTable.h"
#include "ui/timeline/LaneGeometry.h"
#include "ui/timeline/LevelOfDetail.h"

namespace gaplens {

void NameHighlight::set(const Trace& trace, std::string_view rowName, bool onGpu) {
    clear();
    if (rowName.empty()) return;
    name_ = std::string(rowName);
    onGpu_ = onGpu;
    // Which names of the string table belong to the row: once per name, not per event.
    std::vector<char> match(trace.strings.size(), 0);
    bool any = false;
    for (StringId id = 1; id < trace.strings.size(); ++id)
        if (opsRowName(trace.strings.str(id)) == rowName) match[id] = any = true;
    if (!any) return;
    for (uint32_t ti = 0; ti < trace.tracks.size(); ++ti) {
        const Track& t = trace.tracks[ti];
        if (t.isGpu() != onGpu || (!onGpu && t.trackKind != TrackKind::CpuThread)) continue;
        std::map<uint16_t, size_t> rowOfDepth;
        for (uint32_t i = 0; i < t.size(); ++i) {
            if (!match[t.nameId[i]]) continue;
            auto [it, inserted] = rowOfDepth.try_emplace(t.depth[i], rows_.size());
            if (inserted) rows_.push_back({ti, t.depth[i], {}});
            rows_[it->second].events.push_back(i);
        }
    }
}

void NameHighlight::clear() {
    name_.clear();
    rows_.clear();
}

size_t NameHighlight::eventCount() const {
    size_t n = 0;
    for (const Row& r : rows_) n += r.events.size();
    return n;
}

EventRef NameHighlight::firstAtOrAfter(const Trace& trace, TimeNs t) const {
    EventRef best;
    TimeNs bestStart = 0;
    for (const Row& r : rows_) {
        const Track& track = trace.tracks[r.track];
        const auto it = std::lower_bound(r.events.begin(), r.events.end(), t,
                                         [&](uint32_t i, TimeNs x) { return track.start[i] < x; });
        if (it == r.events.end()) continue;
        if (!best.valid() || track.start[*it] < bestStart) {
            best = {r.track, *it};
            bestStart = track.start[*it];
        }
    }
    return best;
}

std::vector<QRectF> NameHighlight::rects(const Trace& trace, const Row& row, const TimeMapping& map,
                                         double height) const {
    std::vector<QRectF> out;
    const Track& t = trace.tracks[row.track];
    auto startAt = [&](size_t k) { return t.start[row.events[k]]; };
    auto endAt = [&](size_t k) { return t.end(row.events[k]); };
    forEachLodItem(map, row.events.size(), startAt, endAt, [&](const LodItem& it) {
        const double x0 = std::max(it.x0, -4.0);
        const double x1 = std::min(std::max(it.x1, it.x0 + 2.0), map.widthPx() + 4.0);
        appendMerged(out, QRectF(x0, 0, x1 - x0, height));
    });
    return out;
}

}  // namespace gaplens
