#include "core/analysis/Sweep.h"

#include <algorithm>

namespace gaplens {

double matmulTflops(int64_t n, double gpuUs) {
    if (n <= 0 || gpuUs <= 0) return 0.0;
    const double flops = 2.0 * double(n) * double(n) * double(n);
    return flops / (gpuUs * 1e-6) / 1e12;
}

Sweep computeSweep(std::vector<SweepRow> rows) {
    Sweep s;
    // Known sizes ascending; unknown sizes keep their order, after them.
    std::stable_sort(rows.begin(), rows.end(), [](const SweepRow& a, const SweepRow& b) {
        if ((a.size > 0) != (b.size > 0)) return a.size > 0;
        return a.size > 0 && a.size < b.size;
    });
    s.rows = std::move(rows);
    const SweepRow* lastNotCompute = nullptr;
    for (const SweepRow& r : s.rows) {
        if (r.size <= 0 || r.cls == BoundClass::Unknown) continue;
        if (r.cls != BoundClass::ComputeBound) {
            lastNotCompute = &r;
        } else if (lastNotCompute && !s.crossoverSize) {
            s.crossoverSize = r.size;
            s.crossoverText = "crossover between " + std::to_string(lastNotCompute->size) + " (" +
                              std::string(boundClassName(lastNotCompute->cls)) + ") and " + std::to_string(r.size) +
                              " (compute-bound)";
        }
    }
    if (!s.crossoverSize) {
        bool anyCompute = false, anyOther = false;
        for (const SweepRow& r : s.rows) {
            if (r.size <= 0 || r.cls == BoundClass::Unknown) continue;
            (r.cls == BoundClass::ComputeBound ? anyCompute : anyOther) = true;
        }
        if (anyCompute && !anyOther) s.crossoverText = "no crossover: every size is compute-bound";
        else if (anyOther && !anyCompute) s.crossoverText = "no crossover: no size is compute-bound";
        else s.crossoverText = "no crossover: sizes unknown";
    }
    return s;
}

}  // namespace gaplens
