#pragma once
// Analysis 7: a sweep over runs at several sizes: one row per run and the crossover size, where
// the runs go from overhead-bound to compute-bound.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/analysis/BoundClass.h"

namespace gaplens {

struct SweepRow {
    std::string label;           // the run (file name)
    int64_t size = 0;            // problem size (N of an NxN matmul), 0 when unknown
    double cpuUsPerIter = 0;     // host time per steady iteration
    double gpuUsPerIter = 0;     // GPU busy time per steady iteration
    double busyPct = 0;
    double launchP50Us = 0;
    double deadColdUs = 0;       // largest cold dead window, 0 when none
    double deadWarmUs = 0;       // median dead window of the steady instances
    double tflops = 0;           // 2 N^3 per iteration over the GPU time, 0 when the size is unknown
    BoundClass cls = BoundClass::Unknown;
};

struct Sweep {
    std::vector<SweepRow> rows;            // sorted by size (unknown sizes last, in given order)
    std::optional<int64_t> crossoverSize;  // first size that is compute-bound after overhead-bound/mixed ones
    std::string crossoverText;             // one line explaining the crossover (or why there is none)
};

Sweep computeSweep(std::vector<SweepRow> rows);

// TFLOP/s of a matmul of size n (2 n^3 flops) taking gpuUs per iteration.
double matmulTflops(int64_t n, double gpuUs);

}  // namespace gaplens
