// How a trace opens in the app: the GPU lanes at the top (View > GPU Lanes First, on by default and
// remembered), the view on the steady window (the report's bound window) with the whole trace one
// key away (0), and Help > Analysis Definitions.
#include <catch2/catch.hpp>

#include <cmath>

#include <QAction>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "AppTestSupport.h"
#include "ui/app/AnalysesDoc.h"
#include "ui/app/GapsModel.h"
#include "ui/app/MainWindow.h"
#include "ui/timeline/TimelineWidget.h"

using namespace gaplens;

namespace {

using test::isolateSettings;

// The demo: a training step captured on an H100 (resources/demo/README.md): python3 with three
// threads, GPU 0 with four streams, a 3.44 s start-up gap before the first step.
const QString kDemo = QDir::cleanPath(QStringLiteral(GAPLENS_TEST_DATA "/../../resources/demo/demo.json.gz"));

bool load(MainWindow& window, const QStringList& paths) {
    QSignalSpy done(&window, &MainWindow::loadFinished);
    window.openFiles(paths);
    return done.wait(30000);
}

QAction* gpuLanesFirstAction(MainWindow& window) { return window.findChild<QAction*>(QStringLiteral("gpuLanesFirst")); }

// The timeline's lane names from `first`, `count` of them, as one line.
std::string lanes(MainWindow& window, int first, int count) {
    return window.timeline()->laneNames().mid(first, count).join(QStringLiteral(" | ")).toStdString();
}
const std::string kGpuLanes =
    "GPU 0 | GPU 0 stream 0 | GPU 0 stream 7 | GPU 0 stream 13 | GPU 0 stream 29 | GPU 0 busy % | GPU 0 gaps";
const std::string kCpuLanes = "python3 (3234) | python3 (main) | thread 3277 | python3";

}  // namespace

TEST_CASE("GPU lanes come first by default, the View toggle moves them and is remembered", "[app][window][lanes]") {
    isolateSettings();
    {
        MainWindow window;
        REQUIRE(load(window, {kDemo}));
        QAction* toggle = gpuLanesFirstAction(window);
        REQUIRE(toggle);
        CHECK(toggle->isChecked());
        CHECK(lanes(window, 0, 7) == kGpuLanes);
        CHECK(lanes(window, 7, 4) == kCpuLanes);
        toggle->trigger();  // off: the threads above the GPU, as before
        CHECK(lanes(window, 0, 4) == kCpuLanes);
        CHECK(lanes(window, 4, 7) == kGpuLanes);
    }
    {
        MainWindow window;  // the next start keeps the choice
        QAction* toggle = gpuLanesFirstAction(window);
        REQUIRE(toggle);
        CHECK_FALSE(toggle->isChecked());
        REQUIRE(load(window, {kDemo}));
        CHECK(lanes(window, 0, 4) == kCpuLanes);
        toggle->trigger();
        CHECK(lanes(window, 0, 7) == kGpuLanes);
    }
    MainWindow window;
    CHECK(gpuLanesFirstAction(window)->isChecked());
    REQUIRE(load(window, {kDemo}));
    CHECK(lanes(window, 0, 7) == kGpuLanes);
}

TEST_CASE("a trace opens on its steady window, 0 shows the whole trace", "[app][window][view]") {
    isolateSettings();
    MainWindow window;
    window.resize(1500, 900);
    REQUIRE(load(window, {kDemo}));
    const Report& report = *window.loaded()->report;
    const Trace& trace = *window.loaded()->trace;
    TimelineWidget* timeline = window.timeline();

    // The steady window (the steps after the cold first one) with 2% of it on each side.
    const BoundResult& bound = report.bound;
    REQUIRE(bound.endNs > bound.startNs);
    const double margin = 0.02 * double(bound.endNs - bound.startNs);
    CHECK(std::abs(timeline->visibleStartNs() - std::llround(double(bound.startNs) - margin)) <= 1);
    CHECK(std::abs(timeline->visibleEndNs() - std::llround(double(bound.endNs) + margin)) <= 1);
    // The start-up gap, the longest of the trace, is out of view; the steady steps fill it.
    const Gap* startup = window.gapsModel()->gapAt(0);
    REQUIRE(startup);
    CHECK(startup->dur > 3'000'000'000);
    CHECK(startup->end() <= timeline->visibleStartNs());
    CHECK(window.viewHintText() == QStringLiteral("Steady window · 0: whole trace · ?: keys"));
    CHECK(TimelineWidget::keyHelpText().contains(QStringLiteral("0 / Ctrl+0       the whole trace")));

    // 0: the whole trace, with 2% on each side; the start-up gap in view.
    QTest::keyClick(timeline, Qt::Key_0);
    const double all = double(trace.endNs() - trace.beginNs());
    CHECK(std::abs(timeline->visibleStartNs() - std::llround(double(trace.beginNs()) - 0.02 * all)) <= 1);
    CHECK(std::abs(timeline->visibleEndNs() - std::llround(double(trace.endNs()) + 0.02 * all)) <= 1);
    CHECK(timeline->visibleStartNs() <= startup->start);
}

TEST_CASE("Help > Analysis Definitions opens analyses.md, or says where it looked", "[app][window][help]") {
    isolateSettings();
    MainWindow window;
    QAction* action = window.findChild<QAction*>(QStringLiteral("analysesDoc"));
    REQUIRE(action);
    bool inHelpMenu = false;
    for (QAction* menu : window.menuBar()->actions())
        if (menu->menu() && menu->text() == QStringLiteral("&Help")) inHelpMenu = menu->menu()->actions().contains(action);
    CHECK(inHelpMenu);

    // Where packaging installs it, next to the app, then the source tree the app was built from.
    const QStringList places = analysesDocCandidates();
    REQUIRE(places.size() == 2);
    CHECK(places[0] == QDir::cleanPath(QCoreApplication::applicationDirPath() + QStringLiteral("/../share/doc/gaplens/analyses.md")));
    CHECK(places[1] == QDir::cleanPath(QStringLiteral(GAPLENS_TEST_DATA "/../../docs/analyses.md")));

    QTemporaryDir dir;
    const QString missing = dir.filePath(QStringLiteral("share/doc/gaplens/analyses.md"));
    const QString doc = dir.filePath(QStringLiteral("analyses.md"));
    QFile file(doc);
    REQUIRE(file.open(QIODevice::WriteOnly));
    file.write("# Analyses\n");
    file.close();
    CHECK(window.openAnalysesDoc(/*launch=*/false, {missing, doc}) == doc);
    CHECK(window.statusText().contains(doc));
    CHECK(window.findChild<QMessageBox*>(QStringLiteral("analysesDocMissing")) == nullptr);

    // Nowhere: a message box naming the places, and the window goes on.
    CHECK(window.openAnalysesDoc(/*launch=*/false, {missing}).isEmpty());
    auto* box = window.findChild<QMessageBox*>(QStringLiteral("analysesDocMissing"));
    REQUIRE(box);
    CHECK(box->text().contains(missing));
    box->close();
}
