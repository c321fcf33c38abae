#include "ui/app/OpsTableModel.h"

#include "ui/app/Formatting.h"
#include "ui/app/ItemRoles.h"

namespace gaplens {

namespace {
// internalId of an index: 0 for a top-level row (an op, or a range group when grouped), g + 1 for
// an op row under range group g.
constexpr quintptr kTopLevel = 0;
}  // namespace

OpsTableModel::OpsTableModel(QObject* parent) : QAbstractItemModel(parent) {}

void OpsTableModel::setReport(std::shared_ptr<const Report> report, std::shared_ptr<const Trace> trace) {
    beginResetModel();
    report_ = std::move(report);
    trace_ = std::move(trace);
    byRange_.reset();
    endResetModel();
}

void OpsTableModel::setGroupByRange(bool on) {
    if (on == groupByRange_) return;
    beginResetModel();
    groupByRange_ = on;
    endResetModel();
}

const OpsByRange* OpsTableModel::rangeGroups() const {
    if (!report_) return nullptr;
    if (report_->options.groupOpsByRange) return &report_->opsByRange;
    if (!byRange_) byRange_ = trace_ ? computeOpsTableByRange(*trace_) : OpsByRange{};
    return &*byRange_;
}

QModelIndex OpsTableModel::index(int row, int column, const QModelIndex& parent) const {
    if (row < 0 || column < 0 || column >= ColumnCount || row >= rowCount(parent)) return {};
    return createIndex(row, column, parent.isValid() ? quintptr(parent.row()) + 1 : kTopLevel);
}

QModelIndex OpsTableModel::parent(const QModelIndex& child) const {
    if (!child.isValid() || child.internalId() == kTopLevel) return {};
    return createIndex(int(child.internalId() - 1), 0, kTopLevel);
}

int OpsTableModel::rowCount(const QModelIndex& parent) const {
    if (!report_ || parent.column() > 0) return 0;
    if (!groupByRange_) return parent.isValid() ? 0 : static_cast<int>(report_->ops.rows.size());
    const OpsByRange* groups = rangeGroups();
    if (!parent.isValid()) return static_cast<int>(groups->groups.size());
    if (parent.internalId() != kTopLevel) return 0;  // op rows have no children
    return static_cast<int>(groups->groups[size_t(parent.row())].ops.rows.size());
}

int OpsTableModel::columnCount(const QModelIndex&) const { return ColumnCount; }

QVariant OpsTableModel::data(const QModelIndex& index, int role) const {
    if (!report_ || !index.isValid() || index.row() >= rowCount(index.parent())) return {};
    if (role == Qt::TextAlignmentRole)
        return index.column() == Name || index.column() == Kind ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                                                : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (!groupByRange_) return opData(report_->ops.rows[size_t(index.row())], index.column(), role);
    const OpsByRange* groups = rangeGroups();
    if (index.internalId() == kTopLevel) return groupData(groups->groups[size_t(index.row())], index.column(), role);
    const OpsRangeGroup& g = groups->groups[size_t(index.internalId() - 1)];
    return opData(g.ops.rows[size_t(index.row())], index.column(), role);
}

// Percentages are of the whole trace's totals in both views, so that an op's share inside a range
// reads against the same base as the flat table.
QVariant OpsTableModel::opData(const OpRow& row, int column, int role) const {
    const OpsTable& whole = report_->ops;
    if (role == Qt::ToolTipRole && column == Name) return QString::fromStdString(row.name);
    if (role != Qt::DisplayRole && role != SortRole) return {};
    const bool sort = role == SortRole;
    auto time = [&](TimeNs ns) -> QVariant { return sort ? QVariant(qint64(ns)) : QVariant(durationText(ns)); };
    auto pct = [&](double p) -> QVariant { return sort ? QVariant(p) : QVariant(percentText(p)); };
    switch (column) {
    case Name: return QString::fromStdString(row.name);
    case Kind: return QString::fromUtf8(eventKindName(row.kind).data(), int(eventKindName(row.kind).size()));
    case Calls: return qint64(row.calls);
    case SelfCpu: return time(row.selfCpuNs);
    case SelfCpuPct: return pct(whole.pctOfCpu(row.selfCpuNs));
    case CpuTotal: return time(row.cpuTotalNs);
    case CpuAvg: return time(row.cpuAvgNs());
    case SelfGpu: return time(row.selfGpuNs);
    case SelfGpuPct: return pct(row.onGpu || row.selfGpuNs ? whole.pctOfGpu(row.selfGpuNs) : 0.0);
    case GpuTotal: return time(row.gpuTotalNs);
    case GpuAvg: return time(row.gpuAvgNs());
    default: return {};
    }
}

// A range row: Calls = its instances, CPU total = their summed duration (for "(no range)", the
// self CPU of the ops outside every range), self CPU / self GPU = the sums over its ops, GPU total =
// the GPU work launched inside it; averages are per instance.
QVariant OpsTableModel::groupData(const OpsRangeGroup& g, int column, int role) const {
    const OpsTable& whole = report_->ops;
    const bool noRange = g.instances == 0 && g.range == kNoRangeGroup;
    const bool perInstance = g.instances > 0;
    if (role == Qt::ToolTipRole && column == Name)
        return noRange ? tr("Ops outside every user range")
                       : tr("%1: %2 instances, %3 in all")
                             .arg(QString::fromStdString(g.range))
                             .arg(g.instances)
                             .arg(durationText(g.rangeTotalNs));
    if (role != Qt::DisplayRole && role != SortRole) return {};
    const bool sort = role == SortRole;
    auto time = [&](TimeNs ns) -> QVariant { return sort ? QVariant(qint64(ns)) : QVariant(durationText(ns)); };
    auto pct = [&](double p) -> QVariant { return sort ? QVariant(p) : QVariant(percentText(p)); };
    const TimeNs cpuTotal = noRange ? g.ops.selfCpuTotalNs : g.rangeTotalNs;
    switch (column) {
    case Name: return QString::fromStdString(g.range);
    case Kind: return noRange ? QString() : tr("range");
    case Calls: return noRange && !sort ? QVariant(QString()) : QVariant(qint64(g.instances));
    case SelfCpu: return time(g.ops.selfCpuTotalNs);
    case SelfCpuPct: return pct(whole.pctOfCpu(g.ops.selfCpuTotalNs));
    case CpuTotal: return time(cpuTotal);
    case CpuAvg: return perInstance ? time(g.rangeTotalNs / g.instances) : (sort ? QVariant(qint64(0)) : QVariant(QString()));
    case SelfGpu: return time(g.ops.selfGpuTotalNs);
    case SelfGpuPct: return pct(whole.pctOfGpu(g.ops.selfGpuTotalNs));
    case GpuTotal: return time(g.ops.selfGpuTotalNs);
    case GpuAvg:
        return perInstance ? time(g.ops.selfGpuTotalNs / g.instances) : (sort ? QVariant(qint64(0)) : QVariant(QString()));
    default: return {};
    }
}

QVariant OpsTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal) return {};
    if (role == Qt::ToolTipRole && groupByRange_ && section == Calls)
        return tr("Calls of an op; instances of a range");
    if (role != Qt::DisplayRole) return {};
    switch (section) {
    case Name: return groupByRange_ ? tr("Range / name") : tr("Name");
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
