#pragma once
// Two runs' timelines one above the other (before on top, after below) on one time scale, each
// iteration of the after run under the same iteration of the before run (IterationAlignment; the
// before run's view centre picks the pair). Moving either one (W/A/S/D, wheel, drag) moves the
// other with it; each keeps its gap shading and
// dead-window bands. The header over each names the run and the iteration in view. A selected op
// or kernel of the comparison is outlined in both (TimelineWidget::setHighlightedName). R asks for
// the biggest regression (regressionRequested), which the compare window answers.
#include <memory>

#include <QWidget>

#include "core/analysis/RunComparison.h"
#include "ui/app/IterationAlignment.h"
#include "ui/app/LoadedTrace.h"

class QLabel;
class QSplitter;

namespace gaplens {

class TimelineWidget;

class CompareView : public QWidget {
    Q_OBJECT
public:
    explicit CompareView(QWidget* parent = nullptr);

    void setRuns(std::shared_ptr<const LoadedTrace> before, std::shared_ptr<const LoadedTrace> after,
                 std::shared_ptr<const RunComparison> comparison);
    TimelineWidget* before() const { return before_; }
    TimelineWidget* after() const { return after_; }
    const IterationAlignment& alignment() const { return alignment_; }

    // The before run's iteration at the centre of the view (its steady-window number).
    int centreIteration() const;
    // Shows iteration k of the before run with a sixth of its length as margin on each side; the
    // after run follows, its iteration k under it.
    void showIteration(int k);
    // Outlines an op's or kernel's slices in both runs (null clears). Returns the slices found
    // before and after.
    std::pair<size_t, size_t> highlight(const OpDelta* row);
    // Selects the first highlighted slice of the after run (else the before run) in the iteration
    // in view, or the next one, and shows it. False when neither run has one.
    bool selectHighlightedInView();
    QString headerText(bool afterRun) const;

signals:
    void regressionRequested();  // R in either timeline
    void statusMessage(const QString& text);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void follow(TimelineWidget* moved);
    void updateHeaders();

    TimelineWidget* before_ = nullptr;
    TimelineWidget* after_ = nullptr;
    QLabel* beforeHeader_ = nullptr;
    QLabel* afterHeader_ = nullptr;
    QSplitter* splitter_ = nullptr;
    std::shared_ptr<const LoadedTrace> runs_[2];
    std::shared_ptr<const RunComparison> comparison_;
    IterationAlignment alignment_;
    bool following_ = false;  // guards the two-way link against echo
    size_t pairA_ = 0, pairB_ = 0;  // the iterations aligned now (before's at its centre, after's paired)
    double offset_ = 0;             // after time - before time for that pair
};

}  // namespace gaplens
