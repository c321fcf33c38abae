#include "ui/timeline/TimelineWidget.h"

#include <algorithm>
#include <cmath>

#include <QFocusEvent>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QLineEdit>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <QWheelEvent>

#include "core/analysis/Collectives.h"
#include "core/report/Report.h"
#include "ui/timeline/TimelineState.h"

namespace gaplens {

namespace {

constexpr qint64 kHoldDelayMs = 150;  // a held key starts moving continuously after this

// Enter / Shift+Enter / Esc in the search box.
class SearchKeys : public QObject {
public:
    SearchKeys(TimelineWidget* timeline, QLineEdit* box) : QObject(box), timeline_(timeline), box_(box) {}
    bool eventFilter(QObject* watched, QEvent* event) override {
        if (watched == box_ && event->type() == QEvent::KeyPress) {
            auto* k = static_cast<QKeyEvent*>(event);
            if (k->key() == Qt::Key_Return || k->key() == Qt::Key_Enter) {
                timeline_->findNext(box_->text(), k->modifiers() & Qt::ShiftModifier);
                return true;
            }
            if (k->key() == Qt::Key_Escape) {
                box_->hide();
                timeline_->setFocus();
                return true;
            }
        }
        return false;
    }

private:
    TimelineWidget* timeline_;
    QLineEdit* box_;
};

}  // namespace

TimelineWidget::TimelineWidget(QWidget* parent) : QWidget(parent), d_(std::make_unique<TimelineState>(this)) {
    qRegisterMetaType<gaplens::EventRef>("gaplens::EventRef");
    qRegisterMetaType<gaplens::TimeNs>("gaplens::TimeNs");
    qRegisterMetaType<gaplens::SliceDetails>("gaplens::SliceDetails");
    qRegisterMetaType<gaplens::RangeStats>("gaplens::RangeStats");
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(400, 200);
    d_->search = new QLineEdit(this);
    d_->search->setPlaceholderText(tr("Search slices by name (Enter: next, Shift+Enter: previous)"));
    d_->search->setClearButtonEnabled(true);
    d_->search->installEventFilter(new SearchKeys(this, d_->search));
    d_->search->hide();
    d_->animation.setInterval(16);
    connect(&d_->animation, &QTimer::timeout, this, [this] {
        const qint64 now = d_->heldClock.elapsed();
        if (now > kHoldDelayMs) {
            const qint64 from = std::max(d_->lastTickMs, kHoldDelayMs);
            d_->applyHeldKeys(double(now - from) / 1000.0);
        }
        d_->lastTickMs = now;
    });
}

TimelineWidget::~TimelineWidget() = default;

void TimelineWidget::setTrace(std::shared_ptr<const Trace> trace) {
    d_->trace = std::move(trace);
    d_->report.reset();
    d_->job.reset();
    d_->instanceOfEvent.clear();
    d_->selected = {};
    d_->hovered = {};
    d_->hasRange = false;
    d_->marks.clear();
    d_->highlight.clear();
    d_->scrollY = 0;
    d_->rebuildSummaries();
    d_->relayout();
    fitAll();
    update();
}

std::shared_ptr<const Trace> TimelineWidget::trace() const { return d_->trace; }

void TimelineWidget::setAnalysis(std::shared_ptr<const Report> report) {
    d_->report = std::move(report);
    d_->rebuildAnalysis();
    if (d_->hasRange) d_->rangeStats = computeRangeStats(*d_->trace, d_->report.get(), d_->rangeStart, d_->rangeEnd);
    update();
}

std::shared_ptr<const Report> TimelineWidget::analysis() const { return d_->report; }

void TimelineWidget::setCollectives(std::shared_ptr<const JobCollectives> job) {
    d_->job = std::move(job);
    d_->instanceOfEvent.clear();
    if (d_->job)
        for (uint32_t r = 0; r < d_->job->ranks.size(); ++r) {
            const auto& kernels = d_->job->ranks[r].kernels;
            for (uint32_t k = 0; k < kernels.size(); ++k) {
                const int64_t instance = d_->job->instanceOf(r, k);
                if (instance >= 0 && kernels[k].event.valid())
                    d_->instanceOfEvent[(uint64_t(kernels[k].event.track) << 32) | kernels[k].event.index] = uint32_t(instance);
            }
        }
    update();
}

int TimelineWidget::selectedCollective() const { return d_->instanceOf(d_->selected); }

void TimelineWidget::setMinGapNs(TimeNs ns) {
    d_->minGapNs = ns;
    d_->rebuildAnalysis();
    update();
}

TimeNs TimelineWidget::visibleStartNs() const { return TimeNs(std::llround(d_->map.startNs())); }
TimeNs TimelineWidget::visibleEndNs() const { return TimeNs(std::llround(d_->map.endNs())); }

void TimelineWidget::setVisibleRange(TimeNs start, TimeNs end) {
    d_->setMapping(TimeMapping(double(start), double(end), d_->trackWidth()));
}

void TimelineWidget::jumpTo(TimeNs start, TimeNs end) {
    const double span = std::max(double(end - start), TimelineState::kMinSpanNs);
    const double centre = (double(start) + double(end)) / 2;
    const double shown = span * 1.2;  // 10% of margin on each side
    d_->setMapping(TimeMapping(centre - shown / 2, centre + shown / 2, d_->trackWidth()));
}

// [begin, end) and 2% of it on each side.
void TimelineWidget::fitWithMargin(TimeNs begin, TimeNs end) {
    const double b = double(begin), e = double(end);
    const double m = (e - b) * 0.02;
    d_->setMapping(TimeMapping(b - m, e + m, d_->trackWidth()));
}

void TimelineWidget::fitAll() { fitWithMargin(d_->dataBegin(), d_->dataEnd()); }

bool TimelineWidget::fitSteadyWindow() {
    const Report* r = d_->report.get();
    if (!r || r->bound.endNs <= r->bound.startNs) {
        fitAll();
        return false;
    }
    fitWithMargin(r->bound.startNs, r->bound.endNs);
    return true;
}

int TimelineWidget::trackAreaLeft() const { return TimelineState::kNameWidth; }
int TimelineWidget::trackAreaWidth() const { return d_->trackWidth(); }
int TimelineWidget::trackAreaTop() const { return TimelineState::kRulerHeight; }

void TimelineWidget::setGroupCollapsed(int process, bool collapsed) {
    if (collapsed) d_->collapsed.insert(uint32_t(process));
    else d_->collapsed.erase(uint32_t(process));
    d_->relayout();
    update();
}

bool TimelineWidget::isGroupCollapsed(int process) const { return d_->collapsed.count(uint32_t(process)) > 0; }

void TimelineWidget::setGpuLanesFirst(bool on) {
    if (d_->gpuLanesFirst == on) return;
    d_->gpuLanesFirst = on;
    if (!d_->trace) return;
    d_->rebuildLanes();
    d_->scrollY = 0;
    d_->relayout();
    update();
}

bool TimelineWidget::gpuLanesFirst() const { return d_->gpuLanesFirst; }

QStringList TimelineWidget::laneNames() const {
    QStringList names;
    for (const Lane& l : d_->lanes) names << QString::fromStdString(l.name);
    return names;
}

EventRef TimelineWidget::selectedSlice() const { return d_->selected; }
bool TimelineWidget::hasSelectedRange() const { return d_->hasRange; }
TimeNs TimelineWidget::selectedRangeStart() const { return d_->rangeStart; }
TimeNs TimelineWidget::selectedRangeEnd() const { return d_->rangeEnd; }
RangeStats TimelineWidget::selectedRangeStats() const { return d_->rangeStats; }
const std::vector<std::pair<TimeNs, TimeNs>>& TimelineWidget::marks() const { return d_->marks; }
int TimelineWidget::currentGapIndex() const { return d_->currentGap; }

size_t TimelineWidget::setHighlightedName(const std::string& rowName, bool onGpu) {
    if (d_->trace && !rowName.empty()) d_->highlight.set(*d_->trace, rowName, onGpu);
    else d_->highlight.clear();
    update();
    return d_->highlight.eventCount();
}

QString TimelineWidget::highlightedName() const { return QString::fromStdString(d_->highlight.name()); }
size_t TimelineWidget::highlightedCount() const { return d_->highlight.eventCount(); }

EventRef TimelineWidget::firstHighlightedAtOrAfter(TimeNs t) const {
    return d_->trace ? d_->highlight.firstAtOrAfter(*d_->trace, t) : EventRef{};
}

void TimelineWidget::selectSlice(EventRef e) {
    if (!d_->trace || !e.valid() || e.track >= d_->trace->tracks.size() || e.index >= d_->trace->tracks[e.track].size()) {
        clearSelection();
        return;
    }
    d_->selected = e;
    d_->hasRange = false;
    d_->currentGap = -1;
    d_->ensureLaneVisible(d_->laneOfTrack[e.track]);
    update();
    emit sliceSelected(e);
    emit sliceDetailsChanged(describeSlice(*d_->trace, e));
}

void TimelineWidget::selectRange(TimeNs start, TimeNs end) {
    if (!d_->trace) return;
    if (end < start) std::swap(start, end);
    d_->selected = {};
    d_->hasRange = true;
    d_->rangeStart = start;
    d_->rangeEnd = end;
    d_->rangeStats = computeRangeStats(*d_->trace, d_->report.get(), start, end);
    update();
    emit rangeSelected(start, end);
    emit rangeStatsChanged(d_->rangeStats);
}

void TimelineWidget::clearSelection() {
    const bool had = d_->selected.valid() || d_->hasRange;
    d_->selected = {};
    d_->hasRange = false;
    d_->currentGap = -1;
    update();
    if (had) emit selectionCleared();
}

// Visits the listed gaps (>= min gap) in time order, or longest first. Without a current gap the
// reference is the start of the selected range, else the start of the visible window.
const std::vector<uint32_t>* TimelineWidget::gapOrder(bool longestFirst) {
    const auto& order = longestFirst ? d_->gapsLongest : d_->gapsChrono;
    if (order.empty() || !d_->report) {
        emit statusMessage(tr("No gaps"));
        return nullptr;
    }
    return &order;
}

void TimelineWidget::showGap(const std::vector<uint32_t>& order, int pos) {
    const Gap& g = d_->report->gaps.gaps[order[size_t(pos)]];
    selectRange(g.start, g.end());
    d_->currentGap = int(order[size_t(pos)]);
    // The gap and as much again on each side, to see what precedes and ends it.
    setVisibleRange(g.start - g.dur, g.end() + g.dur);
}

bool TimelineWidget::nextGap(bool longestFirst) {
    const std::vector<uint32_t>* orderPtr = gapOrder(longestFirst);
    if (!orderPtr) return false;
    const auto& order = *orderPtr;
    const auto& gaps = d_->report->gaps.gaps;
    int pos = -1;
    if (d_->currentGap >= 0) {
        const auto it = std::find(order.begin(), order.end(), uint32_t(d_->currentGap));
        if (it != order.end()) pos = int(it - order.begin()) + 1;
    }
    if (pos < 0) {
        if (longestFirst) pos = 0;
        else {
            // After the selected range's start, or at/after the visible start.
            const TimeNs ref = d_->hasRange ? d_->rangeStart + 1 : visibleStartNs();
            pos = int(std::lower_bound(order.begin(), order.end(), ref,
                                       [&](uint32_t g, TimeNs t) { return gaps[g].start < t; }) - order.begin());
        }
    }
    if (pos >= int(order.size())) {
        emit statusMessage(tr("No more gaps"));
        return false;
    }
    showGap(order, pos);
    const Gap& g = gaps[order[size_t(pos)]];
    emit statusMessage(tr("Gap %1/%2: %3 %4 on GPU %5").arg(pos + 1).arg(order.size())
                           .arg(QString::fromStdString(formatDuration(g.dur)), QString::fromLatin1(gapCauseLabel(g.cause)))
                           .arg(g.device));
    return true;
}

bool TimelineWidget::previousGap(bool longestFirst) {
    const std::vector<uint32_t>* orderPtr = gapOrder(longestFirst);
    if (!orderPtr) return false;
    const auto& order = *orderPtr;
    const auto& gaps = d_->report->gaps.gaps;
    int pos = -1;
    if (d_->currentGap >= 0) {
        const auto it = std::find(order.begin(), order.end(), uint32_t(d_->currentGap));
        if (it != order.end()) pos = int(it - order.begin()) - 1;
        else pos = int(order.size()) - 1;
        if (it == order.begin()) pos = -1;
        if (pos < 0) {
            emit statusMessage(tr("No earlier gaps"));
            return false;
        }
    } else if (longestFirst) {
        pos = int(order.size()) - 1;
    } else {
        const TimeNs ref = d_->hasRange ? d_->rangeStart : visibleEndNs();
        pos = int(std::lower_bound(order.begin(), order.end(), ref,
                                   [&](uint32_t g, TimeNs t) { return gaps[g].start < t; }) - order.begin()) - 1;
        if (pos < 0) {
            emit statusMessage(tr("No earlier gaps"));
            return false;
        }
    }
    showGap(order, pos);
    return true;
}

bool TimelineWidget::findNext(const QString& text, bool backwards) {
    if (!d_->trace || text.isEmpty()) return false;
    const Trace& trc = *d_->trace;
    // Names that match, once per search: the string table is far smaller than the event count.
    const std::string needle = text.toLower().toStdString();
    std::vector<char> match(trc.strings.size(), 0);
    bool any = false;
    for (StringId id = 1; id < trc.strings.size(); ++id) {
        std::string s(trc.strings.str(id));
        std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
        if (s.find(needle) != std::string::npos) match[id] = any = 1;
    }
    if (!any) {
        emit statusMessage(tr("No slice matches \"%1\"").arg(text));
        return false;
    }
    // From the selected slice (or the visible start), the nearest matching slice in time; ties by track.
    const EventRef cur = d_->selected;
    const TimeNs ref = cur.valid() ? trc.start(cur) : (backwards ? visibleEndNs() : visibleStartNs() - 1);
    EventRef best;
    TimeNs bestT = 0;
    for (uint32_t ti = 0; ti < trc.tracks.size(); ++ti) {
        const Track& t = trc.tracks[ti];
        auto after = [&](uint32_t i) {  // strictly after the current one in (start, track, index) order
            if (t.start[i] != ref) return t.start[i] > ref;
            if (!cur.valid()) return true;
            return ti != cur.track ? ti > cur.track : i > cur.index;
        };
        if (!backwards) {
            size_t i = size_t(std::lower_bound(t.start.begin(), t.start.end(), ref) - t.start.begin());
            for (; i < t.size(); ++i) {
                if (best.valid() && t.start[i] > bestT) break;
                if (match[t.nameId[i]] && after(uint32_t(i))) {
                    if (!best.valid() || t.start[i] < bestT) best = {ti, uint32_t(i)}, bestT = t.start[i];
                    break;
                }
            }
        } else {
            size_t i = size_t(std::upper_bound(t.start.begin(), t.start.end(), ref) - t.start.begin());
            while (i-- > 0) {
                if (best.valid() && t.start[i] < bestT) break;
                if (match[t.nameId[i]] && !after(uint32_t(i)) && !(cur == EventRef{ti, uint32_t(i)})) {
                    if (!best.valid() || t.start[i] > bestT) best = {ti, uint32_t(i)}, bestT = t.start[i];
                    break;
                }
            }
        }
    }
    if (!best.valid()) {
        emit statusMessage(backwards ? tr("No earlier match") : tr("No later match"));
        return false;
    }
    selectSlice(best);
    const TimeNs s = trc.start(best), e = trc.end(best);
    if (double(e - s) > d_->map.spanNs() / 2) jumpTo(s, e);
    else if (double(s) < d_->map.startNs() || double(e) > d_->map.endNs())
        d_->setMapping(d_->map.pannedNs((double(s) + double(e)) / 2 - (d_->map.startNs() + d_->map.endNs()) / 2));
    emit statusMessage(tr("\"%1\" at %2").arg(QString::fromStdString(std::string(trc.name(best))),
                                             QString::fromStdString(formatDuration(s))));
    return true;
}

bool TimelineWidget::nextSliceOnLane(bool backwards) {
    const EventRef cur = d_->selected;
    if (!d_->trace || !cur.valid()) return false;
    const Track& t = d_->trace->tracks[cur.track];
    const TrackRows& rows = d_->rows[cur.track];
    const int row = t.depth[cur.index];
    const size_t n = rows.rowSize(row);
    // Position of the selected slice in its row: rows are sorted by start.
    size_t lo = 0, hi = n;
    while (lo < hi) {
        const size_t mid = lo + (hi - lo) / 2;
        if (rows.at(row, mid) < cur.index) lo = mid + 1;
        else hi = mid;
    }
    if (lo >= n || rows.at(row, lo) != cur.index) return false;
    if (backwards ? lo == 0 : lo + 1 >= n) return false;
    const EventRef next{cur.track, rows.at(row, backwards ? lo - 1 : lo + 1)};
    selectSlice(next);
    const TimeNs s = t.start[next.index], e = t.end(next.index);
    if (double(s) < d_->map.startNs() || double(e) > d_->map.endNs()) {
        if (double(e - s) > d_->map.spanNs() / 2) jumpTo(s, e);
        else d_->setMapping(d_->map.pannedNs((double(s) + double(e)) / 2 - (d_->map.startNs() + d_->map.endNs()) / 2));
    }
    return true;
}

QString TimelineWidget::keyHelpText() {
    return tr("Navigation\n"
              "  W / S            zoom in / out at the mouse (hold: smooth; Shift: faster)\n"
              "  A / D            pan left / right (Shift: faster)\n"
              "  Ctrl + wheel     zoom at the mouse\n"
              "  0 / Ctrl+0       the whole trace (a trace opens on its steady window)\n"
              "  wheel            scroll lanes\n"
              "  Shift/middle drag  pan\n"
              "Selection\n"
              "  click            select a slice (details, flow arrow to its launch/kernel)\n"
              "  drag             select a time range (busy %, idle by cause, op counts)\n"
              "  F                fit the selection\n"
              "  M                mark the selection\n"
              "  N / P            next / previous gap (Shift: longest first)\n"
              "  . / ,            next / previous slice on the selected lane\n"
              "  Ctrl+F           search by name (Enter: next, Shift+Enter: previous)\n"
              "  click group      collapse / expand a process\n"
              "  ?                this help\n"
              "  Esc              clear selection, close help and search");
}

QImage TimelineWidget::renderToImage(QSize size) {
    const TimeMapping oldMap = d_->map;
    const int oldScroll = d_->scrollY;
    d_->renderSize = size;
    d_->map = oldMap.withWidth(d_->trackWidth());
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    {
        QPainter p(&image);
        p.setFont(font());
        d_->paint(p);
    }
    d_->renderSize = QSize();
    d_->map = oldMap;
    d_->scrollY = oldScroll;
    return image;
}

size_t TimelineWidget::summaryMemoryBytes() const { return d_->summaryBytes(); }

size_t TimelineWidget::cachedPrimitiveCount() const {
    size_t n = 0;
    for (const LaneGeometry& g : d_->cache) n += g.primitiveCount();
    return n;
}

void TimelineWidget::paintEvent(QPaintEvent*) {
    QPainter p(this);
    d_->paint(p);
}

void TimelineWidget::resizeEvent(QResizeEvent*) {
    d_->map = d_->map.withWidth(d_->trackWidth());
    d_->clampScroll();
    d_->search->setGeometry(width() - 380, 2, 370, TimelineState::kRulerHeight - 4);
}

void TimelineWidget::keyPressEvent(QKeyEvent* e) {
    const bool shift = e->modifiers() & Qt::ShiftModifier;
    const bool ctrl = e->modifiers() & Qt::ControlModifier;
    switch (e->key()) {
        case Qt::Key_W:
        case Qt::Key_A:
        case Qt::Key_S:
        case Qt::Key_D:
            if (ctrl) break;
            if (!e->isAutoRepeat() && !d_->heldKeys.count(e->key())) {
                d_->tapKey(e->key(), shift);
                d_->heldKeys.insert(e->key());
                d_->shiftHeld = shift;
                if (!d_->animation.isActive()) {
                    d_->heldClock.start();
                    d_->lastTickMs = 0;
                    d_->animation.start();
                }
            }
            return;  // autorepeat is ignored: the timer moves the view while the key is down
        case Qt::Key_Shift: d_->shiftHeld = true; return;
        case Qt::Key_F:
            if (ctrl) {
                d_->search->setGeometry(width() - 380, 2, 370, TimelineState::kRulerHeight - 4);
                d_->search->show();
                d_->search->setFocus();
                d_->search->selectAll();
            } else if (d_->selected.valid()) {
                jumpTo(d_->trace->start(d_->selected), d_->trace->end(d_->selected));
            } else if (d_->hasRange) {
                jumpTo(d_->rangeStart, d_->rangeEnd);
            }
            return;
        case Qt::Key_M: {
            std::pair<TimeNs, TimeNs> m;
            if (d_->selected.valid()) m = {d_->trace->start(d_->selected), d_->trace->end(d_->selected)};
            else if (d_->hasRange) m = {d_->rangeStart, d_->rangeEnd};
            else return;
            auto it = std::find(d_->marks.begin(), d_->marks.end(), m);
            if (it != d_->marks.end()) d_->marks.erase(it);
            else d_->marks.push_back(m);
            update();
            return;
        }
        case Qt::Key_0:
            fitAll();
            return;
        case Qt::Key_N: nextGap(shift); return;
        case Qt::Key_P: previousGap(shift); return;
        case Qt::Key_Period:
        case Qt::Key_Greater: nextSliceOnLane(false); return;
        case Qt::Key_Comma:
        case Qt::Key_Less: nextSliceOnLane(true); return;
        case Qt::Key_Question:
            d_->showHelp = !d_->showHelp;
            update();
            return;
        case Qt::Key_Escape:
            if (d_->showHelp) d_->showHelp = false;
            else if (d_->search->isVisible()) d_->search->hide();
            else clearSelection();
            update();
            return;
        default: break;
    }
    QWidget::keyPressEvent(e);
}

void TimelineWidget::keyReleaseEvent(QKeyEvent* e) {
    if (e->isAutoRepeat()) return;
    if (e->key() == Qt::Key_Shift) d_->shiftHeld = false;
    d_->heldKeys.erase(e->key());
    if (d_->heldKeys.empty()) d_->animation.stop();
    QWidget::keyReleaseEvent(e);
}

void TimelineWidget::focusOutEvent(QFocusEvent* e) {
    d_->heldKeys.clear();
    d_->animation.stop();
    QWidget::focusOutEvent(e);
}

void TimelineWidget::wheelEvent(QWheelEvent* e) {
    const QPoint angle = e->angleDelta();
    if (e->modifiers() & Qt::ControlModifier) {
        const double anchor = std::max(0.0, e->position().x() - TimelineState::kNameWidth);
        d_->setMapping(d_->map.zoomedAt(std::pow(1.25, angle.y() / 120.0), anchor));
    } else if (angle.x() != 0 && std::abs(angle.x()) > std::abs(angle.y())) {
        d_->setMapping(d_->map.pannedPx(-angle.x() / 120.0 * 60.0));  // trackpad sideways: pan
    } else {
        const int dy = e->pixelDelta().isNull() ? angle.y() / 120 * 3 * TimelineState::kRowHeight : e->pixelDelta().y();
        d_->scrollY -= dy;
        d_->clampScroll();
        update();
    }
    e->accept();
}

void TimelineWidget::mousePressEvent(QMouseEvent* e) {
    setFocus();
    const QPoint pos = e->position().toPoint();
    d_->lastMouse = pos;
    d_->pressPos = pos;
    d_->pressMap = d_->map;
    d_->pressScroll = d_->scrollY;
    const int lane = d_->laneAtY(pos.y());
    if (e->button() == Qt::LeftButton && lane >= 0 && d_->lanes[size_t(lane)].kind == LaneKind::GroupHeader) {
        const uint32_t proc = d_->lanes[size_t(lane)].process;
        setGroupCollapsed(int(proc), !isGroupCollapsed(int(proc)));
        d_->drag = TimelineState::Drag::None;
        return;
    }
    if (e->button() == Qt::MiddleButton || (e->button() == Qt::LeftButton && (e->modifiers() & Qt::ShiftModifier)))
        d_->drag = TimelineState::Drag::Pan;
    else if (e->button() == Qt::LeftButton && pos.x() >= TimelineState::kNameWidth)
        d_->drag = TimelineState::Drag::Pending;
    else
        d_->drag = TimelineState::Drag::None;
}

void TimelineWidget::mouseMoveEvent(QMouseEvent* e) {
    const QPoint pos = e->position().toPoint();
    d_->lastMouse = pos;
    using Drag = TimelineState::Drag;
    if (d_->drag == Drag::Pending && (pos - d_->pressPos).manhattanLength() > 3) d_->drag = Drag::Select;
    if (d_->drag == Drag::Select) {
        const double t0 = d_->map.time(d_->pressPos.x() - TimelineState::kNameWidth);
        const double t1 = d_->map.time(std::max(pos.x(), TimelineState::kNameWidth) - TimelineState::kNameWidth);
        d_->selected = {};
        d_->hasRange = true;
        d_->rangeStart = TimeNs(std::llround(std::min(t0, t1)));
        d_->rangeEnd = TimeNs(std::llround(std::max(t0, t1)));
        d_->rangeStats = computeRangeStats(*d_->trace, d_->report.get(), d_->rangeStart, d_->rangeEnd);
        update();
    } else if (d_->drag == Drag::Pan) {
        const QPoint delta = pos - d_->pressPos;
        d_->scrollY = d_->pressScroll - delta.y();
        d_->clampScroll();
        d_->setMapping(d_->pressMap.pannedPx(-delta.x()));
        update();
    } else if (d_->trace) {
        const EventRef h = d_->sliceAt(pos);
        if (!(h == d_->hovered)) {
            d_->hovered = h;
            update();
        }
    }
}

void TimelineWidget::mouseReleaseEvent(QMouseEvent* e) {
    const QPoint pos = e->position().toPoint();
    using Drag = TimelineState::Drag;
    const Drag drag = d_->drag;
    d_->drag = Drag::None;
    if (!d_->trace) return;
    if (drag == Drag::Select) {
        selectRange(d_->rangeStart, d_->rangeEnd);
        d_->currentGap = -1;
    } else if (drag == Drag::Pending) {  // a click
        const EventRef hit = d_->sliceAt(pos);
        if (hit.valid()) {
            selectSlice(hit);
            return;
        }
        if (const int gap = d_->gapAt(pos); gap >= 0 && d_->lanes[size_t(d_->laneAtY(pos.y()))].kind == LaneKind::Gaps) {
            const Gap& g = d_->report->gaps.gaps[size_t(gap)];
            selectRange(g.start, g.end());
            d_->currentGap = gap;
            return;
        }
        if (const int dw = d_->deadWindowAt(pos); dw >= 0) {
            const DeadWindow& w = d_->report->deadWindows.windows[size_t(dw)];
            selectRange(w.rangeStartNs, w.firstGpuStartNs);
            return;
        }
        clearSelection();
    }
}

void TimelineWidget::mouseDoubleClickEvent(QMouseEvent* e) {
    const EventRef hit = d_->sliceAt(e->position().toPoint());
    if (hit.valid()) jumpTo(d_->trace->start(hit), d_->trace->end(hit));
}

bool TimelineWidget::event(QEvent* e) {
    if (e->type() == QEvent::ToolTip && d_->trace) {
        auto* help = static_cast<QHelpEvent*>(e);
        const QPoint pos = help->pos();
        QString text;
        if (const EventRef hit = d_->sliceAt(pos); hit.valid()) {
            text = QString::fromStdString(describeSlice(*d_->trace, hit).toText());
        } else if (const int dw = d_->deadWindowAt(pos); dw >= 0) {
            const DeadWindow& w = d_->report->deadWindows.windows[size_t(dw)];
            text = tr("Dead window of %1 #%2%3\n%4 (host %5, launch %6)")
                       .arg(QString::fromStdString(d_->report->deadWindows.rangeNameOf(w))).arg(w.instance)
                       .arg(w.cold ? tr(" (cold)") : QString())
                       .arg(QString::fromStdString(formatDuration(w.durNs)), QString::fromStdString(formatDuration(w.hostNs)),
                            QString::fromStdString(formatDuration(w.launchNs)));
            for (const std::string& c : d_->report->deadWindows.oneTimeCallsOf(w))
                text += QStringLiteral("\n  ") + QString::fromStdString(c);
        } else if (const int gap = d_->gapAt(pos); gap >= 0) {
            const Gap& g = d_->report->gaps.gaps[size_t(gap)];
            text = tr("Idle gap %1 on GPU %2: %3").arg(QString::fromStdString(formatDuration(g.dur))).arg(g.device)
                       .arg(QString::fromLatin1(gapCauseLabel(g.cause)));
            const std::string_view detail = d_->report->gaps.detailOf(size_t(gap));
            if (!detail.empty()) text += QStringLiteral("\n") + QString::fromUtf8(detail.data(), qsizetype(detail.size()));
        }
        if (text.isEmpty()) QToolTip::hideText();
        else QToolTip::showText(help->globalPos(), text, this);
        return true;
    }
    return QWidget::event(e);
}

}  // namespace gaplens
