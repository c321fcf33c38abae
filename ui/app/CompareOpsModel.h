#pragma once
// The Compare dock's "Ops and kernels" table: every op, API call and kernel of either run matched by
// name, per iteration (calls, self CPU, self GPU before and after), the change in time and its
// verdict (faster, slower, same, new, gone). Rows come in core's order, largest change first;
// SortRole gives the numbers for a proxy that sorts by another column.
#include <memory>

#include <QAbstractTableModel>

#include "core/analysis/RunComparison.h"

namespace gaplens {

class CompareOpsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Columns {
        Name,
        Side,
        CallsBefore,
        CallsAfter,
        SelfCpuBefore,
        SelfCpuAfter,
        SelfGpuBefore,
        SelfGpuAfter,
        DeltaTime,
        Change,
        ColumnCount
    };

    explicit CompareOpsModel(QObject* parent = nullptr);
    void setComparison(std::shared_ptr<const RunComparison> comparison);
    const OpDelta* rowAt(int row) const;
    // The row of the op that got slower by the most time per iteration (slower or new), or -1.
    int biggestRegressionRow() const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const RunComparison> comparison_;
};

}  // namespace gaplens
