#include "ui/app/CollectivesModel.h"

#include <algorithm>

#include "ui/app/Formatting.h"
#include "ui/app/ItemRoles.h"

namespace gaplens {

CollectivesModel::CollectivesModel(QObject* parent) : QAbstractTableModel(parent) {}

void CollectivesModel::setJob(std::shared_ptr<const JobCollectives> job, TimeNs originAbsNs) {
    beginResetModel();
    job_ = std::move(job);
    origin_ = originAbsNs;
    endResetModel();
}

int CollectivesModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !job_ ? 0 : int(job_->instances.size());
}

int CollectivesModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant CollectivesModel::data(const QModelIndex& index, int role) const {
    if (!job_ || !index.isValid() || index.row() >= rowCount()) return {};
    const CollectiveInstance& c = job_->instances[size_t(index.row())];
    if (role == InstanceRole) return index.row();
    if (role == StartNsRole) return qint64(c.firstArrivalNs - origin_);
    if (role == EndNsRole) {
        TimeNs end = c.lastArrivalNs;
        for (uint32_t a = c.arrivalsBegin; a < c.arrivalsBegin + c.arrivalCount; ++a) {
            const Arrival& arr = job_->arrivals[a];
            end = std::max(end, arr.arrivalNs + job_->ranks[arr.rank].kernels[arr.kernel].durNs);
        }
        return qint64(end - origin_);
    }
    if (role == Qt::ToolTipRole && index.column() == Kernel) return utf8Text(job_->names[c.name]);
    if (role == Qt::TextAlignmentRole)
        return index.column() == Kernel || index.column() == Collective ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                                                        : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != SortRole) return {};
    const bool sort = role == SortRole;
    const bool waited = c.arrivalCount > 1 && c.skewNs() > 0;
    switch (index.column()) {
    case Collective:
        return sort ? QVariant(qint64(c.firstArrivalNs))
                    : QVariant(utf8Text(job_->groups[c.group]) + QStringLiteral(" #%1").arg(c.seq));
    case Skew: return sort ? QVariant(qint64(c.skewNs())) : QVariant(durationText(c.skewNs()));
    case LastRank: return waited ? QVariant(job_->ranks[c.lastRank].rank) : QVariant(sort ? QVariant(-1) : QVariant(QStringLiteral("-")));
    case Wait: return sort ? QVariant(qint64(c.waitNs)) : QVariant(durationText(c.waitNs));
    case Ranks: return int(c.arrivalCount);
    case Start: return sort ? QVariant(qint64(c.firstArrivalNs)) : QVariant(durationText(c.firstArrivalNs - origin_));
    case Kernel: return utf8Text(job_->names[c.name]);
    default: return {};
    }
}

QVariant CollectivesModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal) return {};
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Skew: return tr("Last arrival minus first (arrival = the kernel's start on the GPU)");
        case Wait: return tr("The ranks' total wait in this collective");
        default: return {};
        }
    }
    if (role != Qt::DisplayRole) return {};
    switch (section) {
    case Collective: return tr("Collective");
    case Skew: return tr("Skew");
    case LastRank: return tr("Last rank");
    case Wait: return tr("Wait");
    case Ranks: return tr("Ranks");
    case Start: return tr("Start");
    case Kernel: return tr("Kernel");
    default: return {};
    }
}

}  // namespace gaplens
