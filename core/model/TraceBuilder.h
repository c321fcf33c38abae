#pragma once
// A small fluent helper to build traces in code: hand-made test traces with exact numbers, and
// synthetic traces for benchmarks. Times are in ns; nothing here is specific to one source format.
#include <string>
#include <string_view>

#include "core/model/Trace.h"

namespace gaplens {

class TraceBuilder {
public:
    TraceBuilder() = default;

    // `file`: the input file it belongs to (several ranks or runs in one trace).
    uint32_t process(int64_t pid, std::string name, uint32_t file = 0) {
        return trace_.addProcess(pid, std::move(name), file);
    }
    uint32_t cpuThread(uint32_t process, int64_t tid, std::string name = {}) {
        if (name.empty()) name = "thread " + std::to_string(tid);
        return trace_.addTrack(process, TrackKind::CpuThread, tid, std::move(name));
    }
    uint32_t gpuStream(uint32_t process, int32_t device, int64_t stream) {
        return trace_.addTrack(process, TrackKind::GpuStream, stream, "stream " + std::to_string(stream), device);
    }
    uint32_t overheadTrack(uint32_t process) {
        return trace_.addTrack(process, TrackKind::Overhead, 0, "CUPTI overhead");
    }

    // Any event. Category defaults to the kind's Kineto name.
    TraceBuilder& event(uint32_t track, EventKind kind, std::string_view name, TimeNs start, TimeNs dur,
                        int64_t correlation = 0, std::string_view argsJson = {}) {
        const StringId cat = trace_.strings.intern(eventKindName(kind));
        trace_.addEvent(track, start, dur, trace_.strings.intern(name), cat, kind, correlation,
                        argsJson.empty() ? 0 : trace_.argTexts.intern(argsJson));
        return *this;
    }
    TraceBuilder& op(uint32_t track, std::string_view name, TimeNs start, TimeNs dur) {
        return event(track, EventKind::CpuOp, name, start, dur);
    }
    TraceBuilder& range(uint32_t track, std::string_view name, TimeNs start, TimeNs dur) {
        return event(track, EventKind::UserRange, name, start, dur);
    }
    // A runtime launch call and the kernel it launched, linked by `correlation`.
    TraceBuilder& launch(uint32_t cpuTrack, uint32_t gpuTrack, std::string_view kernel, TimeNs apiStart,
                         TimeNs apiDur, TimeNs kernelStart, TimeNs kernelDur, int64_t correlation,
                         EventKind api = EventKind::RuntimeApi) {
        event(cpuTrack, api, api == EventKind::DriverApi ? "cuLaunchKernelEx" : "cudaLaunchKernel", apiStart,
              apiDur, correlation);
        return event(gpuTrack, EventKind::Kernel, kernel, kernelStart, kernelDur, correlation);
    }

    // Finalizes (sorts, nests, links). The builder is spent afterwards. Times are kept as given
    // (no rebase) so that tests can state expected values in the builder's own clock.
    Trace build() {
        trace_.finalize(/*rebase=*/false);
        return std::move(trace_);
    }

    Trace& trace() { return trace_; }

private:
    Trace trace_;
};

}  // namespace gaplens
