// gaplens-ui: the desktop app. `gaplens-ui run.json [more.json]` opens the files on one timeline
// (several files = several processes/ranks, and a sweep when they are runs at several sizes).
#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QTimer>

#include "ui/app/MainWindow.h"

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
    parser.process(app);

    gaplens::MainWindow window;
    window.show();
    const QStringList files = parser.positionalArguments();
    if (parser.isSet(screenshot)) {
        const QString out = parser.value(screenshot);
        auto grabAndQuit = [&window, out] {
            QTimer::singleShot(300, &window, [&window, out] {
                window.grab().save(out);
                QApplication::quit();
            });
        };
        QObject::connect(&window, &gaplens::MainWindow::loadFinished, &window, grabAndQuit);
        QObject::connect(&window, &gaplens::MainWindow::loadFailed, &window, grabAndQuit);
        if (files.isEmpty()) grabAndQuit();
    }
    if (!files.isEmpty()) window.openFiles(files);
    return app.exec();
}
