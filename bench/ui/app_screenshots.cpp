// Screenshots of gaplens-ui parts that a trace alone does not show: the window as the runs open (on
// their steady window), the same after key 0 (the whole trace), the Sweep tab over several runs (one
// file per size) and the Run dialog; with --ranks, the ranks of one job with the Ranks dock and the
// collective of the largest skew selected. Under Xvfb (QT_QPA_PLATFORM=xcb) or offscreen.
//   app_screenshots <output prefix, e.g. docs/screenshots/app> [--align | --ranks [--scroll PX]] <run.json> [more runs...]
// writes <prefix>-opened.png, <prefix>-whole.png, <prefix>-sweep.png and <prefix>-run-dialog.png
// (with --ranks: <prefix>-ranks.png).
//   app_screenshots <output prefix> --compare <before.json> <after.json> [op or kernel to select]
// writes <prefix>-compare.png, -compare-selected.png and -compare-regression.png.
#include <cstdio>
#include <cstdlib>

#include <QApplication>
#include <QSettings>
#include <QDockWidget>
#include <QTest>

#include <QTableView>
#include <QWheelEvent>

#include "ui/app/CompareOpsModel.h"
#include "ui/app/CompareView.h"
#include "ui/app/CompareWindow.h"
#include "ui/app/MainWindow.h"
#include "ui/app/RanksDock.h"
#include "ui/timeline/TimelineWidget.h"
#include "ui/app/RunDialog.h"
#include "ui/app/RunSpec.h"

using namespace gaplens;

namespace {

// The compare window of two runs: as it opens (first steady iteration of each aligned), then with
// an op or kernel selected (outlined in both), then after R (the biggest regression).
int compareScreenshots(const QString& prefix, int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: app_screenshots <output prefix> --compare <before.json> <after.json> [op]\n");
        return 1;
    }
    CompareWindow window;
    window.resize(1500, 1000);
    window.show();
    bool done = false, failed = false;
    QObject::connect(&window, &CompareWindow::ready, [&] { done = true; });
    QObject::connect(&window, &CompareWindow::failed, [&](const QString& error) {
        std::fprintf(stderr, "app_screenshots: %s\n", qPrintable(error));
        done = failed = true;
    });
    window.compareFiles(QString::fromLocal8Bit(argv[0]), QString::fromLocal8Bit(argv[1]));
    if (!QTest::qWaitFor([&] { return done; }, 120000) || failed) return 2;
    // Three iterations of the before run in view: the alignment shows past the first one.
    window.view()->showIteration(1);
    QTest::qWait(400);
    window.grab().save(prefix + QStringLiteral("-compare.png"));
    if (argc > 2) {
        const std::string name = argv[2];
        for (int r = 0; r < window.opsModel()->rowCount(); ++r)
            if (window.opsModel()->rowAt(r)->name == name) window.selectOp(r);
        QTest::qWait(400);
        window.grab().save(prefix + QStringLiteral("-compare-selected.png"));
    }
    window.jumpToBiggestRegression();
    QTest::qWait(400);
    window.grab().save(prefix + QStringLiteral("-compare-regression.png"));
    std::printf("wrote %s-compare*.png\n", qPrintable(prefix));
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("gaplens-screenshots"));  // no user settings
    if (argc < 3) {
        std::fprintf(stderr, "usage: app_screenshots <output prefix> [--align | --ranks [--scroll PX]] <run.json> [more runs...]\n");
        return 1;
    }
    const QString prefix = QString::fromLocal8Bit(argv[1]);
    if (QByteArray(argv[2]) == "--compare") return compareScreenshots(prefix, argc - 3, argv + 3);
    QStringList runs;
    bool align = false;  // File > Align Several Files at Their Start
    bool ranks = false;  // the files are the ranks of one job
    int scrollPx = 0;    // --ranks: pixels the timeline is scrolled down
    for (int i = 2; i < argc; ++i) {
        if (QByteArray(argv[i]) == "--align") align = true;
        else if (QByteArray(argv[i]) == "--ranks") ranks = true;
        else if (QByteArray(argv[i]) == "--scroll" && i + 1 < argc) scrollPx = std::atoi(argv[++i]);
        else runs << QString::fromLocal8Bit(argv[i]);
    }
    QSettings().setValue(QStringLiteral("load/alignFilesAtStart"), align);

    MainWindow window;
    window.resize(1500, 900);
    window.show();
    bool done = false, failed = false;
    QObject::connect(&window, &MainWindow::loadFinished, [&] { done = true; });
    QObject::connect(&window, &MainWindow::loadFailed, [&](const QString& error) {
        std::fprintf(stderr, "app_screenshots: %s\n", qPrintable(error));
        done = failed = true;
    });
    window.openFiles(runs);
    if (!QTest::qWaitFor([&] { return done; }, 60000) || failed) return 2;

    if (ranks) {
        // The timeline over the whole width, the Ranks dock under it in front, and the collective
        // with the largest skew clicked there (the list is sorted by skew); the timeline scrolled
        // so that both ranks' NCCL streams show.
        window.resize(1600, 1000);
        for (const char* name : {"opsDock", "summaryDock"})
            if (auto* d = window.findChild<QDockWidget*>(QString::fromLatin1(name))) d->hide();
        if (auto* dock = window.findChild<QDockWidget*>(QStringLiteral("ranksDock"))) {
            dock->show();
            dock->raise();
            window.resizeDocks({dock}, {330}, Qt::Vertical);
        }
        QTest::qWait(200);
        QTableView* view = window.ranksDock()->collectivesView();
        const QModelIndex top = view->model()->index(0, 0);
        QTest::mouseClick(view->viewport(), Qt::LeftButton, Qt::NoModifier, view->visualRect(top).center());
        const QPointF at(400, 300);
        QWheelEvent scroll(at, window.timeline()->mapToGlobal(at), QPoint(0, -scrollPx), QPoint(0, -120), Qt::NoButton,
                           Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(window.timeline(), &scroll);
        QTest::qWait(400);
        window.grab().save(prefix + QStringLiteral("-ranks.png"));
        std::printf("wrote %s-ranks.png\n", qPrintable(prefix));
        return 0;
    }

    QTest::qWait(400);
    window.grab().save(prefix + QStringLiteral("-opened.png"));
    window.timeline()->setFocus();
    QTest::keyClick(window.timeline(), Qt::Key_0);  // the whole trace
    QTest::qWait(400);
    window.grab().save(prefix + QStringLiteral("-whole.png"));

    // The Sweep tab in front, over the bottom docks.
    if (auto* sweep = window.findChild<QDockWidget*>(QStringLiteral("sweepDock"))) {
        sweep->show();
        sweep->raise();
    }
    QTest::qWait(400);
    window.grab().save(prefix + QStringLiteral("-sweep.png"));

    RunDialog* dialog = window.runDialog();
    RunSpec spec;
    spec.outputPath = QStringLiteral("runs/");
    dialog->setSpec(spec);
    dialog->show();
    QTest::qWait(400);
    dialog->grab().save(prefix + QStringLiteral("-run-dialog.png"));
    std::printf("wrote %s-{opened,whole,sweep,run-dialog}.png\n", qPrintable(prefix));
    return 0;
}
