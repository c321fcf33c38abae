// Painting of the timeline: lanes from the cached geometry, then the pinned ruler and lane names,
// then overlays (selection, marks, flow arrow, stats, legend, key help).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include <QPainter>
#include <QPainterPath>

#include "core/analysis/Collectives.h"
#include "core/report/Report.h"
#include "ui/timeline/TimelineState.h"
#include "ui/timeline/TimelineWidget.h"

namespace gaplens {

namespace {

const QColor kBackground(0xfb, 0xfb, 0xfb);
const QColor kLaneAlt(0xf1, 0xf3, 0xf5);
const QColor kHeader(0xdd, 0xe3, 0xea);
const QColor kGrid(0, 0, 0, 22);
const QColor kSelection(0x1a, 0x73, 0xe8);

// Ruler step: 1, 2 or 5 times a power of ten, at least `minNs`.
double niceStep(double minNs) {
    const double p = std::pow(10.0, std::floor(std::log10(std::max(minNs, 1e-3))));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (m * p >= minNs) return m * p;
    return 10 * p;
}

// A tick label with the unit that suits the step: "1.25 ms", "340 µs", "2 s".
// The unit follows the size of the times shown (178.46 ms rather than 178460 µs), the decimals the step.
QString tickLabel(double t, double step, double magnitude) {
    const char* unit = " ns";
    double scale = 1;
    if (magnitude >= 1e9) { unit = " s"; scale = 1e9; }
    else if (magnitude >= 1e6) { unit = " ms"; scale = 1e6; }
    else if (magnitude >= 1e3) { unit = " µs"; scale = 1e3; }
    const double v = t / scale, s = step / scale;
    const int decimals = std::clamp(int(std::ceil(-std::log10(s) - 1e-9)), 0, 6);
    return QString::number(v, 'f', decimals) + QString::fromUtf8(unit);
}

QString dur(TimeNs ns) { return QString::fromStdString(formatDuration(ns)); }

}  // namespace

void TimelineState::paint(QPainter& p) {
    const int width = viewSize().width();
    p.fillRect(QRect(QPoint(0, 0), viewSize()), kBackground);
    if (!trace) {
        p.setPen(Qt::darkGray);
        p.drawText(QRect(QPoint(0, 0), viewSize()), Qt::AlignCenter, QStringLiteral("No trace loaded"));
        return;
    }
    if (laneTop.size() != lanes.size()) relayout();

    // Lanes, clipped to the track area (names are painted over their left part afterwards).
    p.save();
    p.setClipRect(QRect(0, kRulerHeight, width, viewSize().height() - kRulerHeight));
    for (size_t i = 0; i < lanes.size(); ++i) {
        if (laneTop[i] < 0) continue;
        const int y = laneViewY(i);
        if (y + laneHeight[i] < kRulerHeight || y > viewSize().height()) continue;  // off screen
        paintLane(p, i, y);
    }
    p.restore();
    paintOverlays(p);
    paintNames(p);
    paintRuler(p);
    if (showHelp) paintHelp(p);
}

void TimelineState::paintLane(QPainter& p, size_t lane, int y) {
    const Lane& l = lanes[lane];
    const int h = laneHeight[lane];
    const int width = viewSize().width();
    if (l.kind == LaneKind::GroupHeader) {
        p.fillRect(QRect(0, y, width, h), kHeader);
        return;
    }
    if (lane % 2) p.fillRect(QRect(kNameWidth, y, width - kNameWidth, h), kLaneAlt);
    p.setPen(kGrid);
    p.drawLine(kNameWidth, y + h - 1, width, y + h - 1);

    p.save();
    p.setClipRect(QRect(kNameWidth, std::max(y, kRulerHeight), width - kNameWidth, h), Qt::IntersectClip);
    p.translate(kNameWidth, y);
    p.setPen(Qt::NoPen);

    // Gap shading behind every lane of a device, coloured by cause.
    if (l.device >= 0 && report) {
        size_t gapsLane = lane;
        while (gapsLane < lanes.size() && !(lanes[gapsLane].kind == LaneKind::Gaps && lanes[gapsLane].device == l.device))
            ++gapsLane;
        if (gapsLane < lanes.size() && l.kind != LaneKind::Gaps) {
            const LaneGeometry& gg = geometry(gapsLane);
            p.save();
            p.scale(1.0, double(h) / (kGapRowHeight - 1));  // the gap row's rectangles, stretched to this lane
            p.translate(0, -kLanePad);
            for (int c = 0; c < kGapCauseCount; ++c) {
                QColor col = gapCauseColor(GapCause(c));
                col.setAlpha(60);
                p.setBrush(col);
                const auto& rects = gg.gapRects[size_t(c)];
                p.drawRects(rects.data(), int(rects.size()));
            }
            p.restore();
            p.setPen(Qt::NoPen);
        }
    }

    const LaneGeometry& g = geometry(lane);
    if (l.kind == LaneKind::Slices) {
        for (int c = 0; c < 2 * kSlicePaletteSize; ++c) {
            const auto& rects = g.sliceRects[size_t(c)];
            if (rects.empty()) continue;
            p.setBrush(c < kSlicePaletteSize ? slicePaletteColor(c) : mergedSliceColor(c - kSlicePaletteSize));
            p.drawRects(rects.data(), int(rects.size()));
        }
        p.setBrush(Qt::NoBrush);
        p.setPen(QColor(0x20, 0x20, 0x20));
        const QFontMetrics fm = p.fontMetrics();
        const Track& t = trace->tracks[l.track];
        for (const LaneLabel& lab : g.sliceLabels) {
            const QRectF r = lab.rect.adjusted(3, 0, -3, 0);
            if (lab.count > 1) {
                const QString text = QString::number(lab.count) + QStringLiteral(" slices");
                if (fm.horizontalAdvance(text) <= r.width()) p.drawText(r, Qt::AlignVCenter | Qt::AlignLeft, text);
                continue;
            }
            const NameText& name = nameText(t.nameId[lab.item], fm);
            if (name.width <= r.width()) {
                p.drawText(r, Qt::AlignVCenter | Qt::AlignLeft, name.text);
            } else {
                const QString text = fm.elidedText(name.text, Qt::ElideRight, int(r.width()));
                if (text.size() > 1) p.drawText(r, Qt::AlignVCenter | Qt::AlignLeft, text);
            }
        }
    } else if (l.kind == LaneKind::Busy) {
        QColor fill(0x2e, 0x7d, 0x32);
        p.setPen(Qt::NoPen);
        p.setBrush(fill);
        p.drawRects(g.busyBars.data(), int(g.busyBars.size()));
        p.setBrush(Qt::NoBrush);
    } else if (l.kind == LaneKind::Gaps) {
        for (int c = 0; c < kGapCauseCount; ++c) {
            const auto& rects = g.gapRects[size_t(c)];
            p.setBrush(gapCauseColor(GapCause(c)));
            p.drawRects(rects.data(), int(rects.size()));
        }
        p.setBrush(Qt::NoBrush);
        p.setPen(Qt::white);
        const QFontMetrics fm = p.fontMetrics();
        for (const LaneLabel& lab : g.gapLabels) {
            const QString text = fm.elidedText(dur(report->gaps.gaps[lab.item].dur), Qt::ElideRight, int(lab.rect.width()) - 4);
            if (text.size() > 1) p.drawText(lab.rect, Qt::AlignCenter, text);
        }
        // Dead windows: one fill per kind (cold ones red and outlined), labels where they fit.
        std::vector<QRectF> warm, cold;
        for (const DeadWindowItem& d : g.deadWindows)
            appendMerged(report->deadWindows.windows[d.window].cold ? cold : warm, d.rect);
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(0xb3, 0x9d, 0xdb));
        p.drawRects(warm.data(), int(warm.size()));
        p.setBrush(QColor(0xc6, 0x28, 0x28));
        p.setPen(QPen(Qt::black, 1));
        p.drawRects(cold.data(), int(cold.size()));
        p.setBrush(Qt::NoBrush);
        for (size_t i = 0; i < g.deadWindows.size(); ++i) {
            const DeadWindowItem& d = g.deadWindows[i];
            const QRectF room = labelRoomOf(g.deadWindows, i);
            if (room.width() < 60 || d.count > 1) continue;
            const DeadWindow& dw = report->deadWindows.windows[d.window];
            p.setPen(dw.cold ? Qt::white : Qt::black);
            const QString name = QString::fromStdString(report->deadWindows.rangeNameOf(dw));
            const QString text = fm.elidedText(QStringLiteral("%1 dead %2%3").arg(name, dur(dw.durNs),
                                                                                  dw.cold ? QStringLiteral(" (cold)") : QString()),
                                               Qt::ElideRight, int(room.width()) - 4);
            p.drawText(room, Qt::AlignCenter, text);
        }
    }
    p.restore();
}

void TimelineState::paintRuler(QPainter& p) {
    const int width = viewSize().width();
    p.fillRect(QRect(0, 0, width, kRulerHeight), QColor(0xee, 0xee, 0xee));
    p.setPen(QColor(0xaa, 0xaa, 0xaa));
    p.drawLine(0, kRulerHeight - 1, width, kRulerHeight - 1);
    const double step = niceStep(map.nsPerPx() * 90);  // a label every 90 px or more
    const double first = std::ceil(map.startNs() / step) * step;
    p.setPen(QColor(0x33, 0x33, 0x33));
    const double magnitude = std::max({std::fabs(map.startNs()), std::fabs(map.endNs()) / 10, step});
    for (double t = first; t < map.endNs(); t += step) {
        const double x = kNameWidth + map.x(t);
        p.drawLine(QPointF(x, kRulerHeight - 8), QPointF(x, kRulerHeight - 1));
        p.drawText(QPointF(x + 3, kRulerHeight - 11), tickLabel(std::fabs(t) < step / 2 ? 0.0 : t, step, magnitude));
    }
    // The name column's corner shows the visible span.
    p.fillRect(QRect(0, 0, kNameWidth, kRulerHeight), QColor(0xe4, 0xe4, 0xe4));
    p.drawText(QRect(6, 0, kNameWidth - 8, kRulerHeight), Qt::AlignVCenter | Qt::AlignLeft,
               QStringLiteral("span ") + dur(TimeNs(std::llround(map.spanNs()))));
    if (hasRange) {
        const double x0 = kNameWidth + map.x(double(rangeStart)), x1 = kNameWidth + map.x(double(rangeEnd));
        QRectF r(std::max(x0, double(kNameWidth)), 2, std::max(1.0, std::min(x1, double(width)) - std::max(x0, double(kNameWidth))), 12);
        p.fillRect(r, kSelection);
        p.setPen(Qt::white);
        p.drawText(r, Qt::AlignCenter, dur(rangeEnd - rangeStart));
    }
}

void TimelineState::paintNames(QPainter& p) {
    p.save();
    p.setClipRect(QRect(0, kRulerHeight, kNameWidth, viewSize().height() - kRulerHeight));
    const QFontMetrics fm = p.fontMetrics();
    for (size_t i = 0; i < lanes.size(); ++i) {
        if (laneTop[i] < 0) continue;
        const int y = laneViewY(i), h = laneHeight[i];
        if (y + h < kRulerHeight || y > viewSize().height()) continue;
        const Lane& l = lanes[i];
        if (l.kind == LaneKind::GroupHeader) {
            p.fillRect(QRect(0, y, kNameWidth, h), kHeader.darker(108));
            p.setPen(Qt::black);
            QFont bold = p.font();
            bold.setBold(true);
            p.setFont(bold);
            const QString arrow = collapsed.count(l.process) ? QStringLiteral("▸ ") : QStringLiteral("▾ ");
            p.drawText(QRect(6, y, kNameWidth - 8, h), Qt::AlignVCenter | Qt::AlignLeft,
                       QFontMetrics(bold).elidedText(arrow + QString::fromStdString(l.name), Qt::ElideRight, kNameWidth - 10));
            p.setFont(QFont());
            continue;
        }
        p.fillRect(QRect(0, y, kNameWidth, h), QColor(0xf7, 0xf7, 0xf7));
        p.setPen(QColor(0xcc, 0xcc, 0xcc));
        p.drawLine(0, y + h - 1, kNameWidth, y + h - 1);
        p.setPen(l.kind == LaneKind::Slices ? Qt::black : QColor(0x44, 0x44, 0x44));
        p.drawText(QRect(14, y, kNameWidth - 18, std::min(h, kRowHeight + 2 * kLanePad)), Qt::AlignVCenter | Qt::AlignLeft,
                   fm.elidedText(QString::fromStdString(l.name), Qt::ElideRight, kNameWidth - 18));
    }
    p.setPen(QColor(0xaa, 0xaa, 0xaa));
    p.drawLine(kNameWidth - 1, kRulerHeight, kNameWidth - 1, viewSize().height());
    p.restore();
}

void TimelineState::paintOverlays(QPainter& p) {
    const int width = viewSize().width(), height = viewSize().height();
    p.save();
    p.setClipRect(QRect(kNameWidth, kRulerHeight, width - kNameWidth, height - kRulerHeight));

    // Dead windows as bands over the range's thread lane; neighbouring bands merged into one fill.
    if (report) {
        std::map<int, std::pair<std::vector<QRectF>, std::vector<QRectF>>> bands;  // lane -> (warm, cold)
        for (size_t i = 0; i < lanes.size(); ++i) {
            if (lanes[i].kind != LaneKind::Gaps || laneTop[i] < 0) continue;
            for (const DeadWindowItem& d : geometry(i).deadWindows) {
                const DeadWindow& dw = report->deadWindows.windows[d.window];
                if (!dw.rangeEvent.valid() || dw.rangeEvent.track >= laneOfTrack.size()) continue;
                const int tl = laneOfTrack[dw.rangeEvent.track];
                if (tl < 0 || laneTop[size_t(tl)] < 0) continue;
                auto& list = dw.cold ? bands[tl].second : bands[tl].first;
                appendMerged(list, QRectF(kNameWidth + d.rect.x(), laneViewY(size_t(tl)), d.rect.width(), laneHeight[size_t(tl)]));
            }
        }
        p.setPen(Qt::NoPen);
        for (const auto& [lane, lists] : bands) {
            p.setBrush(QColor(0x7e, 0x57, 0xc2, 35));
            p.drawRects(lists.first.data(), int(lists.first.size()));
            p.setBrush(QColor(0xc6, 0x28, 0x28, 50));
            p.drawRects(lists.second.data(), int(lists.second.size()));
        }
        p.setBrush(Qt::NoBrush);
    }
    paintHighlight(p);
    for (const auto& [a, b] : marks) {
        const double x0 = kNameWidth + map.x(double(a)), x1 = kNameWidth + map.x(double(b));
        p.fillRect(QRectF(x0, kRulerHeight, std::max(1.0, x1 - x0), height), QColor(0xff, 0xc1, 0x07, 50));
        p.setPen(QColor(0xff, 0x8f, 0x00));
        p.drawLine(QPointF(x0, kRulerHeight), QPointF(x0, height));
        p.drawLine(QPointF(x1, kRulerHeight), QPointF(x1, height));
    }
    if (hasRange) {
        const double x0 = kNameWidth + map.x(double(rangeStart)), x1 = kNameWidth + map.x(double(rangeEnd));
        p.fillRect(QRectF(x0, kRulerHeight, std::max(1.0, x1 - x0), height), QColor(0x1a, 0x73, 0xe8, 40));
        p.setPen(kSelection);
        p.drawLine(QPointF(x0, kRulerHeight), QPointF(x0, height));
        p.drawLine(QPointF(x1, kRulerHeight), QPointF(x1, height));
    }
    if (hovered.valid() && !(hovered == selected)) {
        p.setPen(QPen(QColor(0, 0, 0, 140), 1));
        p.setBrush(Qt::NoBrush);
        p.drawRect(sliceRectView(hovered));
    }
    if (const int instance = instanceOf(selected); instance >= 0) paintCollective(p, uint32_t(instance));
    if (selected.valid()) {
        const QRectF r = sliceRectView(selected);
        p.setPen(QPen(Qt::black, 2));
        p.setBrush(Qt::NoBrush);
        p.drawRect(r);
        const EventRef other = trace->linked(selected);
        if (other.valid()) {
            const QRectF o = sliceRectView(other);
            p.setPen(QPen(QColor(0x1a, 0x73, 0xe8), 2));
            p.drawRect(o);
            // Flow arrow from the launch call to the GPU work.
            const bool gpuSide = isGpuWork(trace->kind(selected));
            const QRectF from = gpuSide ? o : r, to = gpuSide ? r : o;
            if (!from.isNull() && !to.isNull()) {
                const QPointF a(from.left(), from.center().y()), b(to.left(), to.center().y());
                QPainterPath path(a);
                const double dy = (b.y() - a.y()) / 2;
                path.cubicTo(a + QPointF(0, dy), b - QPointF(0, dy), b);
                p.setPen(QPen(QColor(0x1a, 0x73, 0xe8), 1.5));
                p.drawPath(path);
                const double dir = b.y() >= a.y() ? -1 : 1;
                QPolygonF head;
                head << b << b + QPointF(-4, 7 * dir) << b + QPointF(4, 7 * dir);
                p.setBrush(QColor(0x1a, 0x73, 0xe8));
                p.drawPolygon(head);
                p.setBrush(Qt::NoBrush);
            }
        }
    }
    p.restore();

    // Legend of gap causes, bottom left of the track area.
    if (report && !report->gaps.gaps.empty()) {
        const QFontMetrics fm = p.fontMetrics();
        int x = kNameWidth + 8;
        const int y = height - 20;
        int total = 0;
        for (int c = 0; c < kGapCauseCount; ++c) total += 18 + fm.horizontalAdvance(QString::fromLatin1(gapCauseLabel(GapCause(c)))) + 10;
        p.fillRect(QRect(x - 4, y - 3, total + 80, 20), QColor(255, 255, 255, 225));
        p.setPen(Qt::black);
        p.drawText(QPoint(x, y + 11), QStringLiteral("gaps:"));
        x += fm.horizontalAdvance(QStringLiteral("gaps: ")) + 4;
        for (int c = 0; c < kGapCauseCount; ++c) {
            p.fillRect(QRect(x, y + 1, 12, 12), gapCauseColor(GapCause(c)));
            x += 16;
            const QString name = QString::fromLatin1(gapCauseLabel(GapCause(c)));
            p.drawText(QPoint(x, y + 11), name);
            x += fm.horizontalAdvance(name) + 12;
        }
    }
    // Stats of the selected range, bottom right.
    if (hasRange) {
        const QString text = QString::fromStdString(rangeStats.toText());
        const QFontMetrics fm = p.fontMetrics();
        const QRect box = fm.boundingRect(QRect(0, 0, 400, 600), Qt::AlignLeft | Qt::TextWordWrap, text).adjusted(-8, -6, 8, 6);
        const QRect at(width - box.width() - 12, height - box.height() - 28, box.width(), box.height());
        p.fillRect(at, QColor(255, 255, 255, 235));
        p.setPen(kSelection);
        p.drawRect(at.adjusted(0, 0, -1, -1));
        p.setPen(Qt::black);
        p.drawText(at.adjusted(8, 6, -8, -6), Qt::AlignLeft | Qt::TextWordWrap, text);
    }
}

// One collective on every rank: each rank's kernel outlined, the part it only waited shaded, a
// dashed line at the last arrival, and a line from each arrival to it; labels say who waited how long.
void TimelineState::paintCollective(QPainter& p, uint32_t instance) {
    const CollectiveInstance& c = job->instances[instance];
    const QColor kCollective(0xe6, 0x51, 0x00);
    const std::vector<Arrival> order = job->arrivalOrder(c);
    struct Mark {
        QRectF rect;
        const Arrival* arrival;
    };
    std::vector<Mark> marks;
    for (const Arrival& a : order) {
        const EventRef e = job->ranks[a.rank].kernels[a.kernel].event;
        const QRectF r = sliceRectView(e);
        if (!r.isNull()) marks.push_back({r, &a});
    }
    if (marks.empty()) return;
    const Mark* last = nullptr;
    for (const Mark& m : marks)
        if (job->ranks[m.arrival->rank].kernels[m.arrival->kernel].event.valid() && m.arrival->rank == c.lastRank) last = &m;
    double top = marks.front().rect.top(), bottom = marks.front().rect.bottom();
    for (const Mark& m : marks) {
        top = std::min(top, m.rect.top());
        bottom = std::max(bottom, m.rect.bottom());
        // The waited part, from the kernel's start to the last arrival.
        const TimeNs start = trace->start(job->ranks[m.arrival->rank].kernels[m.arrival->kernel].event);
        const double wx = kNameWidth + map.x(double(start + m.arrival->waitNs));
        const QRectF waited(m.rect.left(), m.rect.top(), std::max(0.0, std::min(wx, m.rect.right()) - m.rect.left()),
                            m.rect.height());
        p.fillRect(waited, QColor(0xe6, 0x51, 0x00, 70));
        // Just outside the slice, so that the selection's own outline does not hide it.
        p.setPen(QPen(kCollective, 2));
        p.setBrush(Qt::NoBrush);
        p.drawRect(m.rect.adjusted(-2, -2, 2, 2));
    }
    if (last) {
        const double x = last->rect.left();
        p.setPen(QPen(kCollective, 1, Qt::DashLine));
        p.drawLine(QPointF(x, top - 6), QPointF(x, bottom + 6));
        p.setPen(QPen(kCollective, 1.5));
        for (const Mark& m : marks)
            if (&m != last) p.drawLine(QPointF(m.rect.left(), m.rect.center().y()), QPointF(x, last->rect.center().y()));
    }
    const QFontMetrics fm = p.fontMetrics();
    for (const Mark& m : marks) {
        const int rank = job->ranks[m.arrival->rank].rank;
        const QString text = m.arrival->rank == c.lastRank && c.skewNs() > 0
                                 ? QStringLiteral("rank %1 last").arg(rank)
                                 : QStringLiteral("rank %1 waits %2").arg(rank).arg(dur(m.arrival->waitNs));
        const int textWidth = fm.horizontalAdvance(text);
        double x = std::max(m.rect.right(), last ? last->rect.left() : m.rect.right()) + 6;
        // No room on the right: inside the kernel, just before the last arrival (in its waited part).
        if (x + textWidth > viewSize().width() - 4)
            x = std::max<double>(kNameWidth + 4, (last ? last->rect.left() : m.rect.right()) - textWidth - 8);
        const QPointF at(x, m.rect.center().y() + fm.ascent() / 2.0 - 1);
        const QRectF box(at.x() - 3, m.rect.top(), textWidth + 6, m.rect.height());
        p.fillRect(box, QColor(255, 255, 255, 225));
        p.setPen(kCollective.darker(130));
        p.drawText(at, text);
    }
}

// The highlighted row's slices: a translucent fill and a strong outline over each (or each merged
// run of sub-pixel ones), so they stand out whatever their palette colour.
void TimelineState::paintHighlight(QPainter& p) {
    if (!highlight.active()) return;
    std::vector<QRectF> rects;
    for (const NameHighlight::Row& row : highlight.rows()) {
        const int lane = laneOfTrack[row.track];
        if (lane < 0 || laneTop[size_t(lane)] < 0) continue;
        const double y = laneViewY(size_t(lane)) + kLanePad + row.depth * kRowHeight;
        if (y + kRowHeight < kRulerHeight || y > viewSize().height()) continue;
        for (QRectF r : highlight.rects(*trace, row, map, kRowHeight - 1)) rects.push_back(r.translated(kNameWidth, y));
    }
    p.setPen(QPen(QColor(0xff, 0x6d, 0x00), 2));
    p.setBrush(QColor(0xff, 0xd5, 0x4f, 110));
    p.drawRects(rects.data(), int(rects.size()));
    p.setBrush(Qt::NoBrush);
}

void TimelineState::paintHelp(QPainter& p) {
    const QString text = TimelineWidget::keyHelpText();
    const QFontMetrics fm = p.fontMetrics();
    const QRect box = fm.boundingRect(QRect(0, 0, 600, 800), Qt::AlignLeft, text).adjusted(-14, -12, 14, 12);
    const QRect at((viewSize().width() - box.width()) / 2, (viewSize().height() - box.height()) / 2, box.width(), box.height());
    p.fillRect(at, QColor(0x26, 0x32, 0x38, 235));
    p.setPen(Qt::white);
    p.drawText(at.adjusted(14, 12, -14, -12), Qt::AlignLeft, text);
}

}  // namespace gaplens
