// The compare window: two runs' timelines aligned iteration by iteration, moving together; the
// Compare dock's tables; a selected op outlined in both runs; R jumps to the biggest regression;
// File > Compare With..., and the offer to compare after a re-run.
#include <catch2/catch.hpp>

#include <QApplication>
#include <QCoreApplication>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include "../core/LoopTrace.h"
#include "ui/app/CompareFiguresModel.h"
#include "ui/app/CompareOpsModel.h"
#include "ui/app/CompareView.h"
#include "ui/app/CompareWindow.h"
#include "ui/app/MainWindow.h"
#include "ui/app/RunDialog.h"
#include "ui/timeline/TimelineWidget.h"
#include "AppTestSupport.h"

using namespace gaplens;

namespace {

constexpr TimeNs us = 1000;

std::shared_ptr<const LoadedTrace> loadedLoop(const test::LoopSpec& spec, const QString& path) {
    auto loaded = std::make_shared<LoadedTrace>();
    loaded->paths = {path};
    auto trace = std::make_shared<Trace>(test::loop(spec));
    ReportOptions options;
    options.path = path.toStdString();
    loaded->report = std::make_shared<Report>(buildReport(*trace, options));
    loaded->trace = std::move(trace);
    return loaded;
}

// Before: 10 steps of 20 us, 1 warm-up (steady steps start at 1120 us + 20 us k). After: 6 steps
// of 10 us as a graph, 2 warm-ups (steady steps start at 2120 us + 10 us k).
struct Compared {
    CompareWindow window;
    Compared() {
        window.resize(1500, 950);
        QSignalSpy ready(&window, &CompareWindow::ready);
        window.compareLoaded(loadedLoop({.iterations = 10, .warmup = 1, .period = 20 * us}, QStringLiteral("before.json")),
                             loadedLoop({.iterations = 6, .warmup = 2, .period = 10 * us, .graph = true},
                                        QStringLiteral("after.json")));
        REQUIRE(ready.wait(20000));
    }
    TimelineWidget* before() const { return window.view()->before(); }
    TimelineWidget* after() const { return window.view()->after(); }
    TimeNs offset() const { return after()->visibleStartNs() - before()->visibleStartNs(); }
    TimeNs span(TimelineWidget* t) const { return t->visibleEndNs() - t->visibleStartNs(); }
    int opRow(const std::string& name, bool onGpu) const {
        for (int r = 0; r < window.opsModel()->rowCount(); ++r)
            if (window.opsModel()->rowAt(r)->name == name && window.opsModel()->rowAt(r)->onGpu == onGpu) return r;
        return -1;
    }
};

}  // namespace

TEST_CASE("compare view shows each after iteration under the same before iteration", "[app][compare]") {
    Compared c;
    const IterationAlignment& a = c.window.view()->alignment();
    REQUIRE(a.iterationsA() == 9);
    REQUIRE(a.iterationsB() == 4);
    CHECK(a.startA(0) == 1120 * us);
    CHECK(a.startB(0) == 2120 * us);
    // The first steady iteration of the before run with a sixth of it on each side...
    CHECK(c.before()->visibleStartNs() == 1120 * us - 3333);
    CHECK(c.before()->visibleEndNs() == 1140 * us + 3333);
    CHECK(c.window.view()->centreIteration() == 0);
    // ... and the after run's first steady iteration at the same x, on the same scale.
    CHECK(c.offset() == 1000 * us);
    CHECK(c.span(c.after()) == c.span(c.before()));
    CHECK(c.window.view()->headerText(false).contains(QStringLiteral("iteration 1 of 9 at 1.12 ms")));
    CHECK(c.window.view()->headerText(true).contains(QStringLiteral("iteration 1 of 4 at 2.12 ms")));

    // Pairs further on: the view centred in before's 2nd iteration shows after's 2nd under it.
    c.before()->setVisibleRange(1136 * us, 1150 * us);
    CHECK(c.window.view()->centreIteration() == 1);
    CHECK(c.offset() == 2130 * us - 1140 * us);
    // Past the after run's last iteration, its last stays under the before run's.
    c.before()->setVisibleRange(1265 * us, 1275 * us);  // before's 8th (from 1260 us)
    CHECK(c.offset() == 2150 * us - 1260 * us);
    CHECK(c.window.view()->headerText(true).contains(QStringLiteral("iteration 4 of 4 at 2.15 ms")));
}

TEST_CASE("compare view: W/A/S/D on either run move both, on one time scale", "[app][compare]") {
    Compared c;
    const TimeNs offset = c.offset();
    const TimeNs start = c.before()->visibleStartNs();
    QTest::keyClick(c.before(), Qt::Key_D);  // pan a tenth of the span later
    CHECK(c.before()->visibleStartNs() > start);
    CHECK(std::abs(c.offset() - offset) <= 1);
    CHECK(std::abs(c.span(c.after()) - c.span(c.before())) <= 1);

    QTest::keyClick(c.after(), Qt::Key_W);  // zoom in on the after run: the before run follows
    CHECK(c.span(c.before()) < 26'667);
    CHECK(std::abs(c.span(c.after()) - c.span(c.before())) <= 1);
    CHECK(std::abs(c.offset() - offset) <= 1);

    QTest::keyClick(c.after(), Qt::Key_A);
    QTest::keyClick(c.after(), Qt::Key_S);
    CHECK(std::abs(c.span(c.after()) - c.span(c.before())) <= 1);
    CHECK(std::abs(c.offset() - offset) <= 1);

    // ] shows the next iteration of both.
    c.window.view()->showIteration(c.window.view()->centreIteration() + 1);
    CHECK(c.window.view()->centreIteration() == 1);
    CHECK(c.offset() == 2130 * us - 1140 * us);
}

TEST_CASE("compare dock: the figures, and a selected op outlined in both timelines", "[app][compare]") {
    Compared c;
    const CompareFiguresModel* figures = c.window.figuresModel();
    REQUIRE(figures->rowCount() == int(kFigureCount));
    const int iter = int(FigureId::IterTime);
    CHECK(figures->index(iter, CompareFiguresModel::Before).data().toString() == QStringLiteral("20.0 µs"));
    CHECK(figures->index(iter, CompareFiguresModel::After).data().toString() == QStringLiteral("10.0 µs"));
    CHECK(figures->index(iter, CompareFiguresModel::Change).data().toString() == QStringLiteral("down (better)"));
    CHECK(figures->index(int(FigureId::Launches), CompareFiguresModel::Delta).data().toString() == QStringLiteral("-1"));
    CHECK(c.window.summaryText().startsWith(QStringLiteral("Iteration time 20.0 µs → 10.0 µs (×0.50)")));

    const int gemm = c.opRow("gemm", true);
    REQUIRE(gemm >= 0);
    const QImage plain = c.before()->renderToImage(QSize(1200, 400));
    c.window.selectOp(gemm);
    REQUIRE(c.window.selectedOp());
    CHECK(c.window.selectedOp()->name == "gemm");
    CHECK(c.before()->highlightedCount() == 10);  // every gemm kernel of each run, warm-up included
    CHECK(c.after()->highlightedCount() == 6);
    // The after run's gemm of the iteration in view is selected.
    const EventRef sel = c.after()->selectedSlice();
    REQUIRE(sel.valid());
    CHECK(c.after()->trace()->name(sel) == "gemm");
    CHECK(c.after()->trace()->start(sel) == 2120 * us + 4 * us);
    CHECK(c.window.statusText().contains(QStringLiteral("6 after")));

    // Drawn: the before run's first steady gemm (1129..1133 us) is outlined in orange.
    const QImage lit = c.before()->renderToImage(QSize(1200, 400));
    const double vs = double(c.before()->visibleStartNs()), ve = double(c.before()->visibleEndNs());
    const int x0 = 200 + int((1129.0 * us - vs) / (ve - vs) * 1000.0);
    const int streamY = 28 + 22 + 3 * 18 + 4 + 22 + 2 + 9;  // ruler, python, thread (3 rows), GPU 0, stream row
    auto orangeNear = [&](const QImage& img) {
        for (int dx = -2; dx <= 2; ++dx)
            if (QColor(img.pixel(x0 + dx, streamY)) == QColor(0xff, 0x6d, 0x00)) return true;
        return false;
    };
    CHECK(orangeNear(lit));
    CHECK_FALSE(orangeNear(plain));

    // Clearing the selection clears the outline.
    c.window.view()->highlight(nullptr);
    CHECK(c.before()->highlightedCount() == 0);
}

TEST_CASE("R in either timeline jumps to the biggest regression", "[app][compare]") {
    Compared c;
    QTest::keyClick(c.before(), Qt::Key_R);
    REQUIRE(c.window.selectedOp());
    // The step range got 4 us slower per iteration (its self GPU took the graph's kernels); the
    // new cudaGraphLaunch costs 2 us.
    CHECK(c.window.selectedOp()->name == "step");
    CHECK(c.window.selectedOp()->change == RowChange::Slower);
    CHECK(c.after()->highlightedCount() == 6);
    CHECK(c.window.opsView()->currentIndex().row() >= 0);
}

TEST_CASE("a comparison of two runs with nothing slower says so on R", "[app][compare]") {
    CompareWindow window;
    QSignalSpy ready(&window, &CompareWindow::ready);
    const auto run = loadedLoop({}, QStringLiteral("same.json"));
    window.compareLoaded(run, run);
    REQUIRE(ready.wait(20000));
    CHECK(window.summaryText().startsWith(QStringLiteral("No change beyond noise")));
    CHECK_FALSE(window.jumpToBiggestRegression());
    CHECK(window.statusText().startsWith(QStringLiteral("No regression")));
}

TEST_CASE("main window compares two files, and offers to compare a re-run with the previous run", "[app][compare]") {
    test::isolateSettings();
    const QString before = QStringLiteral(GAPLENS_TEST_DATA "/capture_matmul_add_64.json");
    const QString after = QStringLiteral(GAPLENS_TEST_DATA "/capture_matmul_add_graph_64.json");
    MainWindow window;
    {
        CompareWindow* cmp = window.compareFiles(before, after);
        QSignalSpy ready(cmp, &CompareWindow::ready);
        REQUIRE(ready.wait(30000));
        CHECK(cmp->opsModel()->rowCount() > 0);
        CHECK(cmp->summaryText().contains(QStringLiteral("1 fewer launch per iteration (2 → 1)")));
        delete cmp;
    }

    // A run from the Run dialog while a trace is open: the new one loads, then the offer comes.
    QSignalSpy loaded(&window, &MainWindow::loadFinished);
    window.openFiles({before});
    REQUIRE(loaded.wait(20000));
    QTemporaryDir dir;
    const QString fake = dir.filePath(QStringLiteral("fake-gaplens"));
    {
        QFile f(fake);
        REQUIRE(f.open(QIODevice::WriteOnly));
        f.write(("#!/bin/sh\nout=\nwhile [ $# -gt 0 ]; do [ \"$1\" = -o ] && out=\"$2\"; shift; done\ncp '" + after.toUtf8() +
                 "' \"$out\"\n"));
        f.close();
        f.setPermissions(f.permissions() | QFileDevice::ExeOwner);
    }
    RunDialog* dialog = window.runDialog();
    dialog->setCaptureProgram(fake);
    RunSpec spec;
    spec.outputPath = dir.filePath(QStringLiteral("rerun.json"));
    dialog->setSpec(spec);
    REQUIRE(dialog->startRun());
    REQUIRE(loaded.wait(30000));
    QMessageBox* offer = nullptr;
    REQUIRE(QTest::qWaitFor([&] { return (offer = window.findChild<QMessageBox*>(QStringLiteral("compareOffer"))); }, 5000));
    CHECK(offer->text().contains(QStringLiteral("rerun.json")));
    CHECK(offer->text().contains(QStringLiteral("capture_matmul_add_64.json")));
    offer->button(QMessageBox::Yes)->click();
    CompareWindow* cmp = nullptr;
    REQUIRE(QTest::qWaitFor([&] { return (cmp = window.findChild<CompareWindow*>()); }, 5000));
    REQUIRE(QTest::qWaitFor([&] { return cmp->comparison() != nullptr; }, 30000));
    CHECK(cmp->comparison()->a.path == before.toStdString());
    CHECK(cmp->comparison()->b.path == spec.outputPath.toStdString());
    dialog->hide();
}
