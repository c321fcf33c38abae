#include <catch2/catch.hpp>

#include <memory>

#include "core/io/ChromeTraceImporter.h"
#include "core/model/TraceBuilder.h"
#include "core/report/Report.h"
#include "ui/timeline/RangeStats.h"
#include "ui/timeline/TrackRows.h"

using namespace gaplens;

TEST_CASE("Range stats over a real capture match core's busy, gap and kernel numbers") {
    Trace trace;
    const ImportResult imported = importTraces({std::string(GAPLENS_TEST_DATA) + "/torch_mm64_warm.json"}, trace);
    REQUIRE(imported.ok);
    const Report report = buildReport(trace);
    REQUIRE(report.gpu.devices.size() == 1);
    const DeviceBusy& dev = report.gpu.devices[0];

    const RangeStats whole = computeRangeStats(trace, &report, trace.beginNs(), trace.endNs());
    REQUIRE(whole.devices.size() == 1);
    CHECK(whole.devices[0].busyNs == dev.busyNs);
    CHECK(whole.gapNs == report.gaps.idleNs);
    for (int c = 0; c < kGapCauseCount; ++c) CHECK(whole.idleByCauseNs[size_t(c)] == report.gaps.totals[size_t(c)].totalNs);
    CHECK(whole.kernels == dev.kernels);

    // A window cut through the middle: core's own sub-window busy time.
    const TimeNs a = trace.beginNs() + (trace.endNs() - trace.beginNs()) / 3;
    const TimeNs b = trace.beginNs() + (trace.endNs() - trace.beginNs()) / 2;
    const RangeStats part = computeRangeStats(trace, &report, a, b);
    CHECK(part.devices[0].busyNs == busyTimeIn(dev, a, b));
}

TEST_CASE("TrackRows keeps coarser levels for long rows that account for every slice") {
    TraceBuilder b;
    const uint32_t gpu = b.process(0, "GPU 0");
    const uint32_t s = b.gpuStream(gpu, 0, 7);
    for (int i = 0; i < 10000; ++i) b.event(s, EventKind::Kernel, "k", TimeNs(i) * 200, 100);  // 100 ns every 200 ns
    b.event(s, EventKind::Kernel, "long", 3000000, 500000);
    const Trace trace = b.build();
    const TrackRows rows(trace.tracks[s]);
    REQUIRE(rows.rowCount() == 1);
    CHECK(rows.level(0, 100.0) == nullptr);  // finer than any level: the row itself
    const RowLevel* lv = rows.level(0, 1000.0);
    REQUIRE(lv != nullptr);
    CHECK(lv->thresholdNs <= 1000.0);
    // The 10000 short kernels fold into one interval; the long one stays alone.
    REQUIRE(lv->start.size() == 2);
    CHECK(lv->start[0] == 0);
    CHECK(lv->end[0] == 9999 * 200 + 100);
    CHECK(lv->firstPos[1] == 10000);
    CHECK(lv->start[1] == 3000000);
    CHECK(lv->end[1] == 3500000);
}
