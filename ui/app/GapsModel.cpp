#include "ui/app/GapsModel.h"

#include "ui/app/Formatting.h"
#include "ui/app/ItemRoles.h"
#include "ui/timeline/TimelineColors.h"

namespace gaplens {

GapsModel::GapsModel(QObject* parent) : QAbstractTableModel(parent) {}

void GapsModel::setReport(std::shared_ptr<const Report> report) {
    beginResetModel();
    report_ = std::move(report);
    gaps_ = report_ ? listedGaps(*report_) : std::vector<const Gap*>{};
    endResetModel();
}

const Gap* GapsModel::gapAt(int row) const {
    return row >= 0 && row < int(gaps_.size()) ? gaps_[size_t(row)] : nullptr;
}

int GapsModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(gaps_.size()); }

int GapsModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant GapsModel::data(const QModelIndex& index, int role) const {
    const Gap* gap = index.isValid() ? gapAt(index.row()) : nullptr;
    if (!gap) return {};
    if (role == StartNsRole) return qint64(gap->start);
    if (role == EndNsRole) return qint64(gap->end());
    if (role == Qt::DecorationRole && index.column() == Cause) return gapCauseColor(gap->cause);
    if (role == Qt::ToolTipRole && index.column() == Detail)
        return utf8Text(report_->gaps.detailOf(*gap));
    if (role == Qt::TextAlignmentRole)
        return index.column() == Cause || index.column() == Detail ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                                                   : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != SortRole) return {};
    const bool sort = role == SortRole;
    switch (index.column()) {
    case Device: return gap->device;
    case Start: return sort ? QVariant(qint64(gap->start)) : QVariant(durationText(gap->start));
    case Duration: return sort ? QVariant(qint64(gap->dur)) : QVariant(durationText(gap->dur));
    case Cause: {
        const std::string_view name = gapCauseName(gap->cause);
        return QString::fromUtf8(name.data(), int(name.size()));
    }
    case Detail: return utf8Text(report_->gaps.detailOf(*gap));
    default: return {};
    }
}

QVariant GapsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Device: return tr("GPU");
    case Start: return tr("Start");
    case Duration: return tr("Duration");
    case Cause: return tr("Cause");
    case Detail: return tr("What the host did");
    default: return {};
    }
}

}  // namespace gaplens
