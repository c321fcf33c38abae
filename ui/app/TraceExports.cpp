#include "ui/app/TraceExports.h"

#include <QAbstractItemModel>
#include <QFileInfo>

#include "core/io/OutputFile.h"
#include "core/io/PerfettoJsonExporter.h"
#include "core/share/FindingsAnnotations.h"
#include "core/share/ShareReport.h"

namespace gaplens {

namespace {
QString csvField(QString text) {
    if (text.contains(QLatin1Char(',')) || text.contains(QLatin1Char('"')) || text.contains(QLatin1Char('\n')))
        return QLatin1Char('"') + text.replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
    return text;
}
QString fromStd(const std::string& s) { return QString::fromStdString(s); }
}  // namespace

QString exportPerfetto(const LoadedTrace& loaded, const QString& path) {
    if (!loaded.trace || !loaded.report) return QStringLiteral("no trace is open");
    ExportOptions options;
    options.annotations = findingsAnnotations(*loaded.report);
    return fromStd(exportPerfettoJson(*loaded.trace, path.toStdString(), options));
}

QString exportMarkdownReport(const LoadedTrace& loaded, const QString& path) {
    if (!loaded.report) return QStringLiteral("no trace is open");
    return fromStd(writeFileAtomically(path.toStdString(), reportToMarkdown(*loaded.report)));
}

QString modelToCsv(const QAbstractItemModel& model) {
    QString out;
    QStringList row;
    for (int c = 0; c < model.columnCount(); ++c) row << csvField(model.headerData(c, Qt::Horizontal).toString());
    out += row.join(QLatin1Char(',')) + QLatin1Char('\n');
    for (int r = 0; r < model.rowCount(); ++r) {
        row.clear();
        for (int c = 0; c < model.columnCount(); ++c) row << csvField(model.index(r, c).data().toString());
        out += row.join(QLatin1Char(',')) + QLatin1Char('\n');
    }
    return out;
}

QString exportModelCsv(const QAbstractItemModel& model, const QString& path) {
    return fromStd(writeFileAtomically(path.toStdString(), modelToCsv(model).toStdString()));
}

QString exportSharePage(const LoadedTrace& loaded, const QString& path) {
    if (!loaded.trace || !loaded.report) return QStringLiteral("no trace is open");
    QStringList names;
    for (const QString& p : loaded.paths) names << QFileInfo(p).fileName();
    return fromStd(writeSharePage(*loaded.trace, *loaded.report, names.join(QStringLiteral(" + ")).toStdString(),
                                  path.toStdString()));
}

}  // namespace gaplens
