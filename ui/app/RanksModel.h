#pragma once
// The Ranks dock's table of ranks: one row per rank of the job, from core's collectives analysis
// (analysis 10): busy %, collective time split into wait and transfer, busy excluding the wait,
// times last to arrive, overlap with compute, the clock shift applied to it, its file.
#include <memory>

#include <QAbstractTableModel>

#include "core/analysis/Collectives.h"

namespace gaplens {

class RanksModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Columns { Rank, Gpu, Busy, Collective, Wait, Transfer, BusyExclWait, LastToArrive, Overlap, ClockShift, File, ColumnCount };

    explicit RanksModel(QObject* parent = nullptr);
    void setJob(std::shared_ptr<const JobCollectives> job);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const JobCollectives> job_;
};

}  // namespace gaplens
