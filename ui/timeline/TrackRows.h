#pragma once
// The per-track summary the timeline draws from: a track's events split into rows by nesting depth
// (Track::depth; finalize gives overlapping non-nesting slices a depth of their own, so no two
// slices of one row overlap). Each row lists its events' positions in the track's sorted columns,
// so it is sorted by start, and by end too: the level-of-detail pass can binary-search it. A track
// whose events all have depth 0 (every GPU stream) needs no list: its row is the track itself.
//
// Each row also keeps coarser levels, like a mipmap: level k merges runs of slices shorter than
// its threshold that are less than the threshold apart. Drawing at N ns per pixel uses the coarsest
// level whose threshold is at most N, so what it merged is below a pixel anyway, and the per-frame
// work no longer grows with the number of slices in view. A level is kept only when it has at most
// a quarter of the row's slices, so all levels together cost well under the row itself.
#include <cstdint>
#include <vector>

#include "core/model/Trace.h"

namespace gaplens {

struct RowLevel {
    double thresholdNs = 0;
    std::vector<TimeNs> start;
    std::vector<TimeNs> end;
    std::vector<uint32_t> firstPos;  // row position of the first slice of each merged interval
};

class TrackRows {
public:
    TrackRows() = default;
    explicit TrackRows(const Track& track);

    int rowCount() const { return rowCount_; }
    size_t rowSize(int row) const { return identity_ ? size_ : rows_[size_t(row)].size(); }
    // Position in the track's columns of the k-th event of `row`.
    uint32_t at(int row, size_t k) const { return identity_ ? uint32_t(k) : rows_[size_t(row)][k]; }
    // The coarsest level of `row` usable at `nsPerPx`, or null for the row itself.
    const RowLevel* level(int row, double nsPerPx) const;
    size_t memoryBytes() const;

private:
    void buildLevels(const Track& track, int row);

    bool identity_ = true;
    int rowCount_ = 0;
    size_t size_ = 0;
    std::vector<std::vector<uint32_t>> rows_;
    std::vector<std::vector<RowLevel>> levels_;  // per row, finest first
};

}  // namespace gaplens
