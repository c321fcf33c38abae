#pragma once
// The dead windows dock: one row per user-range instance with GPU work, from core's dead window
// analysis: the idle time from entering the range to its first GPU work, and its breakdown.
#include <memory>
#include <vector>

#include <QAbstractTableModel>

#include "core/report/Report.h"

namespace gaplens {

class DeadWindowsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Columns { Range, Instance, Start, DeadWindow, Host, LaunchToStart, OneTime, Cold, OneTimeCalls, ColumnCount };

    explicit DeadWindowsModel(QObject* parent = nullptr);
    void setReport(std::shared_ptr<const Report> report);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const Report> report_;
    std::vector<const gaplens::DeadWindow*> rows_;  // instances that launched GPU work
};

}  // namespace gaplens
