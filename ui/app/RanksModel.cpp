#include "ui/app/RanksModel.h"

#include <QFileInfo>

#include "ui/app/Formatting.h"
#include "ui/app/ItemRoles.h"

namespace gaplens {

RanksModel::RanksModel(QObject* parent) : QAbstractTableModel(parent) {}

void RanksModel::setJob(std::shared_ptr<const JobCollectives> job) {
    beginResetModel();
    job_ = std::move(job);
    endResetModel();
}

int RanksModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !job_ ? 0 : int(job_->ranks.size());
}

int RanksModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant RanksModel::data(const QModelIndex& index, int role) const {
    if (!job_ || !index.isValid() || index.row() >= rowCount()) return {};
    const RankCollectives& r = job_->ranks[size_t(index.row())];
    const RankFigures& f = job_->figures[size_t(index.row())];
    const double exclPct = r.spanNs > 0 ? 100.0 * double(f.busyExclWaitNs) / double(r.spanNs) : 0.0;
    if (role == Qt::TextAlignmentRole)
        return index.column() == File ? QVariant(Qt::AlignLeft | Qt::AlignVCenter) : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && index.column() == File) return QString::fromStdString(r.path);
    if (role != Qt::DisplayRole && role != SortRole) return {};
    const bool sort = role == SortRole;
    switch (index.column()) {
    case Rank: return r.rank;
    case Gpu: {
        QStringList devices;
        for (int d : r.devices) devices << QString::number(d);
        return devices.join(QLatin1Char(','));
    }
    case Busy: return sort ? QVariant(r.busyPct()) : QVariant(percentText(r.busyPct()));
    case Collective: return sort ? QVariant(qint64(r.collectiveNs)) : QVariant(durationText(r.collectiveNs));
    case Wait: return sort ? QVariant(qint64(f.waitNs)) : QVariant(durationText(f.waitNs));
    case Transfer: return sort ? QVariant(qint64(f.transferNs)) : QVariant(durationText(f.transferNs));
    case BusyExclWait: return sort ? QVariant(exclPct) : QVariant(percentText(exclPct));
    case LastToArrive: return qint64(f.lastToArrive);
    case Overlap: return sort ? QVariant(r.overlapPct()) : QVariant(percentText(r.overlapPct()));
    case ClockShift:
        return sort ? QVariant(qint64(f.offsetNs))
                    : QVariant((f.offsetNs < 0 ? QStringLiteral("-") : QStringLiteral("+")) + durationText(std::abs(f.offsetNs)));
    case File: return QFileInfo(QString::fromStdString(r.path)).fileName();
    default: return {};
    }
}

QVariant RanksModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal) return {};
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Wait: return tr("Time its collective kernels only waited for the last rank to arrive");
        case Transfer: return tr("Collective kernel time minus the wait");
        case BusyExclWait: return tr("GPU busy % without the waits during which the GPU ran nothing else");
        case LastToArrive: return tr("Collectives at which this rank arrived last (others waited for it)");
        case Overlap: return tr("Collective time covered by compute kernels on other streams");
        case ClockShift: return tr("Added to this rank's times to put it on the job's clock (several hosts)");
        default: return {};
        }
    }
    if (role != Qt::DisplayRole) return {};
    switch (section) {
    case Rank: return tr("Rank");
    case Gpu: return tr("GPU");
    case Busy: return tr("Busy");
    case Collective: return tr("Collective");
    case Wait: return tr("Wait");
    case Transfer: return tr("Transfer");
    case BusyExclWait: return tr("Busy excl. wait");
    case LastToArrive: return tr("Last");
    case Overlap: return tr("Overlap");
    case ClockShift: return tr("Clock shift");
    case File: return tr("File");
    default: return {};
    }
}

}  // namespace gaplens
