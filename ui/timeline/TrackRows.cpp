#include "ui/timeline/TrackRows.h"

#include <algorithm>

namespace gaplens {

TrackRows::TrackRows(const Track& track) : size_(track.size()) {
    if (track.empty()) return;
    const uint16_t maxDepth = *std::max_element(track.depth.begin(), track.depth.end());
    rowCount_ = int(maxDepth) + 1;
    levels_.resize(size_t(rowCount_));
    if (maxDepth > 0) {
        identity_ = false;
        std::vector<size_t> counts(size_t(rowCount_), 0);
        for (uint16_t d : track.depth) ++counts[d];
        rows_.resize(size_t(rowCount_));
        for (int r = 0; r < rowCount_; ++r) rows_[size_t(r)].reserve(counts[size_t(r)]);
        for (uint32_t i = 0; i < track.size(); ++i) rows_[track.depth[i]].push_back(i);
    }
    for (int r = 0; r < rowCount_; ++r) buildLevels(track, r);
}

void TrackRows::buildLevels(const Track& track, int row) {
    const size_t n = rowSize(row);
    if (n < 4096) return;  // small rows are cheap to draw as they are
    std::vector<RowLevel>& levels = levels_[size_t(row)];
    // Thresholds 256 ns, 1 us, 4 us, ... Each candidate is built from the last kept level (or the row).
    size_t baseCount = n;
    for (double threshold = 256; threshold < 1e13; threshold *= 4) {
        RowLevel lv;
        lv.thresholdNs = threshold;
        const RowLevel* base = levels.empty() ? nullptr : &levels.back();
        auto bStart = [&](size_t k) { return base ? base->start[k] : track.start[at(row, k)]; };
        auto bEnd = [&](size_t k) { return base ? base->end[k] : track.end(at(row, k)); };
        auto bFirst = [&](size_t k) { return base ? base->firstPos[k] : uint32_t(k); };
        TimeNs runStart = bStart(0), runEnd = bEnd(0);
        uint32_t runFirst = bFirst(0);
        bool lastShort = double(runEnd - runStart) < threshold;
        for (size_t k = 1; k < baseCount; ++k) {
            const TimeNs s = bStart(k), e = bEnd(k);
            const bool isShort = double(e - s) < threshold;
            if (lastShort && isShort && double(s - runEnd) < threshold) {
                runEnd = std::max(runEnd, e);
                continue;
            }
            lv.start.push_back(runStart);
            lv.end.push_back(runEnd);
            lv.firstPos.push_back(runFirst);
            runStart = s;
            runEnd = e;
            runFirst = bFirst(k);
            lastShort = isShort;
        }
        lv.start.push_back(runStart);
        lv.end.push_back(runEnd);
        lv.firstPos.push_back(runFirst);
        const size_t count = lv.start.size();
        if (count * 4 > n || count * 2 > baseCount) continue;  // not worth its memory yet
        lv.start.shrink_to_fit();
        lv.end.shrink_to_fit();
        lv.firstPos.shrink_to_fit();
        levels.push_back(std::move(lv));
        baseCount = count;
        if (count < 64) break;
    }
}

const RowLevel* TrackRows::level(int row, double nsPerPx) const {
    const RowLevel* best = nullptr;
    for (const RowLevel& lv : levels_[size_t(row)])
        if (lv.thresholdNs <= nsPerPx) best = &lv;
    return best;
}

size_t TrackRows::memoryBytes() const {
    size_t n = sizeof(*this) + rows_.capacity() * sizeof(std::vector<uint32_t>);
    for (const auto& r : rows_) n += r.capacity() * sizeof(uint32_t);
    for (const auto& ls : levels_)
        for (const RowLevel& lv : ls)
            n += sizeof(RowLevel) + lv.start.capacity() * sizeof(TimeNs) + lv.end.capacity() * sizeof(TimeNs) +
                 lv.firstPos.capacity() * sizeof(uint32_t);
    return n;
}

}  // namespace gaplens
