// The main window: loads on a worker thread and fills the docks; a bad file is one line in the
// status bar, never a crash; a gap row jumps the timeline; recent files and the min gap persist.
#include <catch2/catch.hpp>

#include <QCoreApplication>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>

#include "AppTestSupport.h"
#include "ui/app/GapsModel.h"
#include "ui/app/MainWindow.h"
#include "ui/app/OpsTableModel.h"
#include "ui/app/SummaryModel.h"
#include "ui/app/SweepChart.h"
#include "ui/timeline/TimelineWidget.h"

using namespace gaplens;

namespace {
using test::isolateSettings;
const QString kWarm = QStringLiteral(GAPLENS_TEST_DATA "/torch_mm64_warm.json");
const QString kBig = QStringLiteral(GAPLENS_TEST_DATA "/torch_mm8192_warm.json.gz");
}  // namespace

TEST_CASE("main window loads a trace off the UI thread and fills the docks", "[app][window]") {
    isolateSettings();
    MainWindow window;
    QSignalSpy done(&window, &MainWindow::loadFinished);
    window.openFiles({kWarm});
    CHECK(window.isLoading());
    REQUIRE(done.wait(20000));
    CHECK_FALSE(window.isLoading());
    REQUIRE(window.loaded());
    CHECK(window.opsModel()->rowCount() == int(window.loaded()->report->ops.rows.size()));
    CHECK(window.gapsModel()->rowCount() == 11);
    CHECK(window.summaryModel()->valueOf(QStringLiteral("Bound")) == QStringLiteral("overhead-bound"));
    CHECK(window.statusText() == QString::fromStdString(formatVerdictLine(*window.loaded()->report)));
    CHECK(window.timeline()->trace() == window.loaded()->trace);
    CHECK(window.recentFiles() == QStringList{kWarm});

    // Clicking the longest gap shows it on the timeline.
    const Gap* longest = window.gapsModel()->gapAt(0);
    REQUIRE(longest);
    const QModelIndex row = window.gapsView()->model()->index(0, 0);
    emit window.gapsView()->clicked(row);
    CHECK(window.timeline()->hasSelectedRange());
    CHECK(window.timeline()->selectedRangeStart() == longest->start);
    CHECK(window.timeline()->selectedRangeEnd() == longest->end());
    CHECK(window.timeline()->visibleStartNs() <= longest->start);
    CHECK(window.timeline()->visibleEndNs() >= longest->end());
    CHECK(window.copySelectionStats() == QString::fromStdString(window.timeline()->selectedRangeStats().toText()));
}

TEST_CASE("a bad file is one line in the status bar and the window keeps the open trace", "[app][window]") {
    isolateSettings();
    MainWindow window;
    QSignalSpy done(&window, &MainWindow::loadFinished);
    QSignalSpy failed(&window, &MainWindow::loadFailed);
    window.openFiles({kWarm});
    REQUIRE(done.wait(20000));
    const auto before = window.loaded();
    window.openFiles({QStringLiteral("/nonexistent/run.json")});
    REQUIRE(failed.wait(20000));
    CHECK(window.statusText().contains(QStringLiteral("/nonexistent/run.json")));
    CHECK_FALSE(window.statusText().contains(QLatin1Char('\n')));
    CHECK(window.loaded() == before);
    CHECK(window.recentFiles() == QStringList{kWarm});
}

TEST_CASE("several files open as one timeline with a sweep, min gap re-analyses and persists", "[app][window]") {
    isolateSettings();
    MainWindow window;
    QSignalSpy done(&window, &MainWindow::loadFinished);
    window.openFiles({kWarm, kBig});
    REQUIRE(done.wait(30000));
    REQUIRE(window.loaded()->sweep);
    CHECK(window.sweepChart()->seriesCount() >= 3);  // CPU, GPU µs/iter and busy %
    CHECK(window.recentFiles() == QStringList{kWarm + QLatin1Char('\n') + kBig});

    window.setMinGapNs(100'000);  // 100 us
    REQUIRE(done.wait(30000));
    for (int r = 0; r < window.gapsModel()->rowCount(); ++r) CHECK(window.gapsModel()->gapAt(r)->dur >= 100'000);
    CHECK(QSettings().value(QStringLiteral("analysis/minGapNs")).toLongLong() == 100'000);
    MainWindow second;
    CHECK(second.minGapNs() == 100'000);
}
