#include "ui/app/MainWindow.h"

#include <utility>

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QCloseEvent>
#include <QDesktopServices>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

#include "core/model/TimeText.h"
#include "ui/app/CompareWindow.h"
#include "ui/app/DeadWindowsModel.h"
#include "ui/app/GapsModel.h"
#include "ui/app/ItemRoles.h"
#include "ui/app/OpsTableModel.h"
#include "ui/app/PerfettoServer.h"
#include "ui/app/RanksDock.h"
#include "ui/app/RunDialog.h"
#include "ui/app/SummaryModel.h"
#include "ui/app/SweepChart.h"
#include "ui/app/TableViews.h"
#include "ui/app/TraceExports.h"
#include "ui/app/TraceLoader.h"
#include "ui/timeline/TimelineWidget.h"

namespace gaplens {

namespace {
constexpr int kMaxRecentFiles = 10;
}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle(QStringLiteral("gaplens"));
    setAcceptDrops(true);
    setDockOptions(AnimatedDocks | AllowTabbedDocks | AllowNestedDocks);

    loader_ = new TraceLoader;
    loader_->moveToThread(&loaderThread_);
    connect(&loaderThread_, &QThread::finished, loader_, &QObject::deleteLater);
    connect(this, &MainWindow::requestLoad, loader_, &TraceLoader::load);
    connect(loader_, &TraceLoader::progress, this, [this](int percent) { progress_->setValue(percent); });
    connect(loader_, &TraceLoader::loaded, this, &MainWindow::onLoaded);
    connect(loader_, &TraceLoader::failed, this, &MainWindow::onFailed);
    loaderThread_.start();

    createTimeline();
    createDocks();
    createRanksDock();

    status_ = new QLabel(tr("Open a trace (File > Open, or drop files here) or run one (Run > Run…)"), this);
    progress_ = new QProgressBar(this);
    progress_->setRange(0, 100);
    progress_->setMaximumWidth(180);
    progress_->hide();
    cancelButton_ = new QToolButton(this);
    cancelButton_->setText(tr("Cancel"));
    cancelButton_->hide();
    connect(cancelButton_, &QToolButton::clicked, this, &MainWindow::cancelLoad);
    viewHint_ = new QLabel(tr("?: keys"), this);
    viewHint_->setStyleSheet(QStringLiteral("color: #555555;"));
    statusBar()->addWidget(status_, 1);
    statusBar()->addPermanentWidget(viewHint_);
    statusBar()->addPermanentWidget(progress_);
    statusBar()->addPermanentWidget(cancelButton_);

    createMenus();
    restoreSettings();
}

MainWindow::~MainWindow() {
    if (loader_) loader_->requestStop();
    loaderThread_.quit();
    loaderThread_.wait();
}

// The central widget sits behind this one function so that the window does not depend on how
// the timeline is built.
void MainWindow::createTimeline() {
    timeline_ = new TimelineWidget(this);
    setCentralWidget(timeline_);
    connect(timeline_, &TimelineWidget::statusMessage, this, [this](const QString& text) { showMessage(text); });
    connect(timeline_, &TimelineWidget::sliceDetailsChanged, this, [this](const SliceDetails& d) {
        details_->setPlainText(QString::fromStdString(d.toText()));
    });
    connect(timeline_, &TimelineWidget::rangeStatsChanged, this, [this](const RangeStats& s) {
        details_->setPlainText(QString::fromStdString(s.toText()));
    });
}

void MainWindow::createDocks() {
    auto dock = [this](const QString& title, const QString& name, QWidget* widget, Qt::DockWidgetArea area) {
        auto* d = new QDockWidget(title, this);
        d->setObjectName(name);  // saveState() needs it
        d->setWidget(widget);
        addDockWidget(area, d);
        return d;
    };

    summaryModel_ = new SummaryModel(this);
    auto* summaryView = makeTable(summaryModel_, this);
    summaryView->setSortingEnabled(false);
    summaryView->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    auto* summaryDock = dock(tr("Summary"), QStringLiteral("summaryDock"), summaryView, Qt::RightDockWidgetArea);

    auto* detailsWidget = new QPlainTextEdit(this);
    detailsWidget->setReadOnly(true);
    detailsWidget->setPlaceholderText(tr("Click a slice or drag a range on the timeline."));
    details_ = detailsWidget;
    auto* detailsDock = dock(tr("Details"), QStringLiteral("detailsDock"), details_, Qt::RightDockWidgetArea);
    tabifyDockWidget(summaryDock, detailsDock);
    summaryDock->raise();

    opsModel_ = new OpsTableModel(this);
    opsProxy_ = makeProxy(opsModel_, this);
    opsProxy_->setFilterKeyColumn(OpsTableModel::Name);
    auto* opsPanel = new QWidget(this);
    auto* opsLayout = new QVBoxLayout(opsPanel);
    opsLayout->setContentsMargins(0, 0, 0, 0);
    // A range row stays while one of its ops matches the filter; sorting sorts each level.
    opsProxy_->setRecursiveFilteringEnabled(true);
    auto* opsBar = new QHBoxLayout;
    auto* filter = new QLineEdit(opsPanel);
    filter->setPlaceholderText(tr("Filter ops by name"));
    filter->setClearButtonEnabled(true);
    opsBar->addWidget(filter, 1);
    auto* groupByRange = new QCheckBox(tr("Group by range"), opsPanel);
    groupByRange->setObjectName(QStringLiteral("opsGroupByRange"));
    groupByRange->setToolTip(tr("One row per user range (record_function, NVTX, gaplens::Range) with the ops, API "
                                "calls and kernels that ran inside it; the rest under \"(no range)\""));
    opsBar->addWidget(groupByRange);
    opsLayout->addLayout(opsBar);
    // A tree view in both modes: flat, it reads as a table; grouped, range rows expand to their ops.
    auto* opsView = new QTreeView(opsPanel);
    opsView->setObjectName(QStringLiteral("opsView"));
    opsView->setModel(opsProxy_);
    opsView->setSortingEnabled(true);
    opsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    opsView->setSelectionMode(QAbstractItemView::SingleSelection);
    opsView->setAlternatingRowColors(true);
    opsView->setUniformRowHeights(true);
    opsView->setRootIsDecorated(false);
    opsView->setWordWrap(false);
    opsView->header()->setStretchLastSection(true);
    opsView->sortByColumn(OpsTableModel::CpuTotal, Qt::DescendingOrder);
    opsView->setColumnWidth(OpsTableModel::Name, 260);
    opsView->setColumnWidth(OpsTableModel::Kind, 100);
    opsView->setColumnWidth(OpsTableModel::Calls, 60);
    opsLayout->addWidget(opsView);
    // Range rows open on every reset (toggle, new trace) and filter change, so the ops show.
    auto expandRanges = [opsView, this] {
        if (opsModel_->groupByRange()) opsView->expandAll();
    };
    connect(opsProxy_, &QAbstractItemModel::modelReset, opsView, expandRanges);
    connect(filter, &QLineEdit::textChanged, opsProxy_, &QSortFilterProxyModel::setFilterFixedString);
    connect(filter, &QLineEdit::textChanged, opsView, expandRanges);
    connect(groupByRange, &QCheckBox::toggled, this, [this, opsView](bool on) {
        opsView->setRootIsDecorated(on);
        opsModel_->setGroupByRange(on);
        QSettings().setValue(QStringLiteral("ops/groupByRange"), on);
    });
    groupByRange->setChecked(QSettings().value(QStringLiteral("ops/groupByRange"), false).toBool());
    auto* opsDock = dock(tr("Ops"), QStringLiteral("opsDock"), opsPanel, Qt::BottomDockWidgetArea);

    gapsModel_ = new GapsModel(this);
    gapsProxy_ = makeProxy(gapsModel_, this);
    gapsView_ = makeTable(gapsProxy_, this);
    gapsView_->sortByColumn(GapsModel::Duration, Qt::DescendingOrder);
    gapsView_->setColumnWidth(GapsModel::Cause, 120);
    connect(gapsView_, &QTableView::clicked, this, &MainWindow::jumpToRow);
    connect(gapsView_, &QTableView::activated, this, &MainWindow::jumpToRow);
    auto* gapsDock = dock(tr("Gaps"), QStringLiteral("gapsDock"), gapsView_, Qt::BottomDockWidgetArea);

    deadModel_ = new DeadWindowsModel(this);
    deadProxy_ = makeProxy(deadModel_, this);
    auto* deadView = makeTable(deadProxy_, this);
    connect(deadView, &QTableView::clicked, this, &MainWindow::jumpToRow);
    auto* deadDock = dock(tr("Dead windows"), QStringLiteral("deadWindowsDock"), deadView, Qt::BottomDockWidgetArea);

    sweepChart_ = new SweepChart(this);
    auto* sweepDock = dock(tr("Sweep"), QStringLiteral("sweepDock"), sweepChart_, Qt::BottomDockWidgetArea);

    splitDockWidget(opsDock, gapsDock, Qt::Horizontal);
    tabifyDockWidget(gapsDock, deadDock);
    tabifyDockWidget(deadDock, sweepDock);
    gapsDock->raise();
    resizeDocks({summaryDock}, {380}, Qt::Horizontal);
    resizeDocks({opsDock}, {300}, Qt::Vertical);
}

void MainWindow::createRanksDock() {
    ranksDock_ = new RanksDock(this);
    auto* dock = new QDockWidget(tr("Ranks"), this);
    dock->setObjectName(QStringLiteral("ranksDock"));
    dock->setWidget(ranksDock_);
    addDockWidget(Qt::BottomDockWidgetArea, dock);
    if (auto* gaps = findChild<QDockWidget*>(QStringLiteral("gapsDock"))) {
        tabifyDockWidget(gaps, dock);
        gaps->raise();
    }
    // A collective kernel selected on the timeline shows its arrival order here ...
    connect(timeline_, &TimelineWidget::sliceSelected, this, [this] {
        if (const int instance = timeline_->selectedCollective(); instance >= 0) ranksDock_->showInstance(instance);
    });
    // ... and a collective picked here is shown on the timeline, selected on the rank that arrived last.
    connect(ranksDock_, &RanksDock::collectiveActivated, this, [this](int instance) {
        if (!loaded_ || !loaded_->job || instance < 0) return;
        const JobCollectives& job = loaded_->job->job;
        const CollectiveInstance& c = job.instances[size_t(instance)];
        for (const Arrival& a : job.arrivalOrder(c))
            if (a.rank == c.lastRank) {
                const EventRef e = job.ranks[a.rank].kernels[a.kernel].event;
                const TimeNs origin = loaded_->trace->originAbsNs;
                timeline_->jumpTo(c.firstArrivalNs - origin, loaded_->trace->end(e));
                timeline_->selectSlice(e);
            }
    });
    connect(ranksDock_, &RanksDock::arrivalActivated, this, [this](EventRef kernel) {
        if (!loaded_) return;
        timeline_->selectSlice(kernel);
        timeline_->jumpTo(loaded_->trace->start(kernel), loaded_->trace->end(kernel));
    });
}

void MainWindow::createMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open…"), QKeySequence::Open, this, [this] {
        const QStringList paths = QFileDialog::getOpenFileNames(this, tr("Open traces"), QString(),
                                                                tr("Traces (*.json *.json.gz *.pt.trace.json);;All files (*)"));
        if (!paths.isEmpty()) openFiles(paths);
    });
    recentMenu_ = file->addMenu(tr("Open &Recent"));
    file->addAction(tr("Compare &With…"), QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_O), this, [this] {
        // The open run is "before"; with none open, two files are asked for, before first.
        const QString filter = tr("Traces (*.json *.json.gz *.pt.trace.json);;All files (*)");
        if (loaded_) {
            const QString after = QFileDialog::getOpenFileName(this, tr("Compare with (after)"), QString(), filter);
            if (!after.isEmpty()) compareFiles(loaded_->paths.value(0), after);
            return;
        }
        const QStringList both = QFileDialog::getOpenFileNames(this, tr("Two runs to compare (before, after)"), QString(), filter);
        if (both.size() == 2) compareFiles(both[0], both[1]);
        else if (!both.isEmpty()) showMessage(tr("Choose two traces: before and after"), true);
    });
    // Runs recorded one after another (a sweep, before/after) lie seconds apart on absolute time.
    QAction* align = file->addAction(tr("&Align Several Files at Their Start"));
    align->setObjectName(QStringLiteral("alignFilesAtStart"));
    align->setCheckable(true);
    align->setChecked(QSettings().value(QStringLiteral("load/alignFilesAtStart"), false).toBool());
    connect(align, &QAction::toggled, this, [this](bool on) {
        QSettings().setValue(QStringLiteral("load/alignFilesAtStart"), on);
        if (loaded_ && loaded_->paths.size() > 1) openFiles(loaded_->paths);
    });
    file->addSeparator();
    file->addAction(tr("Export &Perfetto JSON…"), QKeySequence(Qt::CTRL | Qt::Key_E), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export Perfetto JSON"), QString(),
                                                          tr("Perfetto JSON (*.json *.json.gz)"));
        if (!path.isEmpty()) exportPerfettoTo(path);
    });
    file->addAction(tr("Open in Perfetto &UI"), this, [this] { openInPerfetto(true); });
    file->addAction(tr("&Share as HTML page…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Share as one HTML page"), QString(), tr("HTML (*.html)"));
        if (!path.isEmpty()) exportSharePageTo(path);
    });
    file->addAction(tr("Export report (&Markdown)…"), this, [this] {
        if (!loaded_) return;
        const QString path = QFileDialog::getSaveFileName(this, tr("Export report"), QString(), tr("Markdown (*.md)"));
        if (path.isEmpty()) return;
        const QString error = exportMarkdownReport(*loaded_, path);
        showMessage(error.isEmpty() ? tr("Wrote %1").arg(path) : error, !error.isEmpty());
    });
    QMenu* csv = file->addMenu(tr("Export table as &CSV"));
    csv->addAction(tr("Ops…"), this, [this] { exportTableCsv(opsProxy_, QStringLiteral("ops.csv")); });
    csv->addAction(tr("Gaps…"), this, [this] { exportTableCsv(gapsProxy_, QStringLiteral("gaps.csv")); });
    csv->addAction(tr("Dead windows…"), this, [this] { exportTableCsv(deadProxy_, QStringLiteral("dead_windows.csv")); });
    file->addAction(tr("Export view as P&NG…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export view"), QStringLiteral("timeline.png"), tr("PNG (*.png)"));
        if (!path.isEmpty()) exportPngTo(path);
    });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(tr("&Copy selection stats"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C), this,
                    [this] { copySelectionStats(); });
    edit->addAction(tr("Minimum &gap…"), this, &MainWindow::setMinGapFromDialog);

    QMenu* run = menuBar()->addMenu(tr("&Run"));
    run->addAction(tr("&Run…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R), this, &MainWindow::showRunDialog);
    run->addAction(tr("Run &again"), QKeySequence(Qt::CTRL | Qt::Key_R), this, &MainWindow::rerun);

    viewMenu_ = menuBar()->addMenu(tr("&View"));
    viewMenu_->addAction(tr("&Fit all"), QKeySequence(Qt::CTRL | Qt::Key_0), this, [this] { timeline_->fitAll(); });
    viewMenu_->addAction(tr("Fit &steady window"), this, [this] { timeline_->fitSteadyWindow(); });
    // GPU lanes at the top (on unless the user turned it off): with several CPU threads they would
    // otherwise sit below the fold.
    QAction* gpuFirst = viewMenu_->addAction(tr("&GPU Lanes First"));
    gpuFirst->setObjectName(QStringLiteral("gpuLanesFirst"));
    gpuFirst->setCheckable(true);
    gpuFirst->setChecked(QSettings().value(QStringLiteral("view/gpuLanesFirst"), true).toBool());
    timeline_->setGpuLanesFirst(gpuFirst->isChecked());
    connect(gpuFirst, &QAction::toggled, this, [this](bool on) {
        QSettings().setValue(QStringLiteral("view/gpuLanesFirst"), on);
        timeline_->setGpuLanesFirst(on);
    });
    viewMenu_->addSeparator();
    for (QDockWidget* d : findChildren<QDockWidget*>()) viewMenu_->addAction(d->toggleViewAction());

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Keys"), this, [this] { QMessageBox::information(this, tr("Timeline keys"), TimelineWidget::keyHelpText()); });
    help->addAction(tr("&Analysis Definitions"), this, [this] { openAnalysesDoc(); })
        ->setObjectName(QStringLiteral("analysesDoc"));
}

void MainWindow::restoreSettings() {
    QSettings s;
    minGapNs_ = s.value(QStringLiteral("analysis/minGapNs"), qint64(1000)).toLongLong();
    if (!restoreGeometry(s.value(QStringLiteral("window/geometry")).toByteArray())) resize(1500, 900);
    restoreState(s.value(QStringLiteral("window/state")).toByteArray());
    updateRecentMenu();
}

void MainWindow::closeEvent(QCloseEvent* event) {
    QSettings s;
    s.setValue(QStringLiteral("window/geometry"), saveGeometry());
    s.setValue(QStringLiteral("window/state"), saveState());
    s.setValue(QStringLiteral("analysis/minGapNs"), qint64(minGapNs_));
    if (runDialog_ && runDialog_->isRunning()) runDialog_->cancelRun();
    QMainWindow::closeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    QStringList paths;
    for (const QUrl& url : event->mimeData()->urls())
        if (url.isLocalFile()) paths << url.toLocalFile();
    if (!paths.isEmpty()) {
        event->acceptProposedAction();
        openFiles(paths);
    }
}

void MainWindow::openFiles(const QStringList& paths) {
    if (paths.isEmpty()) return;
    // A load still running is stopped; its "cancelled" answer is ignored (pendingLoads_).
    if (pendingLoads_ > 0) loader_->requestStop();
    ++pendingLoads_;
    loadingPaths_ = paths;
    progress_->setValue(0);
    progress_->show();
    cancelButton_->show();
    QStringList names;
    for (const QString& p : paths) names << QFileInfo(p).fileName();
    status_->setText(tr("Loading %1…").arg(names.join(QStringLiteral(", "))));
    emit requestLoad(paths, minGapNs_, QSettings().value(QStringLiteral("load/alignFilesAtStart"), false).toBool());
}

void MainWindow::cancelLoad() {
    if (pendingLoads_ > 0) loader_->requestStop();
}

void MainWindow::onLoaded(std::shared_ptr<const LoadedTrace> result) {
    if (--pendingLoads_ > 0) return;  // a newer request is queued behind this one
    progress_->hide();
    cancelButton_->hide();
    loaded_ = std::move(result);
    timeline_->setTrace(loaded_->trace);
    timeline_->setAnalysis(loaded_->report);
    timeline_->setMinGapNs(minGapNs_);
    viewHint_->setText(timeline_->fitSteadyWindow() ? tr("Steady window · 0: whole trace · ?: keys")
                                                    : tr("0: whole trace · ?: keys"));
    opsModel_->setReport(loaded_->report, loaded_->trace);
    gapsModel_->setReport(loaded_->report);
    deadModel_->setReport(loaded_->report);
    summaryModel_->setReport(loaded_->report);
    sweepChart_->setSweep(loaded_->sweep);
    ranksDock_->setJob(loaded_->job, loaded_->trace->originAbsNs);
    timeline_->setCollectives(loaded_->job ? std::shared_ptr<const JobCollectives>(loaded_->job, &loaded_->job->job) : nullptr);
    if (loaded_->job)
        if (auto* dock = findChild<QDockWidget*>(QStringLiteral("ranksDock"))) dock->raise();
    QStringList names;
    for (const QString& p : loaded_->paths) names << QFileInfo(p).fileName();
    setWindowTitle(QStringLiteral("%1 — gaplens").arg(names.join(QStringLiteral(", "))));
    addRecentFiles(loaded_->paths);
    QString text = QString::fromStdString(formatVerdictLine(*loaded_->report));
    if (!loaded_->warnings.empty())
        text += tr("  (warning: %1)").arg(QString::fromStdString(loaded_->warnings.front()));
    showMessage(text, !loaded_->warnings.empty());
    if (auto previous = std::exchange(previousRun_, nullptr); previous && previous != loaded_)
        CompareWindow::offerComparison(this, QFileInfo(previous->paths.value(0)).fileName(),
                                       QFileInfo(loaded_->paths.value(0)).fileName(),
                                       [this, previous, latest = loaded_] { compareRuns(previous, latest); });
    emit loadFinished();
}

void MainWindow::onFailed(const QString& error) {
    if (--pendingLoads_ > 0) return;
    progress_->hide();
    cancelButton_->hide();
    showMessage(error == QLatin1String("cancelled") ? tr("Loading cancelled") : error, error != QLatin1String("cancelled"));
    emit loadFailed(error);
}

void MainWindow::showMessage(const QString& text, bool error) {
    status_->setText(text);
    status_->setStyleSheet(error ? QStringLiteral("color: #cc0000;") : QString());
}

QString MainWindow::statusText() const { return status_->text(); }
QString MainWindow::viewHintText() const { return viewHint_->text(); }

void MainWindow::setMinGapNs(TimeNs ns) {
    minGapNs_ = std::max<TimeNs>(0, ns);
    QSettings().setValue(QStringLiteral("analysis/minGapNs"), qint64(minGapNs_));
    if (loaded_) openFiles(loaded_->paths);
}

void MainWindow::setMinGapFromDialog() {
    bool ok = false;
    const QString text = QInputDialog::getText(this, tr("Minimum gap"), tr("List gaps of at least (e.g. 10us, 1.5ms):"),
                                               QLineEdit::Normal, QString::fromStdString(formatDuration(minGapNs_)), &ok);
    if (!ok) return;
    const auto ns = parseDuration(text.toStdString());
    if (!ns) {
        showMessage(tr("Not a duration: %1").arg(text), true);
        return;
    }
    setMinGapNs(*ns);
}

QStringList MainWindow::recentFiles() const { return QSettings().value(QStringLiteral("recentFiles")).toStringList(); }

void MainWindow::addRecentFiles(const QStringList& paths) {
    QStringList recent = recentFiles();
    // Several files opened together are one entry, so reopening gives the same timeline.
    const QString entry = paths.join(QLatin1Char('\n'));
    recent.removeAll(entry);
    recent.prepend(entry);
    while (recent.size() > kMaxRecentFiles) recent.removeLast();
    QSettings().setValue(QStringLiteral("recentFiles"), recent);
    updateRecentMenu();
}

void MainWindow::updateRecentMenu() {
    recentMenu_->clear();
    const QStringList recent = recentFiles();
    for (const QString& entry : recent) {
        const QStringList paths = entry.split(QLatin1Char('\n'));
        QStringList names;
        for (const QString& p : paths) names << QFileInfo(p).fileName();
        QAction* a = recentMenu_->addAction(names.join(QStringLiteral(" + ")), this, [this, paths] { openFiles(paths); });
        a->setToolTip(paths.join(QLatin1Char('\n')));
    }
    recentMenu_->setEnabled(!recent.isEmpty());
}

void MainWindow::jumpToRow(const QModelIndex& index) {
    const QVariant start = index.data(StartNsRole), end = index.data(EndNsRole);
    if (!start.isValid() || !end.isValid()) return;
    timeline_->jumpTo(start.toLongLong(), end.toLongLong());
    timeline_->selectRange(start.toLongLong(), end.toLongLong());
}

RunDialog* MainWindow::runDialog() {
    if (!runDialog_) {
        runDialog_ = new RunDialog(this);
        QSettings s;
        runDialog_->setSpec(RunSpec::load(s));
        connect(runDialog_, &RunDialog::traceReady, this, [this](const QString& path) {
            previousRun_ = loaded_;  // the run before this one, to offer a comparison once it loads
            openFiles({path});
        });
        connect(runDialog_, &RunDialog::runFinished, this, [this](const RunOutcome& outcome) {
            showMessage(outcome.message, !outcome.ok());
        });
    }
    return runDialog_;
}

void MainWindow::showRunDialog() {
    RunDialog* dialog = runDialog();
    dialog->show();
    dialog->raise();
    dialog->activateWindow();
}

void MainWindow::rerun() {
    RunDialog* dialog = runDialog();
    if (dialog->isRunning()) {
        showMessage(tr("A run is still going"));
        return;
    }
    QSettings s;
    dialog->spec().save(s);
    dialog->show();
    if (dialog->startRun()) showMessage(tr("Running again: %1").arg(dialog->spec().commandLine(dialog->captureProgram())));
}

CompareWindow* MainWindow::compareFiles(const QString& before, const QString& after) {
    auto* window = new CompareWindow(this);
    window->setWindowFlag(Qt::Window);
    window->setAttribute(Qt::WA_DeleteOnClose);
    window->show();
    window->compareFiles(before, after, minGapNs_);
    return window;
}

CompareWindow* MainWindow::compareRuns(std::shared_ptr<const LoadedTrace> before, std::shared_ptr<const LoadedTrace> after) {
    auto* window = new CompareWindow(this);
    window->setWindowFlag(Qt::Window);
    window->setAttribute(Qt::WA_DeleteOnClose);
    window->show();
    window->compareLoaded(std::move(before), std::move(after));
    return window;
}

PerfettoServer* MainWindow::perfettoServer() {
    if (!server_) server_ = new PerfettoServer(this);
    return server_;
}

QString MainWindow::exportPerfettoTo(const QString& path) {
    if (!loaded_) return tr("no trace is open");
    const QString error = exportPerfetto(*loaded_, path);
    showMessage(error.isEmpty() ? tr("Exported %1 with the findings as annotation tracks").arg(path) : error, !error.isEmpty());
    return error;
}

QString MainWindow::exportSharePageTo(const QString& path) {
    if (!loaded_) return tr("no trace is open");
    const QString error = exportSharePage(*loaded_, path);
    showMessage(error.isEmpty() ? tr("Wrote %1: send it to a teammate, it opens in any browser").arg(path) : error,
                !error.isEmpty());
    return error;
}

QString MainWindow::exportPngTo(const QString& path) {
    const QImage image = timeline_->renderToImage(timeline_->size().expandedTo(QSize(1200, 600)));
    const QString error = image.save(path) ? QString() : tr("%1: cannot write the image").arg(path);
    showMessage(error.isEmpty() ? tr("Wrote %1").arg(path) : error, !error.isEmpty());
    return error;
}

QString MainWindow::copySelectionStats() {
    QString text;
    if (timeline_->hasSelectedRange()) text = QString::fromStdString(timeline_->selectedRangeStats().toText());
    else text = details_->toPlainText();
    if (text.isEmpty()) {
        showMessage(tr("Select a slice or drag a range first"));
        return text;
    }
    QApplication::clipboard()->setText(text);
    showMessage(tr("Copied the selection's stats"));
    return text;
}

bool MainWindow::openInPerfetto(bool launchBrowser) {
    if (!loaded_) {
        showMessage(tr("Open a trace first"), true);
        return false;
    }
    // Serve an export with the findings as annotation tracks (plain JSON: every Perfetto UI opens it).
    const QString dir = QDir(QStandardPaths::writableLocation(QStandardPaths::TempLocation))
                            .filePath(QStringLiteral("gaplens-%1").arg(QApplication::applicationPid()));
    QDir().mkpath(dir);
    const QString path = QDir(dir).filePath(QFileInfo(loaded_->paths.value(0)).completeBaseName().section(QLatin1Char('.'), 0, 0) +
                                            QStringLiteral(".gaplens.json"));
    if (const QString error = exportPerfetto(*loaded_, path); !error.isEmpty()) {
        showMessage(error, true);
        return false;
    }
    QString error;
    if (!perfettoServer()->serve(path, PerfettoServer::kDefaultPort, &error)) {
        showMessage(error, true);
        return false;
    }
    const QUrl url = server_->perfettoUrl();
    if (launchBrowser) QDesktopServices::openUrl(url);
    showMessage(tr("Serving on 127.0.0.1 only: %1").arg(url.toString()));
    return true;
}

QString MainWindow::openAnalysesDoc(bool launch, const QStringList& candidates) {
    const QString path = findAnalysesDoc(candidates);
    if (path.isEmpty()) {
        auto* box = new QMessageBox(QMessageBox::Warning, tr("Analysis definitions"),
                                    tr("The definitions of the analyses (analyses.md) are not where this gaplens-ui "
                                       "looks for them:\n%1")
                                        .arg(candidates.join(QLatin1Char('\n'))),
                                    QMessageBox::Ok, this);
        box->setObjectName(QStringLiteral("analysesDocMissing"));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();  // not modal to the event loop: the app goes on
        return {};
    }
    if (launch) QDesktopServices::openUrl(QUrl::fromLocalFile(path));
    showMessage(tr("Opened %1").arg(path));
    return path;
}

void MainWindow::exportTableCsv(QAbstractItemModel* model, const QString& name) {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export table"), name, tr("CSV (*.csv)"));
    if (path.isEmpty()) return;
    const QString error = exportModelCsv(*model, path);
    showMessage(error.isEmpty() ? tr("Wrote %1").arg(path) : error, !error.isEmpty());
}

}  // namespace gaplens
