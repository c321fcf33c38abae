#pragma once
// Helpers shared by the main-window tests.
#include <QCoreApplication>
#include <QSettings>
#include <QTemporaryDir>

namespace gaplens::test {

// The tests' own QSettings (never the user's), emptied: each test starts as a first run. Each test
// process has its own settings folder: ctest runs tests in parallel, and two processes sharing one
// file would clear and overwrite each other's settings mid-test.
inline void isolateSettings() {
    static QTemporaryDir settingsDir;  // removed when the test process exits
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsDir.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir.path());
    QCoreApplication::setOrganizationName(QStringLiteral("gaplens-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("gaplens-ui-tests"));
    QSettings().clear();
}

}  // namespace gaplens::test
