#pragma once
// Helpers shared by the main-window tests.
#include <QCoreApplication>
#include <QSettings>

namespace gaplens::test {

// The tests' own QSettings (never the user's), emptied: each test starts as a first run.
inline void isolateSettings() {
    QCoreApplication::setOrganizationName(QStringLiteral("gaplens-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("gaplens-ui-tests"));
    QSettings().clear();
}

}  // namespace gaplens::test
