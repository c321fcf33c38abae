#pragma once
// gaplens' own range recorder: the injection library hands NVTX's callback tables to it
// (InitializeInjectionNvtx2), so every nvtxRangePush/Pop, nvtxRangeStart/End and their domain forms
// of the program land here, on the thread that made them, in CUPTI's clock; and torch's ITT ranges
// come here too (IttCollector.h).
//
// Why not CUPTI's marker activity (what NVTX was forwarded to before): with the framework context
// on, torch opens a range for every op, thousands per training step, and CUPTI's marker path cost
// a PyTorch training step more than all the rest of the capture together (docs/capture-overhead.md).
//
// What a range costs the thread that opens it is what the framework context costs, so a push or a
// pop touches as little memory as it can: it appends one event (a timestamp and a process-wide
// name index) to its own thread's buffer, with no lock, in memory it has written before. A thread's
// buffer is a chain of chunks with one writer (the thread) and one reader (the drain): a chunk's
// count is published with a release store, and the drain (DrainThread.h, every 20 ms, and take(),
// which drains first) pairs the events into ranges and hands each chunk
// the writer has moved past back to it. A writer writes fresh memory only while the drain lags.
//
// torch's NVTX op ranges ("aten::mm, seq = 12, op_id = 345", TorchRangeName.h) are split at push
// time; each thread keeps its own map from a name to its process-wide index, so the shared name
// table is locked only for a name the thread has not seen.
#include <atomic>
#include <cstdint>
#include <string_view>

#include "core/capture/CaptureData.h"

namespace gaplens::capture {

class NvtxRecorder {
public:
    static NvtxRecorder& instance() { return instance_; }

    // Installs the handlers into NVTX's callback tables. `getExportTable` is the
    // NvtxGetExportTableFunc_t that NVTX passes to InitializeInjectionNvtx2. Returns false when
    // NVTX offers no callback table (then NVTX stays a no-op).
    bool install(const void* getExportTable);
    // Ranges are recorded only while enabled (the capture runs); a range opened while disabled, or
    // closed while disabled, leaves no record, and pushes and pops stay paired across the switch.
    // Enabling adds the recorder to the drain thread (DrainThread.h: it pairs the threads' events
    // now and then and hands their buffers back, so that recording writes to memory already in use).
    void setEnabled(bool enabled);
    // Ranges stamped with the CPU's time-stamp counter, mapped to CUPTI's clock when taken
    // (TscClock.h), or with CUPTI's timestamp (until set; the collector sets the counter where it
    // is invariant, unless "cupti-clock"). Set while disabled, before a capture: a capture's ranges
    // are all stamped one way.
    void setTscStamps(bool tsc);
    bool enabled() const { return enabled_.load(std::memory_order_relaxed); }

    // Moves every finished range into `out` (names interned in out.strings). Ranges still open are
    // closed at `closeAt` and counted in out.openRanges (their later close leaves no second record).
    void take(CaptureData& out, uint64_t closeAt);

    // Buffer chunks allocated so far, all threads together: once the drain hands chunks back, a
    // thread that keeps recording allocates none.
    static uint64_t chunksAllocated();

    // Fork (ForkSafety.h): every lock of the recorder, taken in the order it nests them, and released.
    static void lockForFork();
    static void unlockAfterFork();

    // The process-wide index of a range name (interned once; thread-safe).
    uint32_t nameIndex(std::string_view name);

    // The handlers, public for the C callbacks and for tests (which call them directly).
    void push(std::string_view message);
    // One of torch's ranges whose name the caller interned (nameIndex): a push is a table index.
    void pushFramework(uint32_t nameIndex);
    void pop();
    uint64_t start(std::string_view message);  // returns the range id (process-wide ranges)
    void end(uint64_t id);

private:
    constexpr NvtxRecorder() = default;
    static NvtxRecorder instance_;
    std::atomic<bool> enabled_{false};
    std::atomic<int> installs_{0};  // NVTX keeps one table per library that includes it: each hands us its own
    std::atomic<bool> sawFrameworkItt_{false}, sawFrameworkNvtx_{false};  // for CaptureData::frameworkVia
    static void note(std::atomic<bool>& seen) {
        if (!seen.load(std::memory_order_relaxed)) seen.store(true, std::memory_order_relaxed);
    }
};

}  // namespace gaplens::capture
