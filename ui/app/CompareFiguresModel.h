#pragma once
// The Compare dock's "Per iteration" table: each figure of a comparison of two runs (iteration
// time, host and GPU time, GPU busy, idle per cause, launches, kernels, launch and dead-window
// p50) before, after, their delta, the noise it is judged against, and whether it changed.
#include <memory>

#include <QAbstractTableModel>

#include "core/analysis/RunComparison.h"

namespace gaplens {

class CompareFiguresModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Columns { Figure, Before, After, Delta, Noise, Change, ColumnCount };

    explicit CompareFiguresModel(QObject* parent = nullptr);
    void setComparison(std::shared_ptr<const RunComparison> comparison);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const RunComparison> comparison_;
};

}  // namespace gaplens
