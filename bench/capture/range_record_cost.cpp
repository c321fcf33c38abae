// What recording one of torch's ranges costs gaplens, per range, on this machine, with the collector
// running on a live CUDA context: the timestamp (cuptiGetTimestamp, against clock_gettime on the
// clock CUPTI documents for Linux), an NVTX push/pop of a torch name ("aten::mm, seq = N, op_id =
// M", split at push), and an ITT task begin/end through a string handle (IttCollector.h). Medians
// of 9 repetitions. In a tight loop the recorder's memory stays in the core's caches, which it does
// not in a training process, where torch's own work runs between two ranges: so the ITT range is
// also measured between bursts of other memory traffic (a stride through 16 MB), as the time of
// both minus the time of the traffic alone. These are gaplens' share of the framework context; torch's own share (building
// the range per op) is measured by bench/capture/framework_op_cost.py. Without a GPU the collector
// is not started and the recorder is measured alone (the figures then leave out a live context).
//   range_record_cost
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include <cuda_runtime.h>
#include <cupti.h>

#include "bench/capture/BetweenOtherWork.h"
#include "core/capture/ApiCallRecorder.h"
#include "core/capture/CuptiCollector.h"
#include "core/capture/DrainThread.h"
#include "core/capture/IttCollector.h"
#include "core/capture/NvtxRecorder.h"

using namespace gaplens::capture;

namespace {

template <class F>
double nsPer(int n, F&& body) {
    std::vector<double> reps;
    for (int r = 0; r < 9; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        for (int i = 0; i < n; ++i) body(i);
        reps.push_back(std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count() / n);
    }
    std::nth_element(reps.begin(), reps.begin() + 4, reps.end());
    return reps[4];
}

uint64_t clockNs(clockid_t clock) {
    timespec ts{};
    clock_gettime(clock, &ts);
    return uint64_t(ts.tv_sec) * 1000000000ull + uint64_t(ts.tv_nsec);
}

}  // namespace

int main() {
    const bool live = cudaFree(nullptr) == cudaSuccess;
    if (!live) std::printf("range_record_cost: no CUDA device: the recorder alone, without a live context\n");
    if (std::string err = live ? CuptiCollector::instance().start() : ""; !err.empty()) {
        std::printf("range_record_cost: %s\n", err.c_str());
        return 1;
    }
    volatile uint64_t sink = 0;
    std::printf("cuptiGetTimestamp          %7.1f ns\n", nsPer(1000000, [&](int) { uint64_t t; cuptiGetTimestamp(&t); sink = sink + t; }));
    std::printf("clock_gettime(REALTIME)    %7.1f ns\n", nsPer(1000000, [&](int) { sink = sink + clockNs(CLOCK_REALTIME); }));
    std::printf("clock_gettime(MONOTONIC)   %7.1f ns\n", nsPer(1000000, [&](int) { sink = sink + clockNs(CLOCK_MONOTONIC); }));
    uint64_t cupti = 0;
    cuptiGetTimestamp(&cupti);
    const uint64_t real = clockNs(CLOCK_REALTIME);
    std::printf("cuptiGetTimestamp - REALTIME: %lld ns\n", (long long)(cupti - real));

    NvtxRecorder& recorder = NvtxRecorder::instance();
    recorder.setEnabled(true);
    const char* ops[] = {"aten::mm", "aten::add", "aten::native_layer_norm", "aten::view", "aten::empty_strided",
                         "aten::_to_copy", "aten::copy_", "aten::addmm", "aten::t", "aten::relu"};
    std::vector<std::string> nvtxNames;
    for (int i = 0; i < 4096; ++i)
        nvtxNames.push_back(std::string(ops[i % 10]) + ", seq = " + std::to_string(1000 + i) + ", op_id = " + std::to_string(90000 + i));
    IttDomain* torch = itt::domainCreate("PyTorch");
    CaptureData sinkData;
    std::printf("NVTX push+pop (torch name) %7.1f ns\n", nsPer(200000, [&](int i) {
                    recorder.push(nvtxNames[size_t(i) & 4095]);
                    recorder.pop();
                }));
    recorder.take(sinkData, 0);
    std::printf("ITT begin+end (handle)     %7.1f ns\n", nsPer(200000, [&](int i) {
                    itt::taskBegin(torch, itt::stringHandleCreate(ops[i % 10]));
                    itt::taskEnd(torch);
                }));
    recorder.take(sinkData, 0);
    const auto range = gaplens::bench::costBetweenOtherWork(512, 61, [&](int i) {
        itt::taskBegin(torch, itt::stringHandleCreate(ops[i % 10]));
        itt::taskEnd(torch);
    });
    recorder.take(sinkData, 0);
    std::printf("ITT begin+end, between other work %7.1f ns (the other work alone: %.0f ns)\n", range.addedNs,
                range.otherWorkNs);
    // What the API-call callback does per recorded call (ApiCallRecorder.h): two timestamps and an append.
    ApiCallRecorder& calls = ApiCallRecorder::instance();
    addToDrainThread(&ApiCallRecorder::drainInstance);  // as ApiCallRecorder::start() does
    const auto call = gaplens::bench::costBetweenOtherWork(512, 61, [&](int i) {
        const uint64_t start = CuptiCollector::now();
        calls.append({start, CuptiCollector::now(), 0, 1, uint32_t(i), 211, 0, false});
    });
    std::printf("API call record, between other work %5.1f ns (the other work alone: %.0f ns; %zu calls)\n",
                call.addedNs, call.otherWorkNs, calls.take().size());
    recorder.setEnabled(false);
    std::printf("ranges recorded: %zu\n", sinkData.ranges.size());
    if (live) CuptiCollector::instance().stop();
    return 0;
}
