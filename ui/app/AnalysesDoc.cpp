#include "ui/app/AnalysesDoc.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace gaplens {

QStringList analysesDocCandidates() {
    // GAPLENS_DOC_DIR and GAPLENS_SOURCE_DIR come from ui/CMakeLists.txt (the same doc dir as packaging/).
    const QDir appDir(QCoreApplication::applicationDirPath());
    return {QDir::cleanPath(appDir.filePath(QStringLiteral("../" GAPLENS_DOC_DIR "/analyses.md"))),
            QDir::cleanPath(QStringLiteral(GAPLENS_SOURCE_DIR "/docs/analyses.md"))};
}

QString findAnalysesDoc(const QStringList& candidates) {
    for (const QString& path : candidates)
        if (QFileInfo(path).isFile()) return path;
    return {};
}

}  // namespace gaplens
