#include "ui/app/SweepChart.h"

#include <algorithm>
#include <cmath>

#include <QChart>
#include <QChartView>
#include <QLabel>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QPen>
#include <QScatterSeries>
#include <QValueAxis>
#include <QVBoxLayout>

namespace gaplens {

SweepChart::SweepChart(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    view_ = new QChartView(new QChart, this);
    view_->setRenderHint(QPainter::Antialiasing);
    view_->setMinimumHeight(220);
    layout->addWidget(view_, 1);
    caption_ = new QLabel(tr("Open several runs (one per size) to see a sweep."), this);
    caption_->setWordWrap(true);
    layout->addWidget(caption_);
}

int SweepChart::seriesCount() const { return int(view_->chart()->series().size()); }

void SweepChart::setSweep(const std::optional<Sweep>& sweep) {
    QChart* chart = view_->chart();
    chart->removeAllSeries();
    for (QAbstractAxis* axis : chart->axes()) {
        chart->removeAxis(axis);
        delete axis;
    }
    if (!sweep || sweep->rows.empty()) {
        caption_->setText(tr("Open several runs (one per size) to see a sweep."));
        return;
    }
    // x: the size when every run has one (log scale, sizes grow by powers), else the run's index.
    const bool sized = std::all_of(sweep->rows.begin(), sweep->rows.end(), [](const SweepRow& r) { return r.size > 0; });
    auto xOf = [&](size_t i) { return sized ? double(sweep->rows[i].size) : double(i + 1); };

    auto* cpu = new QLineSeries;
    cpu->setName(tr("CPU µs/iter"));
    auto* gpu = new QLineSeries;
    gpu->setName(tr("GPU µs/iter"));
    auto* busy = new QLineSeries;
    busy->setName(tr("GPU busy %"));
    QPen busyPen(QColor(0x2e, 0x9e, 0x5b));
    busyPen.setStyle(Qt::DashLine);
    busyPen.setWidth(2);
    busy->setPen(busyPen);
    double yMin = 1e300, yMax = 0;
    for (size_t i = 0; i < sweep->rows.size(); ++i) {
        const SweepRow& r = sweep->rows[i];
        if (r.cpuUsPerIter > 0) cpu->append(xOf(i), r.cpuUsPerIter);
        if (r.gpuUsPerIter > 0) gpu->append(xOf(i), r.gpuUsPerIter);
        busy->append(xOf(i), r.busyPct);
        for (double v : {r.cpuUsPerIter, r.gpuUsPerIter})
            if (v > 0) {
                yMin = std::min(yMin, v);
                yMax = std::max(yMax, v);
            }
    }
    chart->addSeries(cpu);
    chart->addSeries(gpu);
    chart->addSeries(busy);

    QAbstractAxis* xAxis = nullptr;
    if (sized) {
        auto* a = new QLogValueAxis;
        a->setBase(2);
        a->setLabelFormat(QStringLiteral("%d"));
        a->setTitleText(tr("size N"));
        xAxis = a;
    } else {
        auto* a = new QValueAxis;
        a->setLabelFormat(QStringLiteral("%d"));
        a->setTitleText(tr("run"));
        xAxis = a;
    }
    auto* yTime = new QLogValueAxis;
    yTime->setTitleText(tr("µs per iteration"));
    yTime->setLabelFormat(QStringLiteral("%g"));
    if (yMax > 0) yTime->setRange(std::pow(10.0, std::floor(std::log10(yMin))), std::pow(10.0, std::ceil(std::log10(yMax))));
    auto* yBusy = new QValueAxis;
    yBusy->setRange(0, 100);
    yBusy->setTitleText(tr("GPU busy %"));
    chart->addAxis(xAxis, Qt::AlignBottom);
    chart->addAxis(yTime, Qt::AlignLeft);
    chart->addAxis(yBusy, Qt::AlignRight);
    for (QLineSeries* s : {cpu, gpu}) {
        s->attachAxis(xAxis);
        s->attachAxis(yTime);
    }
    busy->attachAxis(xAxis);
    busy->attachAxis(yBusy);

    if (sweep->crossoverSize && sized) {
        auto* cross = new QLineSeries;
        cross->setName(tr("crossover N=%1").arg(*sweep->crossoverSize));
        QPen pen(QColor(0xcc, 0x00, 0x00));
        pen.setStyle(Qt::DotLine);
        pen.setWidth(2);
        cross->setPen(pen);
        cross->append(double(*sweep->crossoverSize), 0);
        cross->append(double(*sweep->crossoverSize), 100);
        chart->addSeries(cross);
        cross->attachAxis(xAxis);
        cross->attachAxis(yBusy);
    }
    chart->setTitle(tr("Sweep over %n run(s)", nullptr, int(sweep->rows.size())));
    caption_->setText(QString::fromStdString(sweep->crossoverText));
}

}  // namespace gaplens
