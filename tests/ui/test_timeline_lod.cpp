#include <catch2/catch.hpp>

#include <vector>

#include "core/model/TraceBuilder.h"
#include "ui/timeline/LaneGeometry.h"
#include "ui/timeline/LevelOfDetail.h"
#include "ui/timeline/TrackRows.h"

using namespace gaplens;

namespace {
std::vector<LodItem> items(const TimeMapping& m, const std::vector<TimeNs>& s, const std::vector<TimeNs>& e) {
    std::vector<LodItem> out;
    forEachLodItem(m, s.size(), [&](size_t k) { return s[k]; }, [&](size_t k) { return e[k]; },
                   [&](const LodItem& it) { out.push_back(it); });
    return out;
}
}  // namespace

TEST_CASE("LOD draws wide intervals one by one and culls those outside the view") {
    // 10 ns per pixel: 100 px across [0, 1000).
    const TimeMapping m(0, 1000, 100);
    const std::vector<TimeNs> s{-500, 100, 400, 900, 1200}, e{-100, 300, 500, 1100, 1300};
    const auto out = items(m, s, e);
    REQUIRE(out.size() == 3);
    CHECK(out[0].first == 1);
    CHECK(out[0].x0 == 10.0);
    CHECK(out[0].x1 == 30.0);
    CHECK(out[1].first == 2);
    CHECK(out[2].first == 3);
    CHECK(out[2].x1 == 110.0);
}

TEST_CASE("LOD merges runs of sub-pixel intervals into one item with a count") {
    const TimeMapping m(0, 1000, 100);  // 10 ns per pixel
    std::vector<TimeNs> s, e;
    for (int i = 0; i < 50; ++i) {  // 50 slices of 2 ns every 4 ns: [0, 198]
        s.push_back(i * 4);
        e.push_back(i * 4 + 2);
    }
    s.push_back(500);  // a wide one, alone
    e.push_back(700);
    const auto out = items(m, s, e);
    REQUIRE(out.size() == 2);
    CHECK(out[0].count == 50);
    CHECK(out[0].x0 == 0.0);
    CHECK(out[0].x1 == Approx(19.8));
    CHECK(out[1].count == 1);
    CHECK(out[1].first == 50);
}

TEST_CASE("LOD emits a bounded number of items per pixel at any zoom") {
    const TimeMapping m(0, 1e9, 1000);  // 1 s across 1000 px
    std::vector<TimeNs> s, e;
    for (int i = 0; i < 1000000; ++i) {  // one million 500 ns slices, 1 us apart
        s.push_back(TimeNs(i) * 1000);
        e.push_back(TimeNs(i) * 1000 + 500);
    }
    CHECK(items(m, s, e).size() <= 1000);
    // Zoomed in to 10 us: each slice is 50 px wide and drawn alone.
    const auto in = items(TimeMapping(5000000, 5010000, 1000), s, e);
    CHECK(in.size() == 10);
    for (const LodItem& it : in) CHECK(it.count == 1);
}

TEST_CASE("TrackRows splits a track by depth, keeping overlapping slices on rows of their own") {
    TraceBuilder b;
    const uint32_t p = b.process(1, "python");
    const uint32_t t = b.cpuThread(p, 1);
    b.op(t, "outer", 0, 100).op(t, "inner", 10, 20).op(t, "overlap", 50, 100).op(t, "after", 200, 10);
    const Trace trace = b.build();
    const TrackRows rows(trace.tracks[t]);
    REQUIRE(rows.rowCount() == 2);
    REQUIRE(rows.rowSize(0) == 2);  // outer, after
    REQUIRE(rows.rowSize(1) == 2);  // inner, overlap (starts inside outer, ends after it)
    CHECK(trace.name({t, rows.at(0, 0)}) == "outer");
    CHECK(trace.name({t, rows.at(0, 1)}) == "after");
    CHECK(trace.name({t, rows.at(1, 0)}) == "inner");
    CHECK(trace.name({t, rows.at(1, 1)}) == "overlap");
}

TEST_CASE("a dead window's label stops where the next window starts, so overlapping windows do not overprint") {
    // Three windows of a host running ahead of the GPU: each lasts until its own kernel starts.
    // (Built with room to spare: GCC 12 at -O3 warns of a read past a vector of known size on the
    // path that the size check rules out.)
    std::vector<DeadWindowItem> windows;
    windows.reserve(8);
    windows.push_back({QRectF(10, 0, 300, 10), 0, 1});
    windows.push_back({QRectF(110, 0, 300, 10), 1, 1});
    windows.push_back({QRectF(500, 0, 80, 10), 2, 1});
    CHECK(labelRoomOf(windows, 0) == QRectF(10, 0, 100, 10));  // up to the second window's start
    CHECK(labelRoomOf(windows, 1) == QRectF(110, 0, 300, 10));  // the third starts after it ends
    CHECK(labelRoomOf(windows, 2) == QRectF(500, 0, 80, 10));   // the last keeps its rectangle
    // A window that starts where the previous one starts leaves that one no room at all.
    std::vector<DeadWindowItem> same;
    same.reserve(8);
    same.push_back({QRectF(10, 0, 300, 10), 0, 1});
    same.push_back({QRectF(10, 0, 200, 10), 1, 1});
    CHECK(labelRoomOf(same, 0).width() == 0);
}
