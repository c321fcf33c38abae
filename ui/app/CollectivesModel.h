#pragma once
// The Ranks dock's table of collectives: one row per collective of the job (per process group,
// the k-th collective kernel of each rank), with its skew, the rank that arrived last and the
// ranks' total wait. StartNsRole/EndNsRole: from the first arrival to the last kernel's end, in the
// timeline's time (the trace's, after any clock shift).
#include <memory>

#include <QAbstractTableModel>

#include "core/analysis/Collectives.h"

namespace gaplens {

class CollectivesModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Columns { Collective, Skew, LastRank, Wait, Ranks, Start, Kernel, ColumnCount };
    enum Role { InstanceRole = Qt::UserRole + 20 };  // int: index into JobCollectives::instances

    explicit CollectivesModel(QObject* parent = nullptr);
    // `originAbsNs`: the absolute time of the timeline's t = 0 (Trace::originAbsNs).
    void setJob(std::shared_ptr<const JobCollectives> job, TimeNs originAbsNs);
    const JobCollectives* job() const { return job_.get(); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const JobCollectives> job_;
    TimeNs origin_ = 0;
};

}  // namespace gaplens
