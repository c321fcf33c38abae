#pragma once
// The Ranks dock's arrival order of one collective: its ranks, earliest first, with how long after
// the first each arrived, how long each waited and its kernel time. StartNsRole/EndNsRole: the
// rank's kernel in the timeline's time.
#include <memory>
#include <vector>

#include <QAbstractTableModel>

#include "core/analysis/Collectives.h"

namespace gaplens {

class ArrivalOrderModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Columns { Order, Rank, AfterFirst, Wait, KernelTime, ColumnCount };

    explicit ArrivalOrderModel(QObject* parent = nullptr);
    void setJob(std::shared_ptr<const JobCollectives> job, TimeNs originAbsNs);
    // Shows one collective (index into JobCollectives::instances); -1 shows none.
    void setInstance(int instance);
    int instance() const { return instance_; }
    // The rank's kernel of a row (invalid for none).
    EventRef eventAt(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const JobCollectives> job_;
    TimeNs origin_ = 0;
    int instance_ = -1;
    std::vector<Arrival> order_;
};

}  // namespace gaplens
