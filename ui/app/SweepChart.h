#pragma once
// The sweep dock (several runs at different sizes): µs per iteration on the CPU and on the GPU, and
// GPU busy %, over the problem size, with the crossover from overhead- to compute-bound marked.
// It draws core's Sweep as it is.
#include <optional>

#include <QWidget>

#include "core/analysis/Sweep.h"

class QLabel;
class QChartView;

namespace gaplens {

class SweepChart : public QWidget {
    Q_OBJECT
public:
    explicit SweepChart(QWidget* parent = nullptr);
    void setSweep(const std::optional<Sweep>& sweep);
    int seriesCount() const;  // series drawn (tests)

private:
    QChartView* view_ = nullptr;
    QLabel* caption_ = nullptr;
};

}  // namespace gaplens
