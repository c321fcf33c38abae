// Screenshots of gaplens-ui parts that a trace alone does not show: the window as the runs open (on
// their steady window), the same after key 0 (the whole trace), the Sweep tab over several runs (one
// file per size) and the Run dialog. Under Xvfb (QT_QPA_PLATFORM=xcb) or offscreen.
//   app_screenshots <output prefix, e.g. docs/screenshots/app> [--align] <run.json> [more runs...]
// writes <prefix>-opened.png, <prefix>-whole.png, <prefix>-sweep.png and <prefix>-run-dialog.png.
#include <cstdio>

#include <QApplication>
#include <QSettings>
#include <QDockWidget>
#include <QTest>

#include "ui/app/MainWindow.h"
#include "ui/app/RunDialog.h"
#include "ui/app/RunSpec.h"
#include "ui/timeline/TimelineWidget.h"

using namespace gaplens;

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("gaplens-screenshots"));  // no user settings
    if (argc < 3) {
        std::fprintf(stderr, "usage: app_screenshots <output prefix> [--align] <run.json> [more runs...]\n");
        return 1;
    }
    const QString prefix = QString::fromLocal8Bit(argv[1]);
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
