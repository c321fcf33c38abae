#include "ui/app/CompareWindow.h"

#include <cmath>

#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "core/io/OutputFile.h"
#include "core/model/TimeText.h"
#include "core/report/ComparisonReport.h"
#include "core/share/ShareReport.h"
#include "ui/app/CompareFiguresModel.h"
#include "ui/app/CompareOpsModel.h"
#include "ui/app/CompareView.h"
#include "ui/app/ItemRoles.h"
#include "ui/app/TableViews.h"
#include "ui/app/TraceLoader.h"
#include "ui/timeline/TimelineWidget.h"

namespace gaplens {

namespace {

std::shared_ptr<const RunComparison> compare(const LoadedTrace& before, const LoadedTrace& after) {
    return std::make_shared<const RunComparison>(
        compareRuns(*before.trace, *before.report, *after.trace, *after.report));
}

}  // namespace

CompareWindow::CompareWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle(tr("Compare — gaplens"));
    setAttribute(Qt::WA_DeleteOnClose, false);
    view_ = new CompareView(this);
    setCentralWidget(view_);
    status_ = new QLabel(tr("Loading…"), this);
    statusBar()->addWidget(status_, 1);
    connect(view_, &CompareView::statusMessage, this, [this](const QString& text) { showMessage(text); });
    connect(view_, &CompareView::regressionRequested, this, [this] { jumpToBiggestRegression(); });
    connect(&watcher_, &QFutureWatcher<Result>::finished, this, &CompareWindow::onFinished);
    createDock();
    createMenus();
    resize(1500, 950);
}

void CompareWindow::createDock() {
    auto* panel = new QWidget(this);
    auto* layout = new QVBoxLayout(panel);
    layout->setContentsMargins(6, 6, 6, 6);
    headline_ = new QLabel(panel);
    headline_->setObjectName(QStringLiteral("compareHeadline"));
    headline_->setStyleSheet(QStringLiteral("font-weight: 600; font-size: 14px;"));
    headline_->setWordWrap(true);
    summary_ = new QLabel(panel);
    summary_->setObjectName(QStringLiteral("compareSummary"));
    summary_->setWordWrap(true);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(headline_);
    layout->addWidget(summary_);

    auto* tabs = new QTabWidget(panel);
    figuresModel_ = new CompareFiguresModel(this);
    auto* figuresView = makeTable(figuresModel_, tabs);
    figuresView->setObjectName(QStringLiteral("compareFigures"));
    figuresView->setSortingEnabled(false);  // the figures in their order
    figuresView->setColumnWidth(CompareFiguresModel::Figure, 170);
    tabs->addTab(figuresView, tr("Per iteration"));

    auto* opsPanel = new QWidget(tabs);
    auto* opsLayout = new QVBoxLayout(opsPanel);
    opsLayout->setContentsMargins(0, 0, 0, 0);
    auto* filter = new QLineEdit(opsPanel);
    filter->setPlaceholderText(tr("Filter ops and kernels by name (R: biggest regression)"));
    filter->setClearButtonEnabled(true);
    opsLayout->addWidget(filter);
    opsModel_ = new CompareOpsModel(this);
    opsProxy_ = new QSortFilterProxyModel(this);
    opsProxy_->setSourceModel(opsModel_);
    opsProxy_->setSortRole(SortRole);
    opsProxy_->setFilterKeyColumn(CompareOpsModel::Name);
    opsProxy_->setFilterCaseSensitivity(Qt::CaseInsensitive);
    connect(filter, &QLineEdit::textChanged, opsProxy_, &QSortFilterProxyModel::setFilterFixedString);
    opsView_ = makeTable(opsProxy_, opsPanel);
    opsView_->setObjectName(QStringLiteral("compareOps"));
    opsView_->setSortingEnabled(true);
    opsView_->sortByColumn(-1, Qt::AscendingOrder);  // core's order: largest change first
    opsView_->setColumnWidth(CompareOpsModel::Name, 240);
    opsView_->setColumnWidth(CompareOpsModel::Side, 50);
    opsLayout->addWidget(opsView_);
    connect(opsView_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) { onOpSelected(current); });
    tabs->addTab(opsPanel, tr("Ops and kernels"));
    tabs->setCurrentIndex(1);
    layout->addWidget(tabs, 1);

    auto* dock = new QDockWidget(tr("Compare"), this);
    dock->setObjectName(QStringLiteral("compareDock"));
    dock->setWidget(panel);
    addDockWidget(Qt::BottomDockWidgetArea, dock);
    resizeDocks({dock}, {330}, Qt::Vertical);
}

void CompareWindow::createMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("Export comparison (&Markdown)…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export comparison"), QStringLiteral("diff.md"),
                                                          tr("Markdown (*.md)"));
        if (!path.isEmpty()) exportMarkdownTo(path);
    });
    file->addAction(tr("&Share comparison as HTML page…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Share as one HTML page"), QStringLiteral("compare.html"),
                                                          tr("HTML (*.html)"));
        if (!path.isEmpty()) exportSharePageTo(path);
    });
    file->addSeparator();
    file->addAction(tr("&Close"), QKeySequence::Close, this, &QWidget::close);

    QMenu* compare = menuBar()->addMenu(tr("&Compare"));
    // R itself is read by the view (both timelines take keys); the menu shows it and works anywhere.
    compare->addAction(tr("Jump to Biggest &Regression\tR"), this, [this] { jumpToBiggestRegression(); });
    compare->addAction(tr("&Next Iteration"), QKeySequence(Qt::Key_BracketRight), this,
                       [this] { view_->showIteration(view_->centreIteration() + 1); });
    compare->addAction(tr("&Previous Iteration"), QKeySequence(Qt::Key_BracketLeft), this,
                       [this] { view_->showIteration(std::max(0, view_->centreIteration() - 1)); });
    compare->addAction(tr("&Clear Highlight"), this, [this] {
        opsView_->clearSelection();
        view_->highlight(nullptr);
    });
}

void CompareWindow::compareFiles(const QString& before, const QString& after, TimeNs minGapNs) {
    start(tr("Loading %1 and %2…").arg(QFileInfo(before).fileName(), QFileInfo(after).fileName()),
          [before, after, minGapNs] {
              Result r;
              LoadOptions options;
              options.minGapNs = minGapNs;
              QString error;
              r.before = loadTraces({before}, options, nullptr, nullptr, error);
              if (!r.before) {
                  r.error = error;
                  return r;
              }
              r.after = loadTraces({after}, options, nullptr, nullptr, error);
              if (!r.after) {
                  r.error = error;
                  return r;
              }
              r.comparison = compare(*r.before, *r.after);
              return r;
          });
}

void CompareWindow::compareLoaded(std::shared_ptr<const LoadedTrace> before, std::shared_ptr<const LoadedTrace> after) {
    start(tr("Comparing…"), [before, after] {
        Result r;
        r.before = before;
        r.after = after;
        if (before && after && before->trace && before->report && after->trace && after->report)
            r.comparison = compare(*before, *after);
        else
            r.error = QStringLiteral("nothing to compare: a run is missing");
        return r;
    });
}

void CompareWindow::start(const QString& what, std::function<Result()> work) {
    if (watcher_.isRunning()) watcher_.waitForFinished();
    showMessage(what);
    watcher_.setFuture(QtConcurrent::run(std::move(work)));
}

void CompareWindow::onFinished() {
    Result r = watcher_.result();
    if (!r.comparison) {
        showMessage(r.error, true);
        emit failed(r.error);
        return;
    }
    runs_[0] = r.before;
    runs_[1] = r.after;
    comparison_ = r.comparison;
    figuresModel_->setComparison(comparison_);
    opsModel_->setComparison(comparison_);
    opsView_->resizeColumnsToContents();
    opsView_->setColumnWidth(CompareOpsModel::Name, std::min(opsView_->columnWidth(CompareOpsModel::Name), 320));
    view_->setRuns(runs_[0], runs_[1], comparison_);
    headline_->setText(QString::fromStdString(formatComparisonHeadline(*comparison_)));
    summary_->setText(QString::fromStdString(comparison_->summary));
    setWindowTitle(tr("%1 → %2 — gaplens compare")
                       .arg(QFileInfo(runs_[0]->paths.value(0)).fileName(), QFileInfo(runs_[1]->paths.value(0)).fileName()));
    showMessage(tr("Before on top, after below, each iteration under the same one. Select an op to outline it in "
                   "both; R: biggest regression; [ ]: previous / next iteration."));
    emit ready();
}

QString CompareWindow::summaryText() const { return summary_->text(); }
QString CompareWindow::statusText() const { return status_->text(); }

void CompareWindow::showMessage(const QString& text, bool error) {
    status_->setText(text);
    status_->setStyleSheet(error ? QStringLiteral("color: #cc0000;") : QString());
}

void CompareWindow::selectOp(int sourceRow) {
    const QModelIndex proxy = opsProxy_->mapFromSource(opsModel_->index(sourceRow, 0));
    if (!proxy.isValid()) return;
    opsView_->selectionModel()->setCurrentIndex(proxy, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    opsView_->scrollTo(proxy);
}

const OpDelta* CompareWindow::selectedOp() const {
    const QModelIndex current = opsView_->selectionModel()->currentIndex();
    return current.isValid() ? opsModel_->rowAt(opsProxy_->mapToSource(current).row()) : nullptr;
}

void CompareWindow::onOpSelected(const QModelIndex& proxyIndex) {
    const OpDelta* row = proxyIndex.isValid() ? opsModel_->rowAt(opsProxy_->mapToSource(proxyIndex).row()) : nullptr;
    const auto [before, after] = view_->highlight(row);
    if (!row) return;
    view_->selectHighlightedInView();
    auto time = [](double ns) { return QString::fromStdString(formatDuration(TimeNs(std::llround(ns)))); };
    showMessage(tr("%1 (%2): %3 → %4 per iteration, %5; %6 slices outlined before, %7 after")
                    .arg(QString::fromStdString(row->name), row->onGpu ? tr("GPU") : tr("host"),
                         time(row->aTimeNs()), time(row->bTimeNs()),
                         QString::fromStdString(std::string(rowChangeName(row->change))))
                    .arg(before)
                    .arg(after));
}

bool CompareWindow::jumpToBiggestRegression() {
    const int row = opsModel_->biggestRegressionRow();
    if (row < 0) {
        showMessage(tr("No regression: no op or kernel got slower beyond noise"));
        return false;
    }
    selectOp(row);
    return true;
}

QMessageBox* CompareWindow::offerComparison(QWidget* parent, const QString& previous, const QString& latest,
                                            std::function<void()> yes) {
    auto* box = new QMessageBox(QMessageBox::Question, tr("Compare runs"),
                                tr("Compare the new run (%1) with the previous one (%2)?").arg(latest, previous),
                                QMessageBox::Yes | QMessageBox::No, parent);
    box->setObjectName(QStringLiteral("compareOffer"));
    box->setInformativeText(tr("Both timelines one above the other, each iteration aligned, and what changed per "
                               "iteration."));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::NonModal);
    connect(box->button(QMessageBox::Yes), &QPushButton::clicked, box, [yes = std::move(yes)] { yes(); });
    box->show();
    return box;
}

QString CompareWindow::exportMarkdownTo(const QString& path) {
    if (!comparison_) return tr("nothing compared yet");
    const std::string error = writeFileAtomically(path.toStdString(), comparisonToMarkdown(*comparison_, 0));
    const QString message = error.empty() ? tr("Wrote %1").arg(path) : QString::fromStdString(error);
    showMessage(message, !error.empty());
    return QString::fromStdString(error);
}

QString CompareWindow::exportSharePageTo(const QString& path) {
    if (!comparison_) return tr("nothing compared yet");
    const std::string error = writeComparePage(*runs_[0]->trace, *runs_[0]->report, *runs_[1]->trace,
                                               *runs_[1]->report, *comparison_, path.toStdString());
    showMessage(error.empty() ? tr("Wrote %1: it opens in any browser, each run in Perfetto UI").arg(path)
                              : QString::fromStdString(error),
                !error.empty());
    return QString::fromStdString(error);
}

}  // namespace gaplens
