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
    // A tree (the ops table grouped by range) gets a first column naming each row's group: the
    // group rows themselves (their totals) have it empty, their children carry the group's name.
    bool tree = false;
    for (int r = 0; r < model.rowCount() && !tree; ++r) tree = model.rowCount(model.index(r, 0)) > 0;
    QString out;
    QStringList row;
    if (tree) row << csvField(QStringLiteral("Group"));
    for (int c = 0; c < model.columnCount(); ++c) row << csvField(model.headerData(c, Qt::Horizontal).toString());
    out += row.join(QLatin1Char(',')) + QLatin1Char('\n');
    auto writeRow = [&](int r, const QModelIndex& parent) {
        row.clear();
        if (tree) row << csvField(parent.isValid() ? parent.data().toString() : QString());
        for (int c = 0; c < model.columnCount(parent); ++c) row << csvField(model.index(r, c, parent).data().toString());
        out += row.join(QLatin1Char(',')) + QLatin1Char('\n');
    };
    for (int r = 0; r < model.rowCount(); ++r) {
        writeRow(r, {});
        const QModelIndex group = model.index(r, 0);
        for (int child = 0; child < model.rowCount(group); ++child) writeRow(child, group);
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
