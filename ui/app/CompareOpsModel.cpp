#include "ui/app/CompareOpsModel.h"

#include <cmath>

#include <QColor>

#include "ui/app/Formatting.h"
#include "ui/app/ItemRoles.h"

namespace gaplens {

namespace {

QString calls(double v) {
    if (std::abs(v - std::round(v)) < 0.005) return QString::number(qint64(std::llround(v)));
    return QString::number(v, 'f', 2);
}

QString time(double ns) { return durationText(TimeNs(std::llround(ns))); }

QColor changeColor(RowChange c) {
    switch (c) {
    case RowChange::Slower:
    case RowChange::New: return QColor(0xc6, 0x28, 0x28);
    case RowChange::Faster:
    case RowChange::Gone: return QColor(0x2e, 0x7d, 0x32);
    case RowChange::Same: break;
    }
    return QColor(0x75, 0x75, 0x75);
}

}  // namespace

CompareOpsModel::CompareOpsModel(QObject* parent) : QAbstractTableModel(parent) {}

void CompareOpsModel::setComparison(std::shared_ptr<const RunComparison> comparison) {
    beginResetModel();
    comparison_ = std::move(comparison);
    endResetModel();
}

const OpDelta* CompareOpsModel::rowAt(int row) const {
    if (!comparison_ || row < 0 || row >= int(comparison_->ops.size())) return nullptr;
    return &comparison_->ops[size_t(row)];
}

int CompareOpsModel::biggestRegressionRow() const {
    if (!comparison_) return -1;
    int best = -1;
    for (size_t i = 0; i < comparison_->ops.size(); ++i) {
        const OpDelta& o = comparison_->ops[i];
        if (o.change != RowChange::Slower && o.change != RowChange::New) continue;
        if (best < 0 || o.timeDeltaNs() > comparison_->ops[size_t(best)].timeDeltaNs()) best = int(i);
    }
    return best;
}

int CompareOpsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !comparison_ ? 0 : int(comparison_->ops.size());
}

int CompareOpsModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant CompareOpsModel::data(const QModelIndex& index, int role) const {
    const OpDelta* o = index.isValid() ? rowAt(index.row()) : nullptr;
    if (!o) return {};
    if (role == Qt::ForegroundRole && index.column() == Change) return changeColor(o->change);
    if (role == Qt::TextAlignmentRole)
        return index.column() == Name || index.column() == Side || index.column() == Change
                   ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                   : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && index.column() == Name) return QString::fromStdString(o->name);
    if (role != Qt::DisplayRole && role != SortRole) return {};
    const bool sort = role == SortRole;
    auto number = [&](double v, const QString& shown) { return sort ? QVariant(v) : QVariant(shown); };
    switch (index.column()) {
    case Name: return QString::fromStdString(o->name);
    case Side: return o->onGpu ? tr("GPU") : tr("host");
    case CallsBefore: return number(o->aCalls, calls(o->aCalls));
    case CallsAfter: return number(o->bCalls, calls(o->bCalls));
    case SelfCpuBefore: return number(o->aSelfCpuNs, time(o->aSelfCpuNs));
    case SelfCpuAfter: return number(o->bSelfCpuNs, time(o->bSelfCpuNs));
    case SelfGpuBefore: return number(o->aSelfGpuNs, time(o->aSelfGpuNs));
    case SelfGpuAfter: return number(o->bSelfGpuNs, time(o->bSelfGpuNs));
    case DeltaTime: {
        const double d = o->timeDeltaNs();
        return number(d, (d > 0 ? QStringLiteral("+") : QString()) + time(d));
    }
    case Change: {
        const std::string_view c = rowChangeName(o->change);
        return QString::fromUtf8(c.data(), int(c.size()));
    }
    default: return {};
    }
}

QVariant CompareOpsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal) return {};
    if (role == Qt::ToolTipRole && section == DeltaTime)
        return tr("Change in self CPU + self GPU time per iteration, after - before");
    if (role != Qt::DisplayRole) return {};
    switch (section) {
    case Name: return tr("Op / kernel");
    case Side: return tr("Side");
    case CallsBefore: return tr("Calls before");
    case CallsAfter: return tr("Calls after");
    case SelfCpuBefore: return tr("Self CPU before");
    case SelfCpuAfter: return tr("Self CPU after");
    case SelfGpuBefore: return tr("Self GPU before");
    case SelfGpuAfter: return tr("Self GPU after");
    case DeltaTime: return tr("Δ time / iter");
    case Change: return tr("Change");
    default: return {};
    }
}

}  // namespace gaplens
