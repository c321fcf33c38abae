#pragma once
// The Ranks dock (several files that are the ranks of one job): the job's verdict and straggler
// advice on top, a row per rank (RanksModel), the collectives with their skews (CollectivesModel),
// and the arrival order of the collective selected here or on the timeline (ArrivalOrderModel).
#include <memory>

#include <QWidget>

#include "core/model/Trace.h"

class QLabel;
class QSortFilterProxyModel;
class QTableView;

namespace gaplens {

struct JobReport;
class ArrivalOrderModel;
class CollectivesModel;
class RanksModel;

class RanksDock : public QWidget {
    Q_OBJECT
public:
    explicit RanksDock(QWidget* parent = nullptr);
    // The job of the open files (null: no job, the dock says so). `originAbsNs`: the timeline's t = 0.
    void setJob(std::shared_ptr<const JobReport> job, TimeNs originAbsNs);
    // Selects a collective (index into the job's instances; -1 clears) and shows its arrival order.
    void showInstance(int instance);
    int shownInstance() const;

    RanksModel* ranksModel() const { return ranks_; }
    CollectivesModel* collectivesModel() const { return collectives_; }
    ArrivalOrderModel* arrivalModel() const { return arrivals_; }
    QTableView* ranksView() const { return ranksView_; }
    QTableView* collectivesView() const { return collectivesView_; }
    QTableView* arrivalView() const { return arrivalView_; }
    QString summaryText() const;
    QString arrivalTitle() const;

signals:
    // The user picked a collective in the dock: show it (its window) and select it on the timeline.
    void collectiveActivated(int instance);
    // The user picked one rank's arrival: select that rank's kernel.
    void arrivalActivated(gaplens::EventRef kernel);

private:
    std::shared_ptr<const JobReport> job_;
    RanksModel* ranks_ = nullptr;
    CollectivesModel* collectives_ = nullptr;
    ArrivalOrderModel* arrivals_ = nullptr;
    QSortFilterProxyModel* ranksProxy_ = nullptr;
    QSortFilterProxyModel* collectivesProxy_ = nullptr;
    QTableView* ranksView_ = nullptr;
    QTableView* collectivesView_ = nullptr;
    QTableView* arrivalView_ = nullptr;
    QLabel* summary_ = nullptr;
    QLabel* arrivalTitle_ = nullptr;
};

}  // namespace gaplens
