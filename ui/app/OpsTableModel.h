#pragma once
// The ops table dock: core's OpsTable (torch key_averages() style), one row per op name. Sorting
// and the name filter are done by a QSortFilterProxyModel on SortRole.
#include <memory>

#include <QAbstractTableModel>

#include "core/report/Report.h"

namespace gaplens {

class OpsTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Columns { Name, Kind, Calls, SelfCpu, SelfCpuPct, CpuTotal, CpuAvg, SelfGpu, SelfGpuPct, GpuTotal, GpuAvg, ColumnCount };

    explicit OpsTableModel(QObject* parent = nullptr);
    void setReport(std::shared_ptr<const Report> report);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const Report> report_;
};

}  // namespace gaplens
