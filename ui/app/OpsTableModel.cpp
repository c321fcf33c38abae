#include "ui/app/OpsTableModel.h"

#include "ui/app/Formatting.h"
#include "ui/app/ItemRoles.h"

namespace gaplens {

OpsTableModel::OpsTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void OpsTableModel::setReport(std::shared_ptr<const Report> report) {
    beginResetModel();
    report_ = std::move(report);
    endResetModel();
}

int OpsTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !report_ ? 0 : static_cast<int>(report_->ops.rows.size());
}

int OpsTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant OpsTableModel::data(const QModelIndex& index, int role) const {
    if (!report_ || !index.isValid() || index.row() >= rowCount()) return {};
    const OpsTable& table = report_->ops;
    const OpRow& row = table.rows[static_cast<size_t>(index.row())];
    if (role == Qt::TextAlignmentRole)
        return index.column() == Name || index.column() == Kind ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                                                : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && index.column() == Name) return QString::fromStdString(row.name);
    if (role != Qt::DisplayRole && role != SortRole) return {};
    const bool sort = role == SortRole;
    auto time = [&](TimeNs ns) -> QVariant { return sort ? QVariant(qint64(ns)) : QVariant(durationText(ns)); };
    auto pct = [&](double p) -> QVariant { return sort ? QVariant(p) : QVariant(percentText(p)); };
    switch (index.column()) {
    case Name: return QString::fromStdString(row.name);
    case Kind: return QString::fromUtf8(eventKindName(row.kind).data(), int(eventKindName(row.kind).size()));
    case Calls: return qint64(row.calls);
    case SelfCpu: return time(row.selfCpuNs);
    case SelfCpuPct: return pct(table.pctOfCpu(row.selfCpuNs));
    case CpuTotal: return time(row.cpuTotalNs);
    case CpuAvg: return time(row.cpuAvgNs());
    case SelfGpu: return time(row.selfGpuNs);
    case SelfGpuPct: return pct(row.onGpu || row.selfGpuNs ? table.pctOfGpu(row.selfGpuNs) : 0.0);
    case GpuTotal: return time(row.gpuTotalNs);
    case GpuAvg: return time(row.gpuAvgNs());
    default: return {};
    }
}

QVariant OpsTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Name: return tr("Name");
    case Kind: return tr("Kind");
    case Calls: return tr("Calls");
    case SelfCpu: return tr("Self CPU");
    case SelfCpuPct: return tr("Self CPU %");
    case CpuTotal: return tr("CPU total");
    case CpuAvg: return tr("CPU avg");
    case SelfGpu: return tr("Self GPU");
    case SelfGpuPct: return tr("Self GPU %");
    case GpuTotal: return tr("GPU total");
    case GpuAvg: return tr("GPU avg");
    default: return {};
    }
}

}  // namespace gaplens
