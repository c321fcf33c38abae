#pragma once
// The gaplens-ui main window: the timeline in the middle, docks beside it (summary, ops, gaps,
// dead windows, sweep, details), File/Run/Share menus, and the settings that persist (layout,
// recent files, min gap). Loading runs on a worker thread (TraceLoader) with progress and cancel.
#include <memory>

#include <QMainWindow>
#include <QStringList>
#include <QThread>

#include "ui/app/AnalysesDoc.h"
#include "ui/app/CaptureRunner.h"
#include "ui/app/LoadedTrace.h"
#include "ui/app/RunSpec.h"

class QAbstractItemModel;
class QLabel;
class QLineEdit;
class QMenu;
class QPlainTextEdit;
class QProgressBar;
class QSortFilterProxyModel;
class QTableView;
class QToolButton;

namespace gaplens {

class CompareWindow;
class DeadWindowsModel;
class GapsModel;
class OpsTableModel;
class PerfettoServer;
class RanksDock;
class RunDialog;
class SummaryModel;
class SweepChart;
class TimelineWidget;
class TraceLoader;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opens files on one timeline (several = several processes/ranks, and a sweep). Asynchronous:
    // loadFinished/loadFailed tell when it is done.
    void openFiles(const QStringList& paths);
    void cancelLoad();
    bool isLoading() const { return pendingLoads_ > 0; }
    std::shared_ptr<const LoadedTrace> loaded() const { return loaded_; }
    TimeNs minGapNs() const { return minGapNs_; }
    void setMinGapNs(TimeNs ns);  // re-analyses the open files

    // Parts, for tests and screenshots.
    TimelineWidget* timeline() const { return timeline_; }
    OpsTableModel* opsModel() const { return opsModel_; }
    QSortFilterProxyModel* opsProxy() const { return opsProxy_; }
    GapsModel* gapsModel() const { return gapsModel_; }
    DeadWindowsModel* deadWindowsModel() const { return deadModel_; }
    SummaryModel* summaryModel() const { return summaryModel_; }
    SweepChart* sweepChart() const { return sweepChart_; }
    RanksDock* ranksDock() const { return ranksDock_; }
    QTableView* gapsView() const { return gapsView_; }
    RunDialog* runDialog();
    PerfettoServer* perfettoServer();
    QStringList recentFiles() const;
    QString statusText() const;
    QString viewHintText() const;  // the keys hint at the right of the status bar

    // Actions, also reachable from the menus.
    QString exportPerfettoTo(const QString& path);
    QString exportSharePageTo(const QString& path);
    QString exportPngTo(const QString& path);
    QString copySelectionStats();  // copies to the clipboard and returns the text
    bool openInPerfetto(bool launchBrowser = true);
    // Help > Analysis Definitions: opens the first of `candidates` that exists and returns its path;
    // where none does, a message box says where it looked and the result is empty.
    QString openAnalysesDoc(bool launch = true, const QStringList& candidates = analysesDocCandidates());
    void rerun();                  // Ctrl+R: the last run's settings again
    // Compare two runs in a window of their own (File > Compare With..., --compare, a re-run).
    CompareWindow* compareFiles(const QString& before, const QString& after);
    CompareWindow* compareRuns(std::shared_ptr<const LoadedTrace> before, std::shared_ptr<const LoadedTrace> after);

signals:
    void loadFinished();
    void loadFailed(const QString& error);
    void requestLoad(const QStringList& paths, qint64 minGapNs, bool alignFilesAtStart);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createTimeline();
    void createDocks();
    void createRanksDock();  // the ranks of a job: its collectives, linked to the timeline
    void createMenus();
    void restoreSettings();
    void showMessage(const QString& text, bool error = false);
    void onLoaded(std::shared_ptr<const LoadedTrace> result);
    void onFailed(const QString& error);
    void addRecentFiles(const QStringList& paths);
    void updateRecentMenu();
    void jumpToRow(const QModelIndex& index);
    void showRunDialog();
    void exportTableCsv(QAbstractItemModel* model, const QString& name);
    void setMinGapFromDialog();

    TimelineWidget* timeline_ = nullptr;
    OpsTableModel* opsModel_ = nullptr;
    QSortFilterProxyModel* opsProxy_ = nullptr;
    GapsModel* gapsModel_ = nullptr;
    QSortFilterProxyModel* gapsProxy_ = nullptr;
    DeadWindowsModel* deadModel_ = nullptr;
    QSortFilterProxyModel* deadProxy_ = nullptr;
    SummaryModel* summaryModel_ = nullptr;
    SweepChart* sweepChart_ = nullptr;
    RanksDock* ranksDock_ = nullptr;
    QTableView* gapsView_ = nullptr;
    QPlainTextEdit* details_ = nullptr;
    QMenu* recentMenu_ = nullptr;
    QMenu* viewMenu_ = nullptr;
    QLabel* status_ = nullptr;
    QLabel* viewHint_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QToolButton* cancelButton_ = nullptr;
    RunDialog* runDialog_ = nullptr;
    PerfettoServer* server_ = nullptr;

    QThread loaderThread_;
    TraceLoader* loader_ = nullptr;  // lives on loaderThread_
    int pendingLoads_ = 0;
    QStringList loadingPaths_;
    std::shared_ptr<const LoadedTrace> loaded_;
    std::shared_ptr<const LoadedTrace> previousRun_;  // open when a run from the Run dialog finished
    TimeNs minGapNs_ = 1000;
    bool hasRun_ = false;
};

}  // namespace gaplens
