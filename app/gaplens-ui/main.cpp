// gaplens-ui: the desktop app. `gaplens-ui run.json [more.json]` opens the files on one timeline
// (several files = several processes/ranks, and a sweep when they are runs at several sizes).
// `gaplens-ui --compare before.json after.json` compares two runs (both timelines aligned iteration
// by iteration, and what changed per iteration).
#include <cstdio>

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QTimer>

#include "ui/app/CompareWindow.h"
#include "ui/app/MainWindow.h"

namespace {

// --screenshot: once the window has drawn what it loaded, save it as a PNG and quit.
auto grabber(QWidget& window, const QString& out) {
    return [&window, out] {
        QTimer::singleShot(300, &window, [&window, out] {
            window.grab().save(out);
            QApplication::quit();
        });
    };
}

}  // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("gaplens"));
    QApplication::setApplicationName(QStringLiteral("gaplens-ui"));
    QApplication::setApplicationVersion(QStringLiteral(GAPLENS_VERSION));  // CMake's project version
    QApplication::setDesktopFileName(QStringLiteral("gaplens"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/gaplens.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("gaplens: where does my GPU sit idle, and why?"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("traces"), QStringLiteral("Trace files (.json, .json.gz) to open on one timeline"),
                                 QStringLiteral("[run.json...]"));
    QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                  QStringLiteral("Open the traces, save the window as a PNG to <file> and quit (docs, CI)."),
                                  QStringLiteral("file"));
    parser.addOption(screenshot);
    QCommandLineOption compare(QStringLiteral("compare"),
                               QStringLiteral("Compare two runs: gaplens-ui --compare before.json after.json."));
    parser.addOption(compare);
    parser.process(app);

    const QStringList files = parser.positionalArguments();
    if (parser.isSet(compare)) {
        if (files.size() != 2) {
            std::fprintf(stderr, "gaplens-ui: --compare takes two traces, before and after\n");
            return 1;
        }
        gaplens::CompareWindow window;
        window.show();
        if (parser.isSet(screenshot)) {
            auto grabAndQuit = grabber(window, parser.value(screenshot));
            QObject::connect(&window, &gaplens::CompareWindow::ready, &window, grabAndQuit);
            QObject::connect(&window, &gaplens::CompareWindow::failed, &window, grabAndQuit);
        }
        window.compareFiles(files[0], files[1]);
        return app.exec();
    }

    gaplens::MainWindow window;
    window.show();
    if (parser.isSet(screenshot)) {
        auto grabAndQuit = grabber(window, parser.value(screenshot));
        QObject::connect(&window, &gaplens::MainWindow::loadFinished, &window, grabAndQuit);
        QObject::connect(&window, &gaplens::MainWindow::loadFailed, &window, grabAndQuit);
        if (files.isEmpty()) grabAndQuit();
    }
    if (!files.isEmpty()) window.openFiles(files);
    return app.exec();
}
