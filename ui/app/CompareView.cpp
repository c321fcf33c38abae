#include "ui/app/CompareView.h"

#include <limits>

#include <QFileInfo>
#include <QKeyEvent>
#include <QLabel>
#include <QSplitter>
#include <QVBoxLayout>

#include "ui/app/Formatting.h"
#include "ui/timeline/TimelineWidget.h"

namespace gaplens {

namespace {

std::vector<TimeNs> startsOf(const ComparedRun& run) {
    std::vector<TimeNs> starts;
    starts.reserve(run.iterationSpans.size());
    for (const TimeInterval& s : run.iterationSpans) starts.push_back(s.start);
    return starts;
}

QLabel* makeHeader(QWidget* parent) {
    auto* label = new QLabel(parent);
    label->setTextFormat(Qt::PlainText);
    label->setContentsMargins(6, 3, 6, 3);
    label->setStyleSheet(QStringLiteral("background: #e4e8ee; font-weight: 600;"));
    return label;
}

}  // namespace

CompareView::CompareView(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    splitter_ = new QSplitter(Qt::Vertical, this);
    auto pane = [this](TimelineWidget*& timeline, QLabel*& header, const QString& name) {
        auto* box = new QWidget(splitter_);
        auto* l = new QVBoxLayout(box);
        l->setContentsMargins(0, 0, 0, 0);
        l->setSpacing(0);
        header = makeHeader(box);
        timeline = new TimelineWidget(box);
        timeline->setObjectName(name);
        timeline->installEventFilter(this);
        l->addWidget(header);
        l->addWidget(timeline, 1);
        splitter_->addWidget(box);
    };
    pane(before_, beforeHeader_, QStringLiteral("beforeTimeline"));
    pane(after_, afterHeader_, QStringLiteral("afterTimeline"));
    layout->addWidget(splitter_);
    connect(before_, &TimelineWidget::visibleRangeChanged, this, [this] { follow(before_); });
    connect(after_, &TimelineWidget::visibleRangeChanged, this, [this] { follow(after_); });
    for (TimelineWidget* t : {before_, after_})
        connect(t, &TimelineWidget::statusMessage, this, &CompareView::statusMessage);
}

void CompareView::setRuns(std::shared_ptr<const LoadedTrace> before, std::shared_ptr<const LoadedTrace> after,
                          std::shared_ptr<const RunComparison> comparison) {
    runs_[0] = std::move(before);
    runs_[1] = std::move(after);
    comparison_ = std::move(comparison);
    alignment_ = comparison_ ? IterationAlignment(startsOf(comparison_->a), startsOf(comparison_->b)) : IterationAlignment();
    following_ = true;  // the two set-ups move each view on its own
    for (int k = 0; k < 2; ++k) {
        TimelineWidget* t = k ? after_ : before_;
        t->setTrace(runs_[k] ? runs_[k]->trace : nullptr);
        t->setAnalysis(runs_[k] ? runs_[k]->report : nullptr);
    }
    following_ = false;
    if (comparison_ && alignment_.iterationsA() > 0) showIteration(0);
    updateHeaders();
}

int CompareView::centreIteration() const {
    if (alignment_.iterationsA() == 0) return -1;
    return int(alignment_.iterationOfA((double(before_->visibleStartNs()) + double(before_->visibleEndNs())) / 2));
}

void CompareView::showIteration(int k) {
    if (!comparison_ || k < 0 || size_t(k) >= comparison_->a.iterationSpans.size()) return;
    const auto& spans = comparison_->a.iterationSpans;
    const TimeNs start = spans[size_t(k)].start;
    const TimeNs end = size_t(k) + 1 < spans.size() ? spans[size_t(k) + 1].start : comparison_->a.windowEndNs;
    const TimeNs margin = std::max<TimeNs>(1, (end - start) / 6);
    before_->setVisibleRange(start - margin, end + margin);
    follow(before_);  // also when the range did not change
}

// The before run leads: its view's centre picks the pair of iterations (IterationAlignment), and
// the after run's view is the before run's shifted by that pair's offset. When the after view is
// moved (keys, wheel, drag on it), the before view takes the same move, and the pair is picked
// again from its new centre, so the after view snaps to the next pair only when the before run's
// centre crosses into its next iteration.
void CompareView::follow(TimelineWidget* moved) {
    if (following_ || !comparison_) return;
    following_ = true;
    if (moved == after_) {
        before_->setVisibleRange(TimeNs(std::llround(double(after_->visibleStartNs()) - offset_)),
                                 TimeNs(std::llround(double(after_->visibleEndNs()) - offset_)));
    }
    const double s = double(before_->visibleStartNs()), e = double(before_->visibleEndNs());
    const double centre = (s + e) / 2;
    pairA_ = alignment_.iterationOfA(centre);
    pairB_ = alignment_.pairedInB(pairA_);
    offset_ = alignment_.offsetAtA(centre);
    after_->setVisibleRange(TimeNs(std::llround(s + offset_)), TimeNs(std::llround(e + offset_)));
    following_ = false;
    updateHeaders();
}

QString CompareView::headerText(bool afterRun) const {
    const int k = afterRun ? 1 : 0;
    QString text = afterRun ? tr("After") : tr("Before");
    if (!comparison_ || !runs_[k]) return text;
    const ComparedRun& run = afterRun ? comparison_->b : comparison_->a;
    const FigureDelta& iter = comparison_->figure(FigureId::IterTime);
    text += QStringLiteral(" · %1 · %2").arg(QFileInfo(QString::fromStdString(run.path)).fileName(),
                                             QString::fromStdString(run.window));
    text += tr(" · %1 per iteration").arg(durationText(TimeNs(std::llround(afterRun ? iter.b : iter.a))));
    if (alignment_.iterationsA() > 0 && alignment_.iterationsB() > 0) {
        const size_t it = afterRun ? pairB_ : pairA_;
        const TimeNs at = afterRun ? alignment_.startB(it) : alignment_.startA(it);
        text += tr(" · iteration %1 of %2 at %3")
                    .arg(it + 1)
                    .arg(afterRun ? alignment_.iterationsB() : alignment_.iterationsA())
                    .arg(durationText(at));
    }
    return text;
}

void CompareView::updateHeaders() {
    beforeHeader_->setText(headerText(false));
    afterHeader_->setText(headerText(true));
}

std::pair<size_t, size_t> CompareView::highlight(const OpDelta* row) {
    const std::string name = row ? row->name : std::string();
    const bool onGpu = row && row->onGpu;
    return {before_->setHighlightedName(name, onGpu), after_->setHighlightedName(name, onGpu)};
}

bool CompareView::selectHighlightedInView() {
    for (TimelineWidget* t : {after_, before_}) {
        if (t->highlightedCount() == 0) continue;
        const bool isAfter = t == after_;
        TimeNs from = t->visibleStartNs();
        if (alignment_.iterationsA() > 0 && alignment_.iterationsB() > 0)
            from = isAfter ? alignment_.startB(pairB_) : alignment_.startA(pairA_);
        EventRef e = t->firstHighlightedAtOrAfter(from);
        if (!e.valid()) e = t->firstHighlightedAtOrAfter(std::numeric_limits<TimeNs>::min());
        if (!e.valid()) continue;
        t->selectSlice(e);
        const Trace& trace = *t->trace();
        const TimeNs s = trace.start(e), end = trace.end(e);
        const TimeNs vs = t->visibleStartNs(), ve = t->visibleEndNs();
        if (s < vs || end > ve) {  // bring it into view, keeping the zoom: the other run follows
            const TimeNs half = (ve - vs) / 2, mid = s + (end - s) / 2;
            t->setVisibleRange(mid - half, mid + half);
        }
        return true;
    }
    return false;
}

bool CompareView::eventFilter(QObject* watched, QEvent* event) {
    if ((watched == before_ || watched == after_) && event->type() == QEvent::KeyPress) {
        auto* key = static_cast<QKeyEvent*>(event);
        if (key->key() == Qt::Key_R && !(key->modifiers() & (Qt::ControlModifier | Qt::AltModifier))) {
            emit regressionRequested();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

}  // namespace gaplens
