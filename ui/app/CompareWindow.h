#pragma once
// The window that compares two runs: the compare view (both timelines, aligned iteration by
// iteration) in the middle and the Compare dock beside it: the headline and summary in words, the
// per-iteration figures and the ops/kernels table of core's comparison (RunComparison). Selecting
// an op or kernel outlines it in both timelines and shows its first slice in the iteration in
// view; R (or Compare > Jump to Biggest Regression) selects the op that got slower by the most.
// Loading and comparing run on a worker thread; ready/failed tell when they are done.
#include <functional>
#include <memory>

#include <QFutureWatcher>
#include <QMainWindow>

#include "core/analysis/RunComparison.h"
#include "ui/app/LoadedTrace.h"

class QLabel;
class QMessageBox;
class QSortFilterProxyModel;
class QTableView;

namespace gaplens {

class CompareFiguresModel;
class CompareOpsModel;
class CompareView;

class CompareWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit CompareWindow(QWidget* parent = nullptr);

    // Loads both files (before, after), analyses and compares them.
    void compareFiles(const QString& before, const QString& after, TimeNs minGapNs = 1000);
    // Compares two runs already loaded (the previous and the new run of the Run dialog).
    void compareLoaded(std::shared_ptr<const LoadedTrace> before, std::shared_ptr<const LoadedTrace> after);
    bool isBusy() const { return watcher_.isRunning(); }
    std::shared_ptr<const RunComparison> comparison() const { return comparison_; }

    CompareView* view() const { return view_; }
    CompareFiguresModel* figuresModel() const { return figuresModel_; }
    CompareOpsModel* opsModel() const { return opsModel_; }
    QTableView* opsView() const { return opsView_; }
    QString summaryText() const;
    QString statusText() const;

    // Selects the row of the ops model (source row) and shows it in both timelines.
    void selectOp(int sourceRow);
    const OpDelta* selectedOp() const;
    bool jumpToBiggestRegression();

    // Asks, without blocking, whether to compare a new run with the previous one (after a re-run
    // from the Run dialog); `yes` runs when the user agrees. The box is named "compareOffer".
    static QMessageBox* offerComparison(QWidget* parent, const QString& previous, const QString& latest,
                                        std::function<void()> yes);
    QString exportMarkdownTo(const QString& path);
    QString exportSharePageTo(const QString& path);

signals:
    void ready();
    void failed(const QString& error);

private:
    struct Result {
        std::shared_ptr<const LoadedTrace> before, after;
        std::shared_ptr<const RunComparison> comparison;
        QString error;
    };
    void start(const QString& what, std::function<Result()> work);
    void onFinished();
    void onOpSelected(const QModelIndex& proxyIndex);
    void showMessage(const QString& text, bool error = false);
    void createDock();
    void createMenus();

    CompareView* view_ = nullptr;
    CompareFiguresModel* figuresModel_ = nullptr;
    CompareOpsModel* opsModel_ = nullptr;
    QSortFilterProxyModel* opsProxy_ = nullptr;
    QTableView* opsView_ = nullptr;
    QLabel* headline_ = nullptr;
    QLabel* summary_ = nullptr;
    QLabel* status_ = nullptr;
    QFutureWatcher<Result> watcher_;
    std::shared_ptr<const LoadedTrace> runs_[2];
    std::shared_ptr<const RunComparison> comparison_;
};

}  // namespace gaplens
