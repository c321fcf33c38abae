// What capture costs the application: µs/iter of the matmul_add loop (cuBLAS bf16 GEMM + add
// kernel, one gaplens::Range per step) untraced and under the CUPTI collector, measured in one
// process with the modes interleaved (each rep in a rotated order). The goal: <= 3% over untraced
// (torch.profiler costs ~25% on the same loop in PyTorch: bench/torch_loop_overhead.py).
//
// Each rep times every mode once; a mode's overhead is the median over reps of its time over the
// bare time *of the same rep* (paired), so that the machine's drift between reps cancels. The
// spread of those ratios (p25..p75) and the `bare_again` mode (a second untraced mode) show how
// far the numbers can be trusted.
//
//   capture_overhead [--size 64] [--iters 500] [--reps 61] [--modes bare,bare_again,gaplens_full,...]
//                    [--options "pinned-buffers,device-buffer-mb=32"]   (process-wide collector settings)
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

double quantile(std::vector<double> v, double q) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[size_t(q * double(v.size() - 1) + 0.5)];
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
    int size = 64, iters = 500, reps = 61;
    std::string only, processOptions;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--size")) size = std::atoi(argv[i + 1]);
        if (!std::strcmp(argv[i], "--iters")) iters = std::atoi(argv[i + 1]);
        if (!std::strcmp(argv[i], "--reps")) reps = std::atoi(argv[i + 1]);
        if (!std::strcmp(argv[i], "--modes")) only = argv[i + 1];
        if (!std::strcmp(argv[i], "--options")) processOptions = argv[i + 1];
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
    std::string unknown;
    const CollectorOptions base = CollectorOptions::fromString(processOptions, &unknown);
    if (!unknown.empty()) {
        std::fprintf(stderr, "capture_overhead: unknown --options words: %s\n", unknown.c_str());
        return 2;
    }
    // The default records API calls through callbacks on the chosen calls; "activity" is the
    // RUNTIME/DRIVER activity kinds, which make CUPTI intercept every API call.
    CollectorOptions noLatency = base;
    noLatency.latencyTimestamps = false;
    CollectorOptions apiActivity = base;
    apiActivity.apiCallbacks = false;
    // Where the API-call cost is: callbacks that return at once, and callbacks on launches only.
    CollectorOptions apiNoop = base;
    apiNoop.apiNoop = true;
    CollectorOptions apiLaunchesOnly = base;
    apiLaunchesOnly.apiLaunchesOnly = true;
    CollectorOptions kernelsOnly = base;
    kernelsOnly.apiRecords = false;
    kernelsOnly.latencyTimestamps = false;
    kernelsOnly.markers = kernelsOnly.overhead = kernelsOnly.synchronization = false;
    CollectorOptions kernelsLatency = kernelsOnly;  // what latency timestamps add to kernel tracing
    kernelsLatency.latencyTimestamps = true;
    CollectorOptions kernelsSerial = kernelsOnly;  // CUPTI's serializing KERNEL kind: other instrumentation
    kernelsSerial.serialKernels = true;
    // bare_again: a second untraced mode, whose distance from bare is the noise floor of the run.
    const Mode allModes[] = {{"bare", false, base},
                             {"bare_again", false, base},
                             {"gaplens_full", true, base},
                             {"gaplens_no_latency_ts", true, noLatency},
                             {"gaplens_api_activity", true, apiActivity},
                             {"gaplens_api_callbacks_noop", true, apiNoop},
                             {"gaplens_api_launches_only", true, apiLaunchesOnly},
                             {"gaplens_kernels_only", true, kernelsOnly},
                             {"gaplens_kernels_latency_ts", true, kernelsLatency},
                             {"gaplens_kernels_serial", true, kernelsSerial}};
    std::vector<Mode> modes;
    for (const Mode& m : allModes)
        if (only.empty() || m.traced == false || ("," + only + ",").find(std::string(",") + m.name + ",") != std::string::npos)
            modes.push_back(m);
    std::vector<std::vector<double>> results(modes.size()), ratios(modes.size());
    std::vector<size_t> events(modes.size(), 0);
    const size_t modeCount = modes.size();
    std::vector<double> thisRep(modeCount);
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
            thisRep[m] = timeLoop(*loop, iters);
            results[m].push_back(thisRep[m]);
            if (modes[m].traced) {
                collector.stop();
                CaptureData d = collector.take();
                events[m] = d.apis.size() + d.gpu.size() + d.ranges.size();
            }
        }
        for (size_t m = 0; m < modeCount; ++m) ratios[m].push_back(thisRep[m] / thisRep[0]);
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
    std::printf("capture_overhead options=\"%s\" size=%d iters=%d reps=%d\n", processOptions.c_str(), size, iters, reps);
    for (size_t m = 0; m < modeCount; ++m) {
        const auto pct = [](double ratio) { return 100.0 * (ratio - 1.0); };
        std::printf("capture_overhead size=%d mode=%s us_per_iter=%.2f overhead_pct=%.2f (p25 %.2f, p75 %.2f) "
                    "events_per_iter=%.1f\n",
                    size, modes[m].name, quantile(results[m], 0.5), pct(quantile(ratios[m], 0.5)),
                    pct(quantile(ratios[m], 0.25)), pct(quantile(ratios[m], 0.75)), double(events[m]) / iters);
    }
    return 0;
}
