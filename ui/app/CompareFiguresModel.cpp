#include "ui/app/CompareFiguresModel.h"

#include <QColor>

#include "core/analysis/ComparisonSummary.h"
#include "ui/app/ItemRoles.h"

namespace gaplens {

namespace {

QString text(const std::string& s) { return QString::fromStdString(s); }

// A changed figure is better or worse depending on which way is an improvement.
QColor changeColor(const FigureDelta& f) {
    const int d = f.direction();
    if (d == 0) return QColor(0x75, 0x75, 0x75);
    return (d < 0) == lowerIsBetter(f.id) ? QColor(0x2e, 0x7d, 0x32) : QColor(0xc6, 0x28, 0x28);
}

}  // namespace

CompareFiguresModel::CompareFiguresModel(QObject* parent) : QAbstractTableModel(parent) {}

void CompareFiguresModel::setComparison(std::shared_ptr<const RunComparison> comparison) {
    beginResetModel();
    comparison_ = std::move(comparison);
    endResetModel();
}

int CompareFiguresModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !comparison_ ? 0 : int(kFigureCount);
}

int CompareFiguresModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant CompareFiguresModel::data(const QModelIndex& index, int role) const {
    if (!comparison_ || !index.isValid() || index.row() >= int(kFigureCount)) return {};
    const FigureDelta& f = comparison_->figures[size_t(index.row())];
    if (role == Qt::ForegroundRole && index.column() == Change) return changeColor(f);
    if (role == Qt::TextAlignmentRole)
        return index.column() == Figure || index.column() == Change ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                                                    : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole)
        return tr("Changes only when |after - before| exceeds the larger of the two runs' p10-p90 spread over "
                  "their iterations (%1).")
            .arg(text(formatFigureValue(f.id, f.noise)));
    if (role != Qt::DisplayRole && role != SortRole) return {};
    const bool sort = role == SortRole;
    switch (index.column()) {
    case Figure: return text(std::string(figureLabel(f.id)));
    case Before:
        if (!f.aKnown) return QStringLiteral("-");
        return sort ? QVariant(f.a) : QVariant(text(formatFigureValue(f.id, f.a)));
    case After:
        if (!f.bKnown) return QStringLiteral("-");
        return sort ? QVariant(f.b) : QVariant(text(formatFigureValue(f.id, f.b)));
    case Delta: {
        if (!f.aKnown || !f.bKnown) return QStringLiteral("-");
        if (sort) return f.delta();
        const QString d = text(formatFigureValue(f.id, f.delta()));
        return f.delta() > 0 ? QStringLiteral("+") + d : d;
    }
    case Noise: return sort ? QVariant(f.noise) : QVariant(text(formatFigureValue(f.id, f.noise)));
    case Change: {
        const int d = f.direction();
        if (d == 0) return tr("same");
        const bool better = (d < 0) == lowerIsBetter(f.id);
        return (d > 0 ? tr("up") : tr("down")) + (better ? tr(" (better)") : tr(" (worse)"));
    }
    default: return {};
    }
}

QVariant CompareFiguresModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Figure: return tr("Per iteration");
    case Before: return tr("Before");
    case After: return tr("After");
    case Delta: return tr("Delta");
    case Noise: return tr("Noise");
    case Change: return tr("Change");
    default: return {};
    }
}

}  // namespace gaplens
