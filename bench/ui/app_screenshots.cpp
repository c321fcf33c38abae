// Screenshots of gaplens-ui parts that a trace alone does not show: the Sweep tab over several runs
// (one file per size) and the Run dialog; with --compare, the compare window of two runs. Under
// Xvfb (QT_QPA_PLATFORM=xcb) or offscreen.
//   app_screenshots <output prefix, e.g. docs/screenshots/app> <run.json> [more runs...]
//   app_screenshots <output prefix> --compare <before.json> <after.json> [op or kernel to select]
#include <cstdio>

#include <QApplication>
#include <QSettings>
#include <QDockWidget>
#include <QTest>

#include "ui/app/CompareOpsModel.h"
#include "ui/app/CompareView.h"
#include "ui/app/CompareWindow.h"
#include "ui/app/MainWindow.h"
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
        std::fprintf(stderr, "usage: app_screenshots <output prefix> [--align] <run.json> [more runs...]\n");
        return 1;
    }
    const QString prefix = QString::fromLocal8Bit(argv[1]);
    if (QByteArray(argv[2]) == "--compare") return compareScreenshots(prefix, argc - 3, argv + 3);
    QStringList runs;
    bool align = false;  // File > Align Several Files at Their Start
    for (int i = 2; i < argc; ++i) {
        if (QByteArray(argv[i]) == "--align") align = true;
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
    std::printf("wrote %s-sweep.png and %s-run-dialog.png\n", qPrintable(prefix), qPrintable(prefix));
    return 0;
}
