#include "ui/timeline/TimelineState.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/report/Report.h"
#include "ui/timeline/LevelOfDetail.h"
#include "ui/timeline/TimelineWidget.h"

namespace gaplens {

TimelineState::TimelineState(TimelineWidget* widget) : w(widget) {}

int TimelineState::instanceOf(EventRef e) const {
    if (!e.valid()) return -1;
    const auto it = instanceOfEvent.find((uint64_t(e.track) << 32) | e.index);
    return it == instanceOfEvent.end() ? -1 : int(it->second);
}

QSize TimelineState::viewSize() const { return renderSize.isValid() ? renderSize : w->size(); }

size_t TimelineState::summaryBytes() const {
    size_t n = 0;
    for (const TrackRows& r : rows) n += r.memoryBytes();
    for (const auto& [dev, b] : busyByDevice) n += b.memoryBytes();
    for (const auto& [dev, g] : gapsByDevice) n += g.capacity() * sizeof(uint32_t);
    for (const auto& [dev, g] : deadByDevice) n += g.capacity() * sizeof(uint32_t);
    for (const auto& [dev, g] : deadEndMax) n += g.capacity() * sizeof(TimeNs);
    n += (gapsChrono.capacity() + gapsLongest.capacity()) * sizeof(uint32_t);
    n += lanes.capacity() * sizeof(Lane) + laneOfTrack.capacity() * sizeof(int);
    return n;
}

const TimelineState::NameText& TimelineState::nameText(StringId id, const QFontMetrics& fm) {
    auto it = nameTexts.find(id);
    if (it == nameTexts.end()) {
        const std::string_view s = trace->strings.str(id);
        NameText t;
        t.text = QString::fromUtf8(s.data(), qsizetype(s.size()));
        t.width = fm.horizontalAdvance(t.text);
        it = nameTexts.emplace(id, std::move(t)).first;
    }
    return it->second;
}

void TimelineState::rebuildSummaries() {
    nameTexts.clear();
    rows.clear();
    lanes.clear();
    laneOfTrack.clear();
    collapsed.clear();
    if (trace) {
        rows.reserve(trace->tracks.size());
        for (const Track& t : trace->tracks) rows.emplace_back(t);
        rebuildLanes();
        // Processes whose pid is not a number are the profiler's own bookkeeping (Kineto's
        // "Spans", "Traces" and the "(global)" instants): they start collapsed, one click away.
        for (uint32_t p = 0; p < trace->processes.size(); ++p)
            if (!trace->processes[p].pidLabel.empty()) collapsed.insert(p);
    }
    rebuildAnalysis();
}

void TimelineState::rebuildLanes() {
    lanes = buildLanes(*trace, gpuLanesFirst);
    laneOfTrack.assign(trace->tracks.size(), -1);
    for (size_t i = 0; i < lanes.size(); ++i)
        if (lanes[i].kind == LaneKind::Slices) laneOfTrack[lanes[i].track] = int(i);
    cache.clear();
}

void TimelineState::rebuildAnalysis() {
    busyByDevice.clear();
    gapsByDevice.clear();
    gapsChrono.clear();
    gapsLongest.clear();
    deadByDevice.clear();
    deadEndMax.clear();
    currentGap = -1;
    if (report) {
        for (const DeviceBusy& d : report->gpu.devices) busyByDevice.emplace(d.device, BusyProfile(d));
        const auto& gaps = report->gaps.gaps;
        for (uint32_t i = 0; i < gaps.size(); ++i) {
            if (gaps[i].dur < minGapNs) continue;
            gapsLongest.push_back(i);
            gapsByDevice[gaps[i].device].push_back(i);
        }
        // The report lists gaps longest first; keep that order (ties by start) for Shift+N.
        std::stable_sort(gapsLongest.begin(), gapsLongest.end(), [&](uint32_t a, uint32_t b) {
            if (gaps[a].dur != gaps[b].dur) return gaps[a].dur > gaps[b].dur;
            return gaps[a].start < gaps[b].start;
        });
        gapsChrono = gapsLongest;
        auto byStart = [&](uint32_t a, uint32_t b) {
            if (gaps[a].start != gaps[b].start) return gaps[a].start < gaps[b].start;
            return gaps[a].device < gaps[b].device;
        };
        std::sort(gapsChrono.begin(), gapsChrono.end(), byStart);
        for (auto& [dev, list] : gapsByDevice) std::sort(list.begin(), list.end(), byStart);
        const auto& dws = report->deadWindows.windows;
        for (uint32_t i = 0; i < dws.size(); ++i)
            if (dws[i].hasGpuWork && dws[i].firstGpuStartNs > dws[i].rangeStartNs) deadByDevice[dws[i].device].push_back(i);
        for (auto& [dev, list] : deadByDevice)
            std::sort(list.begin(), list.end(),
                      [&](uint32_t a, uint32_t b) { return dws[a].rangeStartNs < dws[b].rangeStartNs; });
        for (const auto& [dev, list] : deadByDevice) {
            std::vector<TimeNs>& ends = deadEndMax[dev];
            ends.reserve(list.size());
            TimeNs m = std::numeric_limits<TimeNs>::min();
            for (uint32_t i : list) ends.push_back(m = std::max(m, dws[i].firstGpuStartNs));
        }
    }
    cache.clear();
}

void TimelineState::relayout() {
    laneTop.assign(lanes.size(), -1);
    laneHeight.assign(lanes.size(), 0);
    int y = 0;
    for (size_t i = 0; i < lanes.size(); ++i) {
        const Lane& l = lanes[i];
        if (l.kind != LaneKind::GroupHeader && collapsed.count(l.process)) continue;
        int h = 0;
        switch (l.kind) {
            case LaneKind::GroupHeader: h = kHeaderHeight; break;
            case LaneKind::Slices: h = std::max(1, rows[l.track].rowCount()) * kRowHeight + 2 * kLanePad; break;
            case LaneKind::Busy: h = kBusyHeight; break;
            case LaneKind::Gaps: h = 2 * kGapRowHeight + 2 * kLanePad; break;
        }
        laneTop[i] = y;
        laneHeight[i] = h;
        y += h;
    }
    contentHeight = y;
    clampScroll();
}

void TimelineState::clampScroll() {
    scrollY = std::clamp(scrollY, 0, std::max(0, contentHeight - trackHeight() + kRowHeight));
}

TimeNs TimelineState::dataBegin() const { return trace && trace->eventCount() ? trace->beginNs() : 0; }
TimeNs TimelineState::dataEnd() const {
    return trace && trace->eventCount() && trace->endNs() > trace->beginNs() ? trace->endNs() : dataBegin() + 1000000;
}

void TimelineState::setMapping(const TimeMapping& m) {
    const TimeMapping clamped = m.withWidth(trackWidth()).clampedTo(double(dataBegin()), double(dataEnd()), kMinSpanNs);
    if (clamped == map) return;
    map = clamped;
    emit w->visibleRangeChanged(w->visibleStartNs(), w->visibleEndNs());
    w->update();
}

const LaneGeometry& TimelineState::geometry(size_t lane) {
    if (!(cacheKey == map) || cache.size() != lanes.size()) {
        cache.assign(lanes.size(), LaneGeometry{});
        cacheKey = map;
    }
    LaneGeometry& g = cache[lane];
    if (!g.built) {
        switch (lanes[lane].kind) {
            case LaneKind::Slices: buildSlices(lane, g); break;
            case LaneKind::Gaps: buildGaps(lane, g); break;
            case LaneKind::Busy: buildBusy(lane, g); break;
            case LaneKind::GroupHeader: break;
        }
        g.built = true;
    }
    return g;
}

void TimelineState::buildSlices(size_t lane, LaneGeometry& g) {
    const Track& t = trace->tracks[lanes[lane].track];
    const TrackRows& tr = rows[lanes[lane].track];
    for (int r = 0; r < tr.rowCount(); ++r) {
        const double y = kLanePad + r * kRowHeight;
        const size_t rowSize = tr.rowSize(r);
        auto emitItem = [&](const LodItem& it, uint32_t firstPos, size_t count) {
            const uint32_t ev = tr.at(r, firstPos);
            const double x0 = std::max(it.x0, -2.0);
            const double x1 = std::min(std::max(it.x1, it.x0 + 1.0), map.widthPx() + 2.0);
            const QRectF rect(x0, y, x1 - x0, kRowHeight - 1);
            const int colour = slicePaletteIndex(t.nameId[ev]) + (count > 1 ? kSlicePaletteSize : 0);
            appendMerged(g.sliceRects[size_t(colour)], rect);
            if (rect.width() >= 40) g.sliceLabels.push_back({rect, ev, uint32_t(count)});
        };
        if (const RowLevel* lv = tr.level(r, map.nsPerPx())) {
            // A precomputed coarser level: its intervals stand for runs of row positions.
            auto startAt = [&](size_t k) { return lv->start[k]; };
            auto endAt = [&](size_t k) { return lv->end[k]; };
            const size_t n = lv->start.size();
            forEachLodItem(map, n, startAt, endAt, [&](const LodItem& it) {
                const size_t next = it.first + it.count;
                const uint32_t first = lv->firstPos[it.first];
                const size_t count = (next < n ? lv->firstPos[next] : rowSize) - first;
                emitItem(it, first, count);
            });
        } else {
            auto startAt = [&](size_t k) { return t.start[tr.at(r, k)]; };
            auto endAt = [&](size_t k) { return t.end(tr.at(r, k)); };
            forEachLodItem(map, rowSize, startAt, endAt,
                           [&](const LodItem& it) { emitItem(it, uint32_t(it.first), it.count); });
        }
    }
}

void TimelineState::buildGaps(size_t lane, LaneGeometry& g) {
    if (!report) return;
    const int device = lanes[lane].device;
    if (auto it = gapsByDevice.find(device); it != gapsByDevice.end()) {
        const auto& list = it->second;
        const auto& gaps = report->gaps.gaps;
        auto startAt = [&](size_t k) { return gaps[list[k]].start; };
        auto endAt = [&](size_t k) { return gaps[list[k]].end(); };
        forEachLodItem(map, list.size(), startAt, endAt, [&](const LodItem& li) {
            const uint32_t gi = list[li.first];
            const double x0 = std::max(li.x0, -2.0);
            const double x1 = std::min(std::max(li.x1, li.x0 + 1.0), map.widthPx() + 2.0);
            const QRectF rect(x0, kLanePad, x1 - x0, kGapRowHeight - 1);
            // A merged run takes the cause of its longest gap... approximated by its first: runs only
            // exist below a pixel, where one colour per pixel is all that can be seen anyway.
            appendMerged(g.gapRects[size_t(gaps[gi].cause)], rect);
            if (li.count == 1 && rect.width() >= 36) g.gapLabels.push_back({rect, gi, 1});
        });
    }
    if (auto it = deadByDevice.find(device); it != deadByDevice.end()) {
        const auto& list = it->second;
        const auto& dws = report->deadWindows.windows;
        auto startAt = [&](size_t k) { return dws[list[k]].rangeStartNs; };
        const std::vector<TimeNs>& ends = deadEndMax[device];
        auto endAt = [&](size_t k) { return ends[k]; };
        forEachLodItem(map, list.size(), startAt, endAt, [&](const LodItem& li) {
            const double x0 = std::max(li.x0, -2.0);
            const double x1 = std::min(std::max(li.x1, li.x0 + 1.0), map.widthPx() + 2.0);
            g.deadWindows.push_back({QRectF(x0, kLanePad + kGapRowHeight, x1 - x0, kGapRowHeight - 1), list[li.first], uint32_t(li.count)});
        });
    }
}

void TimelineState::buildBusy(size_t lane, LaneGeometry& g) {
    auto it = busyByDevice.find(lanes[lane].device);
    if (it == busyByDevice.end()) return;
    const BusyProfile& b = it->second;
    const int width = int(std::ceil(map.widthPx()));
    const double h = kBusyHeight - 2 * kLanePad;
    const double base = kBusyHeight - kLanePad;
    const double nsPerPx = map.nsPerPx();
    double before = b.busyBefore(map.time(0));
    for (int x = 0; x < width; ++x) {
        const double after = b.busyBefore(map.time(x + 1));
        const double frac = std::clamp((after - before) / nsPerPx, 0.0, 1.0);
        before = after;
        const double top = std::round(base - frac * h);
        if (top < base) appendMerged(g.busyBars, QRectF(x, top, 1, base - top));
    }
}

int TimelineState::laneAtY(int viewY) const {
    if (viewY < kRulerHeight) return -1;
    const int cy = viewY - kRulerHeight + scrollY;
    for (size_t i = 0; i < lanes.size(); ++i)
        if (laneTop[i] >= 0 && cy >= laneTop[i] && cy < laneTop[i] + laneHeight[i]) return int(i);
    return -1;
}

EventRef TimelineState::sliceAt(QPoint pos) const {
    const int lane = laneAtY(pos.y());
    if (lane < 0 || lanes[size_t(lane)].kind != LaneKind::Slices || pos.x() < kNameWidth) return {};
    const uint32_t track = lanes[size_t(lane)].track;
    const int row = (pos.y() - laneViewY(size_t(lane)) - kLanePad) / kRowHeight;
    const TrackRows& tr = rows[track];
    if (row < 0 || row >= tr.rowCount()) return {};
    const Track& t = trace->tracks[track];
    const double x = pos.x() - kNameWidth;
    const double tol = 2 * map.nsPerPx();  // tiny slices can be hit within two pixels
    const double time = map.time(x);
    auto endAt = [&](size_t k) { return t.end(tr.at(row, k)); };
    const size_t n = tr.rowSize(row);
    size_t k = firstEndingAfter(n, time - tol, endAt);
    double best = tol + 1;
    EventRef hit;
    for (; k < n; ++k) {
        const uint32_t i = tr.at(row, k);
        const double s = double(t.start[i]), e = double(t.end(i));
        if (s > time + tol) break;
        const double d = time < s ? s - time : time > e ? time - e : 0.0;
        if (d < best) {
            best = d;
            hit = EventRef{track, i};
        }
        if (d == 0) break;
    }
    return hit;
}

int TimelineState::gapAt(QPoint pos) const {
    const int lane = laneAtY(pos.y());
    if (lane < 0 || !report || pos.x() < kNameWidth) return -1;
    const Lane& l = lanes[size_t(lane)];
    const bool gpuLane = l.kind == LaneKind::Gaps || l.kind == LaneKind::Busy || (l.kind == LaneKind::Slices && l.device >= 0);
    if (!gpuLane) return -1;
    if (l.kind == LaneKind::Gaps && pos.y() - laneViewY(size_t(lane)) >= kLanePad + kGapRowHeight) return -1;
    auto it = gapsByDevice.find(l.device);
    if (it == gapsByDevice.end()) return -1;
    const auto& gaps = report->gaps.gaps;
    const double time = map.time(pos.x() - kNameWidth);
    const auto& list = it->second;
    const size_t k = firstEndingAfter(list.size(), time, [&](size_t i) { return gaps[list[i]].end(); });
    if (k < list.size() && double(gaps[list[k]].start) <= time) return int(list[k]);
    return -1;
}

int TimelineState::deadWindowAt(QPoint pos) const {
    const int lane = laneAtY(pos.y());
    if (lane < 0 || !report || lanes[size_t(lane)].kind != LaneKind::Gaps) return -1;
    if (pos.y() - laneViewY(size_t(lane)) < kLanePad + kGapRowHeight) return -1;
    auto it = deadByDevice.find(lanes[size_t(lane)].device);
    if (it == deadByDevice.end()) return -1;
    const double time = map.time(pos.x() - kNameWidth);
    const auto& dws = report->deadWindows.windows;
    for (uint32_t i : it->second)
        if (double(dws[i].rangeStartNs) <= time && time < double(dws[i].firstGpuStartNs)) return int(i);
    return -1;
}

QRectF TimelineState::sliceRectView(EventRef e) const {
    if (!trace || !e.valid()) return {};
    const int lane = laneOfTrack[e.track];
    if (lane < 0 || laneTop[size_t(lane)] < 0) return {};
    const Track& t = trace->tracks[e.track];
    const double x0 = kNameWidth + map.x(double(t.start[e.index]));
    const double x1 = std::max(kNameWidth + map.x(double(t.end(e.index))), x0 + 1);
    const double y = laneViewY(size_t(lane)) + kLanePad + t.depth[e.index] * kRowHeight;
    return QRectF(x0, y, x1 - x0, kRowHeight - 1);
}

void TimelineState::ensureLaneVisible(int lane) {
    if (lane < 0) return;
    if (collapsed.erase(lanes[size_t(lane)].process)) {
        relayout();
    }
    const int top = laneTop[size_t(lane)], h = laneHeight[size_t(lane)];
    if (top < scrollY) scrollY = top;
    else if (top + h > scrollY + trackHeight()) scrollY = top + h - trackHeight();
    clampScroll();
}

// One tap of a navigation key: a fixed step, so that a key press and release moves the view by an
// exact amount (Shift: larger steps).
void TimelineState::tapKey(int key, bool shift) {
    const double anchor = lastMouse.x() >= kNameWidth ? lastMouse.x() - kNameWidth : map.widthPx() / 2;
    const double zoomStep = shift ? 2.0 : 1.25;
    const double panStep = shift ? 0.3 : 0.1;
    switch (key) {
        case Qt::Key_W: setMapping(map.zoomedAt(zoomStep, anchor)); break;
        case Qt::Key_S: setMapping(map.zoomedAt(1.0 / zoomStep, anchor)); break;
        case Qt::Key_A: setMapping(map.pannedNs(-panStep * map.spanNs())); break;
        case Qt::Key_D: setMapping(map.pannedNs(panStep * map.spanNs())); break;
        default: break;
    }
}

// Held keys move the view continuously: zoom x3 per second (x9 with Shift), pan 0.8 of the visible
// span per second (2.4 with Shift).
void TimelineState::applyHeldKeys(double seconds) {
    const double anchor = lastMouse.x() >= kNameWidth ? lastMouse.x() - kNameWidth : map.widthPx() / 2;
    const double zoomRate = shiftHeld ? 9.0 : 3.0;
    const double panRate = shiftHeld ? 2.4 : 0.8;
    TimeMapping m = map;
    for (int key : heldKeys) {
        switch (key) {
            case Qt::Key_W: m = m.zoomedAt(std::pow(zoomRate, seconds), anchor); break;
            case Qt::Key_S: m = m.zoomedAt(std::pow(zoomRate, -seconds), anchor); break;
            case Qt::Key_A: m = m.pannedNs(-panRate * seconds * m.spanNs()); break;
            case Qt::Key_D: m = m.pannedNs(panRate * seconds * m.spanNs()); break;
            default: break;
        }
    }
    setMapping(m);
}

}  // namespace gaplens
