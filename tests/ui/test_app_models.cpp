// The docks' models show the report's numbers (and so torch's own key_averages for the ops table),
// sort numerically through the proxy, and filter by name.
#include <catch2/catch.hpp>

#include <QSortFilterProxyModel>

#include "core/model/TimeText.h"
#include "tests/core/HandMadeSteps.h"
#include "core/report/Report.h"
#include "ui/app/DeadWindowsModel.h"
#include "ui/app/Formatting.h"
#include "ui/app/GapsModel.h"
#include "ui/app/ItemRoles.h"
#include "ui/app/OpsTableModel.h"
#include "ui/app/SummaryModel.h"
#include "ui/app/TraceLoader.h"

using namespace gaplens;

namespace {
std::shared_ptr<LoadedTrace> loadFixture(const QStringList& names) {
    QStringList paths;
    for (const QString& n : names) paths << QStringLiteral(GAPLENS_TEST_DATA "/") + n;
    QString error;
    auto loaded = loadTraces(paths, LoadOptions{}, {}, nullptr, error);
    INFO(error.toStdString());
    REQUIRE(loaded);
    return loaded;
}

int rowNamed(const QAbstractItemModel& model, const QString& name) {
    for (int r = 0; r < model.rowCount(); ++r)
        if (model.index(r, 0).data().toString() == name) return r;
    return -1;
}
}  // namespace

TEST_CASE("ops model shows torch's key_averages numbers for the warm 64x64 loop", "[app][models]") {
    auto loaded = loadFixture({QStringLiteral("torch_mm64_warm.json")});
    OpsTableModel model;
    model.setReport(loaded->report);
    REQUIRE(model.rowCount() == int(loaded->report->ops.rows.size()));
    const int mm = rowNamed(model, QStringLiteral("aten::mm"));
    REQUIRE(mm >= 0);
    // torch_mm64_warm.key_averages.json: aten::mm calls 5, self CPU 241.628 us, CUDA total 10.592 us.
    CHECK(model.index(mm, OpsTableModel::Calls).data().toLongLong() == 5);
    CHECK(model.index(mm, OpsTableModel::SelfCpu).data(SortRole).toLongLong() == 241628);
    CHECK(model.index(mm, OpsTableModel::GpuTotal).data(SortRole).toLongLong() == 10592);
    CHECK(model.index(mm, OpsTableModel::SelfCpu).data().toString() ==
          QString::fromStdString(formatDuration(241628)));

    // Sorted by self CPU, descending, through the proxy: aten::mm (241.6 us) is the top row.
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setSortRole(SortRole);
    proxy.sort(OpsTableModel::SelfCpu, Qt::DescendingOrder);
    CHECK(proxy.index(0, OpsTableModel::Name).data().toString() == QStringLiteral("aten::mm"));
    // The filter keeps the two aten:: ops.
    proxy.setFilterKeyColumn(OpsTableModel::Name);
    proxy.setFilterCaseSensitivity(Qt::CaseInsensitive);
    proxy.setFilterFixedString(QStringLiteral("ATEN::"));
    CHECK(proxy.rowCount() == 2);
}

TEST_CASE("gaps model lists the report's gaps, longest first, with the window a click jumps to", "[app][models]") {
    auto loaded = loadFixture({QStringLiteral("torch_mm64_warm.json")});
    GapsModel model;
    model.setReport(loaded->report);
    const auto listed = listedGaps(*loaded->report);
    REQUIRE(model.rowCount() == int(listed.size()));
    REQUIRE(model.rowCount() == 11);
    const Gap& longest = *listed.front();
    CHECK(model.index(0, GapsModel::Duration).data(SortRole).toLongLong() == longest.dur);
    CHECK(model.index(0, GapsModel::Duration).data().toString() == QString::fromStdString(formatDuration(longest.dur)));
    CHECK(model.index(0, GapsModel::Cause).data().toString() == QStringLiteral("host-idle"));
    CHECK(model.index(0, 0).data(StartNsRole).toLongLong() == longest.start);
    CHECK(model.index(0, 0).data(EndNsRole).toLongLong() == longest.start + longest.dur);
}

TEST_CASE("dead windows and summary models show the cold start and the verdict", "[app][models]") {
    auto loaded = loadFixture({QStringLiteral("torch_mm64_cold.json")});
    DeadWindowsModel dead;
    dead.setReport(loaded->report);
    int withWork = 0, cold = 0;
    for (const auto& w : loaded->report->deadWindows.windows) {
        withWork += w.hasGpuWork;
        cold += w.hasGpuWork && w.cold;
    }
    REQUIRE(dead.rowCount() == withWork);
    int coldRows = 0;
    for (int r = 0; r < dead.rowCount(); ++r) coldRows += dead.index(r, DeadWindowsModel::Cold).data(SortRole).toBool();
    CHECK(coldRows == cold);
    CHECK(cold >= 1);
    // The first matmul_add instance is the cold one: its dead window is the 141 ms cold start.
    const DeadWindows& windows = loaded->report->deadWindows;
    const auto& first = windows.windows;
    auto it = std::find_if(first.begin(), first.end(),
                           [&](const DeadWindow& w) { return windows.rangeNameOf(w) == "matmul_add" && w.hasGpuWork; });
    REQUIRE(it != first.end());
    CHECK(it->cold);
    CHECK(it->durNs > 100'000'000);

    SummaryModel summary;
    summary.setReport(loaded->report);
    CHECK(summary.valueOf(QStringLiteral("Bound")) == QStringLiteral("overhead-bound"));
    CHECK(summary.valueOf(QStringLiteral("Events")) == QString::number(loaded->report->trace.events));
    CHECK(summary.valueOf(QStringLiteral("Launch → start p50")) ==
          QString::fromStdString(formatDuration(loaded->report->launchLatency.p50Ns)));
}

TEST_CASE("the Summary dock shows the engines apart, CPU time without syncs and the iterations", "[app][models]") {
    // 3 steps of 2.7 ms: 1 ms of GEMM; 2.6 ms of copies on a side stream; the host waits for them.
    constexpr TimeNs us = 1000;
    SummaryModel summary;
    summary.setReport(std::make_shared<const Report>(buildReport(test::sideCopySteps(1000, 2600, false, true))));
    CHECK(summary.valueOf(QStringLiteral("Bound")) == QStringLiteral("copy-bound"));
    CHECK(summary.valueOf(QStringLiteral("Kernels busy (window)")) ==
          QStringLiteral("%1 (%2)").arg(percentText(100.0 * 3000 / 8100), durationText(3000 * us)));
    CHECK(summary.valueOf(QStringLiteral("Copies busy (window)")) ==
          QStringLiteral("%1 (%2)").arg(percentText(100.0 * 7800 / 8100), durationText(7800 * us)));
    CHECK(summary.valueOf(QStringLiteral("Compute idle while copying (window)")) == durationText(4800 * us));
    CHECK(summary.valueOf(QStringLiteral("CPU time (window)")) == durationText(8100 * us - 3 * 2630 * us));
    CHECK(summary.valueOf(QStringLiteral("Blocked in syncs (left out)")) == durationText(3 * 2630 * us));
    CHECK(summary.valueOf(QStringLiteral("Iterations")) == QStringLiteral("3"));
    CHECK(summary.valueOf(QStringLiteral("Copy busy (memcpy, memset)")) == durationText(7800 * us));
    // The copy-bound advice, with the time at stake.
    CHECK(summary.valueOf(QStringLiteral("copy-bound")).contains(durationText(4800 * us)));
}

TEST_CASE("two runs at two sizes load as one timeline and a sweep of two rows", "[app][models]") {
    auto loaded = loadFixture({QStringLiteral("torch_mm64_warm.json"), QStringLiteral("torch_mm8192_warm.json.gz")});
    REQUIRE(loaded->perFile.size() == 2);
    REQUIRE(loaded->sweep);
    CHECK(loaded->sweep->rows.size() == 2);
    // One timeline: the processes of both files.
    uint32_t files = 0;
    for (const auto& p : loaded->trace->processes) files = std::max(files, p.file + 1);
    CHECK(files == 2);
}

TEST_CASE("a missing or malformed file fails with one line naming it", "[app][models]") {
    QString error;
    CHECK_FALSE(loadTraces({QStringLiteral("/nonexistent/run.json")}, LoadOptions{}, {}, nullptr, error));
    CHECK(error.contains(QStringLiteral("/nonexistent/run.json")));
    CHECK_FALSE(error.contains(QLatin1Char('\n')));
}

TEST_CASE("two runs recorded one after another, aligned at their start, overlap on the timeline", "[app][load]") {
    const QStringList paths = {QStringLiteral(GAPLENS_TEST_DATA "/capture_matmul_add_64.json"),
                               QStringLiteral(GAPLENS_TEST_DATA "/capture_matmul_add_8192.json")};
    QString error;
    auto asRecorded = loadTraces(paths, LoadOptions{}, {}, nullptr, error);
    LoadOptions align;
    align.alignFilesAtStart = true;
    auto aligned = loadTraces(paths, align, {}, nullptr, error);
    REQUIRE(asRecorded);
    REQUIRE(aligned);
    CHECK(aligned->trace->eventCount() == asRecorded->trace->eventCount());
    // Aligned, the timeline is as long as the longer run, far less than both runs and the time between.
    CHECK(aligned->trace->endNs() < asRecorded->trace->endNs());
    TimeNs longestRun = 0;
    for (const Report& r : aligned->perFile) longestRun = std::max(longestRun, r.trace.spanNs);
    CHECK(aligned->trace->endNs() == longestRun);
    // The per-file reports (the sweep) do not depend on the alignment.
    REQUIRE(aligned->perFile.size() == 2);
    REQUIRE(asRecorded->perFile.size() == 2);
    CHECK(aligned->perFile[1].gpu.devices[0].busyNs == asRecorded->perFile[1].gpu.devices[0].busyNs);
}
