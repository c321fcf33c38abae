#pragma once
// File > Export and Share: each writes one file (atomically, via core's OutputFile) and returns an
// empty string or a one-line error for the status bar.
#include <QString>

#include "ui/app/LoadedTrace.h"

class QAbstractItemModel;

namespace gaplens {

// Perfetto JSON (.json or .json.gz) with the findings as annotation tracks (gaps by cause, dead windows).
QString exportPerfetto(const LoadedTrace& loaded, const QString& path);
QString exportMarkdownReport(const LoadedTrace& loaded, const QString& path);
// Every row and column of a table as CSV, as the dock shows it (header row first).
QString exportModelCsv(const QAbstractItemModel& model, const QString& path);
QString modelToCsv(const QAbstractItemModel& model);
// The self-contained HTML page (core/share).
QString exportSharePage(const LoadedTrace& loaded, const QString& path);

}  // namespace gaplens
