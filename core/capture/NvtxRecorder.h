#pragma once
// gaplens' own NVTX tool: the injection library hands NVTX's callback tables to this recorder
// (InitializeInjectionNvtx2), so every nvtxRangePush/Pop, nvtxRangeStart/End and their domain
// forms of the program land here, on the thread that made them, in CUPTI's clock.
//
// Why not CUPTI's marker activity (what NVTX was forwarded to before): with the framework context
// on, torch pushes an NVTX range for every op, thousands per training step, and CUPTI's marker
// path cost a PyTorch training step more than all the rest of the capture together (+47 points
// against +22 for kernels, copies and CUDA calls: docs/capture-overhead.md). Here a push is a
// timestamp, a name lookup in a per-thread table and an append, under a per-thread lock that only
// take() ever contends.
//
// torch's op ranges ("aten::mm, seq = 12, op_id = 345", TorchRangeName.h) are split at push time:
// the bare name is interned once per thread, the ids are kept as numbers.
#include <atomic>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/capture/CaptureData.h"

namespace gaplens::capture {

class NvtxRecorder {
public:
    static NvtxRecorder& instance();

    // Installs the handlers into NVTX's callback tables. `getExportTable` is the
    // NvtxGetExportTableFunc_t that NVTX passes to InitializeInjectionNvtx2. Returns false when
    // NVTX offers no callback table (then NVTX stays a no-op).
    bool install(const void* getExportTable);
    // Ranges are recorded only while enabled (the capture runs); ranges pushed while disabled are
    // kept on the thread's stack as placeholders so that pushes and pops stay paired.
    void setEnabled(bool enabled) { enabled_.store(enabled, std::memory_order_relaxed); }
    bool enabled() const { return enabled_.load(std::memory_order_relaxed); }

    // Moves every finished range into `out` (names interned in out.strings). Ranges still open are
    // closed at `closeAt` and counted in out.openRanges.
    void take(CaptureData& out, uint64_t closeAt);

    // The handlers, public for the C callbacks and for tests (which call them directly).
    void push(std::string_view message);
    void pop();
    // One of torch's ranges whose name the caller keeps interned process-wide (IttCollector's
    // string handles): `nameIndex` is that name's index, so a push is a table index, not a lookup.
    void pushFramework(uint32_t nameIndex, std::string_view name);
    uint64_t start(std::string_view message);  // returns the range id (process-wide ranges)
    void end(uint64_t id);

private:
    NvtxRecorder() = default;
    std::atomic<bool> enabled_{false};
    std::atomic<bool> sawFrameworkItt_{false}, sawFrameworkNvtx_{false};  // for CaptureData::frameworkVia
    static void note(std::atomic<bool>& seen) {
        if (!seen.load(std::memory_order_relaxed)) seen.store(true, std::memory_order_relaxed);
    }
    std::atomic<int> installs_{0};  // NVTX keeps one table per library that includes it: each hands us its own
};

}  // namespace gaplens::capture
