// What capture costs the application: µs/iter of the matmul_add loop (cuBLAS bf16 GEMM + add
// kernel, one gaplens::Range per step) untraced and under the CUPTI collector, measured in one
// process with the modes interleaved, median of --reps. The goal: <= 3% over untraced
// (torch.profiler costs ~25% on the same loop in PyTorch: bench/torch_loop_overhead.py).
//
//   capture_overhead [--size 64] [--iters 3000] [--reps 7]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "core/capture/CuptiCollector.h"
#include "core/capture/Session.h"
#include "core/capture/Workloads.h"

using namespace gaplens::capture;

namespace {

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

double timeLoop(MatmulAddLoop& loop, int iters) {
    loop.synchronize();
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < iters; ++i) {
        gaplens::Range range("matmul_add");
        loop.step();
    }
    loop.synchronize();
    const auto t1 = std::chrono::steady_clock::now();
    return std::chrono::duration<double, std::micro>(t1 - t0).count() / iters;
}

}  // namespace

int main(int argc, char** argv) {
    int size = 64, iters = 3000, reps = 7;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--size")) size = std::atoi(argv[i + 1]);
        if (!std::strcmp(argv[i], "--iters")) iters = std::atoi(argv[i + 1]);
        if (!std::strcmp(argv[i], "--reps")) reps = std::atoi(argv[i + 1]);
    }
    if (std::string why = checkCudaDevice(); !why.empty()) {
        std::printf("capture_overhead: skipped: %s\n", why.c_str());
        return 0;
    }
    std::string error;
    auto loop = MatmulAddLoop::create(WorkloadVariant::MatmulAdd, size, 1, &error);
    if (!loop) {
        std::fprintf(stderr, "capture_overhead: %s\n", error.c_str());
        return 1;
    }
    timeLoop(*loop, 500);  // cuBLAS heuristics, kernel loading, clocks up

    struct Mode {
        const char* name;
        bool traced;
        CollectorOptions options;
    };
    CollectorOptions noLatency;
    noLatency.latencyTimestamps = false;
    CollectorOptions allApis;
    allApis.skipQueryApis = false;
    CollectorOptions kernelsOnly;
    kernelsOnly.apiRecords = false;
    kernelsOnly.latencyTimestamps = false;
    kernelsOnly.markers = kernelsOnly.overhead = kernelsOnly.synchronization = false;
    const Mode modes[] = {{"bare", false, {}},
                          {"gaplens_full", true, {}},
                          {"gaplens_no_latency_ts", true, noLatency},
                          {"gaplens_all_apis", true, allApis},
                          {"gaplens_kernels_only", true, kernelsOnly}};
    std::vector<std::vector<double>> results(std::size(modes));
    size_t events = 0;
    for (int r = 0; r < reps; ++r) {
        for (size_t m = 0; m < std::size(modes); ++m) {
            CuptiCollector& collector = CuptiCollector::instance();
            if (modes[m].traced) {
                if (std::string err = collector.start(modes[m].options); !err.empty()) {
                    std::fprintf(stderr, "capture_overhead: %s\n", err.c_str());
                    return 3;
                }
            }
            results[m].push_back(timeLoop(*loop, iters));
            if (modes[m].traced) {
                collector.stop();
                CaptureData d = collector.take();
                if (m == 1) events = d.apis.size() + d.gpu.size() + d.ranges.size();
            }
        }
    }
    const double bare = median(results[0]);
    for (size_t m = 0; m < std::size(modes); ++m) {
        const double t = median(results[m]);
        std::printf("capture_overhead size=%d mode=%s us_per_iter=%.2f overhead_pct=%.2f\n", size, modes[m].name, t,
                    100.0 * (t - bare) / bare);
    }
    std::printf("capture_overhead size=%d events_per_iter=%.1f (full mode)\n", size, double(events) / iters);
    return 0;
}
