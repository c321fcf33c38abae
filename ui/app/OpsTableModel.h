#pragma once
// The ops table dock: core's OpsTable (torch key_averages() style), one row per op name; or, with
// "Group by range", a tree: one row per user range (core's computeOpsTableByRange) whose children
// are the ops attributed to it. Sorting and the name filter are done by a QSortFilterProxyModel on
// SortRole (recursive filtering keeps a range row whose ops match; sorting sorts each level).
#include <memory>
#include <optional>

#include <QAbstractItemModel>

#include "core/analysis/OpsByRange.h"
#include "core/report/Report.h"

namespace gaplens {

class OpsTableModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Columns { Name, Kind, Calls, SelfCpu, SelfCpuPct, CpuTotal, CpuAvg, SelfGpu, SelfGpuPct, GpuTotal, GpuAvg, ColumnCount };

    explicit OpsTableModel(QObject* parent = nullptr);
    // The trace is needed for grouping by range when the report was built without it
    // (ReportOptions::groupOpsByRange); the groups are then computed on the first switch.
    void setReport(std::shared_ptr<const Report> report, std::shared_ptr<const Trace> trace = {});
    void setGroupByRange(bool on);
    bool groupByRange() const { return groupByRange_; }
    // The range groups shown when grouped (null when there is no report).
    const OpsByRange* rangeGroups() const;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVariant opData(const OpRow& row, int column, int role) const;
    QVariant groupData(const OpsRangeGroup& group, int column, int role) const;

    std::shared_ptr<const Report> report_;
    std::shared_ptr<const Trace> trace_;
    mutable std::optional<OpsByRange> byRange_;  // computed from trace_ on first use when the report has no groups
    bool groupByRange_ = false;
};

}  // namespace gaplens
