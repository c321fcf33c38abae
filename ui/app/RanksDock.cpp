#include "ui/app/RanksDock.h"

#include <QLabel>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include "core/report/JobReport.h"
#include "ui/app/ArrivalOrderModel.h"
#include "ui/app/CollectivesModel.h"
#include "ui/app/Formatting.h"
#include "ui/app/ItemRoles.h"
#include "ui/app/RanksModel.h"
#include "ui/app/TableViews.h"

namespace gaplens {

RanksDock::RanksDock(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    summary_ = new QLabel(this);
    summary_->setObjectName(QStringLiteral("ranksSummary"));
    summary_->setWordWrap(true);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(summary_);

    ranks_ = new RanksModel(this);
    ranksProxy_ = makeProxy(ranks_, this);
    ranksView_ = makeTable(ranksProxy_, this);
    ranksView_->setObjectName(QStringLiteral("ranksView"));
    ranksView_->sortByColumn(RanksModel::Rank, Qt::AscendingOrder);

    collectives_ = new CollectivesModel(this);
    collectivesProxy_ = makeProxy(collectives_, this);
    collectivesView_ = makeTable(collectivesProxy_, this);
    collectivesView_->setObjectName(QStringLiteral("collectivesView"));
    collectivesView_->sortByColumn(CollectivesModel::Skew, Qt::DescendingOrder);

    arrivals_ = new ArrivalOrderModel(this);
    arrivalView_ = makeTable(arrivals_, this);
    arrivalView_->setSortingEnabled(false);  // the arrival order is the order
    arrivalView_->setObjectName(QStringLiteral("arrivalView"));
    auto* arrivalPanel = new QWidget(this);
    auto* arrivalLayout = new QVBoxLayout(arrivalPanel);
    arrivalLayout->setContentsMargins(0, 0, 0, 0);
    arrivalTitle_ = new QLabel(arrivalPanel);
    arrivalLayout->addWidget(arrivalTitle_);
    arrivalLayout->addWidget(arrivalView_);

    auto* lower = new QSplitter(Qt::Horizontal, this);
    lower->addWidget(collectivesView_);
    lower->addWidget(arrivalPanel);
    lower->setStretchFactor(0, 3);
    lower->setStretchFactor(1, 2);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(ranksView_);
    split->addWidget(lower);
    layout->addWidget(split, 1);

    connect(collectivesView_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                const QVariant instance = current.data(CollectivesModel::InstanceRole);
                if (!instance.isValid() || instance.toInt() == arrivals_->instance()) return;
                showInstance(instance.toInt());
                emit collectiveActivated(instance.toInt());
            });
    connect(arrivalView_, &QTableView::clicked, this, [this](const QModelIndex& index) {
        const EventRef e = arrivals_->eventAt(index.row());
        if (e.valid()) emit arrivalActivated(e);
    });
    setJob(nullptr, 0);
}

void RanksDock::setJob(std::shared_ptr<const JobReport> job, TimeNs originAbsNs) {
    job_ = std::move(job);
    const std::shared_ptr<const JobCollectives> collectives =
        job_ ? std::shared_ptr<const JobCollectives>(job_, &job_->job) : nullptr;
    ranks_->setJob(collectives);
    collectives_->setJob(collectives, originAbsNs);
    arrivals_->setJob(collectives, originAbsNs);
    if (!job_) {
        summary_->setText(tr("Open the files of several ranks of one job together (traces with distributedInfo, e.g. "
                             "run.rank*.json.gz) to see their collectives here."));
    } else {
        QString text = QString::fromStdString(formatJobVerdictLine(*job_)) + QStringLiteral(". ") +
                       QString::fromStdString(job_->job.clockNote) + QLatin1Char('.');
        for (const Advice& a : job_->advice)
            text += QStringLiteral("\n[%1] %2 at stake: %3")
                        .arg(QString::fromStdString(a.rule), durationText(a.savingNs), QString::fromStdString(a.text));
        for (const std::string& w : job_->job.warnings) text += QStringLiteral("\nwarning: ") + QString::fromStdString(w);
        summary_->setText(text);
    }
    ranksView_->resizeColumnsToContents();
    collectivesView_->resizeColumnsToContents();
    showInstance(-1);
}

void RanksDock::showInstance(int instance) {
    arrivals_->setInstance(instance);
    const JobCollectives* job = collectives_->job();
    if (arrivals_->instance() < 0 || !job) {
        arrivalTitle_->setText(tr("Arrival order: select a collective here or a collective kernel on the timeline"));
        collectivesView_->clearSelection();
        return;
    }
    const CollectiveInstance& c = job->instances[size_t(arrivals_->instance())];
    arrivalTitle_->setText(tr("Arrival order of %1 #%2 (skew %3)")
                               .arg(utf8Text(job->groups[c.group]))
                               .arg(c.seq)
                               .arg(durationText(c.skewNs())));
    arrivalView_->resizeColumnsToContents();
    // Select its row without announcing it again.
    const QModelIndex source = collectives_->index(instance, 0);
    const QModelIndex row = collectivesProxy_->mapFromSource(source);
    if (row.isValid() && collectivesView_->currentIndex().row() != row.row()) {
        const QSignalBlocker block(collectivesView_->selectionModel());
        collectivesView_->selectionModel()->setCurrentIndex(
            row, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        collectivesView_->scrollTo(row);
        collectivesView_->viewport()->update();
    }
}

int RanksDock::shownInstance() const { return arrivals_->instance(); }

QString RanksDock::summaryText() const { return summary_->text(); }

QString RanksDock::arrivalTitle() const { return arrivalTitle_->text(); }

}  // namespace gaplens
