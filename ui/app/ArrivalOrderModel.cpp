#include "ui/app/ArrivalOrderModel.h"

#include "ui/app/Formatting.h"
#include "ui/app/ItemRoles.h"

namespace gaplens {

ArrivalOrderModel::ArrivalOrderModel(QObject* parent) : QAbstractTableModel(parent) {}

void ArrivalOrderModel::setJob(std::shared_ptr<const JobCollectives> job, TimeNs originAbsNs) {
    beginResetModel();
    job_ = std::move(job);
    origin_ = originAbsNs;
    instance_ = -1;
    order_.clear();
    endResetModel();
}

void ArrivalOrderModel::setInstance(int instance) {
    beginResetModel();
    instance_ = job_ && instance >= 0 && size_t(instance) < job_->instances.size() ? instance : -1;
    order_ = instance_ >= 0 ? job_->arrivalOrder(job_->instances[size_t(instance_)]) : std::vector<Arrival>{};
    endResetModel();
}

EventRef ArrivalOrderModel::eventAt(int row) const {
    if (row < 0 || size_t(row) >= order_.size()) return {};
    const Arrival& a = order_[size_t(row)];
    return job_->ranks[a.rank].kernels[a.kernel].event;
}

int ArrivalOrderModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(order_.size()); }

int ArrivalOrderModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant ArrivalOrderModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || size_t(index.row()) >= order_.size()) return {};
    const Arrival& a = order_[size_t(index.row())];
    const CollectiveKernel& k = job_->ranks[a.rank].kernels[a.kernel];
    const TimeNs after = a.arrivalNs - order_.front().arrivalNs;
    if (role == StartNsRole) return qint64(a.arrivalNs - origin_);
    if (role == EndNsRole) return qint64(a.arrivalNs + k.durNs - origin_);
    if (role == Qt::TextAlignmentRole) return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != SortRole) return {};
    const bool sort = role == SortRole;
    switch (index.column()) {
    case Order: return index.row() + 1;
    case Rank: return job_->ranks[a.rank].rank;
    case AfterFirst: return sort ? QVariant(qint64(after)) : QVariant(QStringLiteral("+") + durationText(after));
    case Wait: return sort ? QVariant(qint64(a.waitNs)) : QVariant(durationText(a.waitNs));
    case KernelTime: return sort ? QVariant(qint64(k.durNs)) : QVariant(durationText(k.durNs));
    default: return {};
    }
}

QVariant ArrivalOrderModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Order: return tr("#");
    case Rank: return tr("Rank");
    case AfterFirst: return tr("Arrived");
    case Wait: return tr("Waited");
    case KernelTime: return tr("Kernel time");
    default: return {};
    }
}

}  // namespace gaplens
