#pragma once
// The gaps dock: the listed idle gaps of core's gap analysis (>= min gap, longest first), one row
// each with its cause. StartNsRole/EndNsRole give the window a click jumps the timeline to.
#include <memory>
#include <vector>

#include <QAbstractTableModel>

#include "core/report/Report.h"

namespace gaplens {

class GapsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Columns { Device, Start, Duration, Cause, Detail, ColumnCount };

    explicit GapsModel(QObject* parent = nullptr);
    void setReport(std::shared_ptr<const Report> report);
    const Gap* gapAt(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const Report> report_;
    std::vector<const Gap*> gaps_;  // into report_
};

}  // namespace gaplens
