#pragma once
// Where Help > Analysis Definitions finds docs/analyses.md, the definitions of every figure, cause,
// window and verdict the app shows: where packaging installs it, relative to the running app
// (<prefix>/bin/gaplens-ui -> <prefix>/share/doc/gaplens/analyses.md), then in the source tree the
// app was built from (a build folder run without installing).
#include <QString>
#include <QStringList>

namespace gaplens {

// The places looked at, in order.
QStringList analysesDocCandidates();
// The first candidate that is a file, or an empty string.
QString findAnalysesDoc(const QStringList& candidates = analysesDocCandidates());

}  // namespace gaplens
