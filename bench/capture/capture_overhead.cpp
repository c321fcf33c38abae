// What capture costs the application: µs/iter of the matmul_add loop (cuBLAS bf16 GEMM + add
// kernel, one gaplens::Range per step) untraced and under the CUPTI collector, measured in one
// process with the modes interleaved (each rep in a rotated order), median of --reps. The goal: <= 3% over untraced
// (torch.profiler costs ~25% on the same loop in PyTorch: bench/torch_loop_overhead.py).
//
//   capture_overhead [--size 64] [--iters 2000] [--reps 21]
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
    int size = 64, iters = 2000, reps = 21;
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
    // The default records API calls through callbacks on the chosen calls; "activity" is the
    // RUNTIME/DRIVER activity kinds, which make CUPTI intercept every API call.
    CollectorOptions noLatency;
    noLatency.latencyTimestamps = false;
    CollectorOptions apiActivity;
    apiActivity.apiCallbacks = false;
    // Where the API-call cost is: callbacks that return at once, and callbacks on launches only.
    CollectorOptions apiNoop;
    apiNoop.apiNoop = true;
    CollectorOptions apiLaunchesOnly;
    apiLaunchesOnly.apiLaunchesOnly = true;
    CollectorOptions kernelsOnly;
    kernelsOnly.apiRecords = false;
    kernelsOnly.latencyTimestamps = false;
    kernelsOnly.markers = kernelsOnly.overhead = kernelsOnly.synchronization = false;
    // bare_again: a second untraced mode, whose distance from bare is the noise floor of the run.
    const Mode modes[] = {{"bare", false, {}},
                          {"bare_again", false, {}},
                          {"gaplens_full", true, {}},
                          {"gaplens_no_latency_ts", true, noLatency},
                          {"gaplens_api_activity", true, apiActivity},
                          {"gaplens_api_callbacks_noop", true, apiNoop},
                          {"gaplens_api_launches_only", true, apiLaunchesOnly},
                          {"gaplens_kernels_only", true, kernelsOnly}};
    std::vector<std::vector<double>> results(std::size(modes));
    std::vector<size_t> events(std::size(modes), 0);
    const size_t modeCount = std::size(modes);
    for (int r = 0; r < reps; ++r) {
        // Each rep starts at another mode, so that no mode always follows the same one.
        for (size_t step = 0; step < modeCount; ++step) {
            const size_t m = (step + size_t(r)) % modeCount;
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
                events[m] = d.apis.size() + d.gpu.size() + d.ranges.size();
            }
        }
    }
    // What one timestamp costs on this machine (four per recorded API call, two per range).
    {
        const int n = 1000000;
        const auto t0 = std::chrono::steady_clock::now();
        uint64_t sink = 0;
        for (int i = 0; i < n; ++i) sink += CuptiCollector::now();
        const auto t1 = std::chrono::steady_clock::now();
        std::printf("capture_overhead cuptiGetTimestamp_ns=%.1f (checksum %llu)\n",
                    std::chrono::duration<double, std::nano>(t1 - t0).count() / n, (unsigned long long)(sink & 1));
    }
    const double bare = median(results[0]);
    for (size_t m = 0; m < std::size(modes); ++m) {
        const double t = median(results[m]);
        std::printf("capture_overhead size=%d mode=%s us_per_iter=%.2f overhead_pct=%.2f events_per_iter=%.1f\n", size,
                    modes[m].name, t, 100.0 * (t - bare) / bare, double(events[m]) / iters);
    }
    return 0;
}
