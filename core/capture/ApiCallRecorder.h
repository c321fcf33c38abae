#pragma once
// Records the CUDA runtime and driver calls that gaplens' analyses read: launches, copies, memsets,
// synchronization, allocation, module loading, stream/event creation, graph capture and launch.
//
// Why CUPTI's callback API, one call id at a time, and not the RUNTIME/DRIVER activity kinds: with
// those kinds on, CUPTI intercepts every runtime and driver call of the process, also the thousands
// of query calls per training step that no analysis reads (cudaGetDevice, cuCtxGetCurrent, ...),
// and disabling them one by one after the fact did not remove that cost (a PyTorch training step
// went 11.0 -> 15.5 ms on an H100). With callbacks enabled only for the chosen call ids, the other
// calls run untouched. Each recorded call costs two timestamps and one append under a lock that
// only the application's own CUDA threads take, into a chunk of memory written before: the drain
// thread (DrainThread.h) moves full chunks' calls into the store that take() returns and hands the
// chunks back, so the application's threads do not pay the page faults of a growing store.
//
// Correlation ids come from CUPTI's callback data: the same ids its kernel, memcpy and memset
// activity records carry, so launch -> GPU work links are exact.
#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/capture/CaptureData.h"

namespace gaplens::capture {

// The selection: true for the calls recorded, by CUPTI's callback name (runtime names carry a
// version suffix, "cudaLaunchKernel_v7000"; prefixes match both spellings).
bool isRecordedApiCall(std::string_view cuptiName);

// A correlation id as recorded: CUPTI's, moved past the ids of earlier attaches (CuptiCollector's
// pause() with a detach); 0, "none", stays 0. For the recorded calls and the activity records alike.
inline uint32_t continuedCorrelation(uint32_t cuptiId, uint32_t base) { return cuptiId ? cuptiId + base : 0; }

struct ApiCallRecorderOptions {
    bool systemThreadIds = true;   // gettid(); else pthread_self(), as CUPTI's default thread ids
    bool nestedDriverCalls = false;  // also record driver calls made inside a recorded runtime call
    uint32_t correlationBase = 0;    // added to CUPTI's correlation ids (CuptiCollector::pause())
    // For measuring where the cost is (capture_overhead's modes), not for use:
    bool launchesOnly = false;  // only the launch calls
    bool recordNothing = false; // callbacks enabled, each returns at once
};

class ApiCallRecorder {
public:
    static ApiCallRecorder& instance();

    // Subscribes to CUPTI's callbacks and enables the selected call ids. Returns "" or a one-line
    // error (another CUPTI subscriber, named where CUPTI tells it).
    std::string start(const ApiCallRecorderOptions& options);
    // Unsubscribes. Calls recorded so far stay until take().
    void stop();
    bool running() const { return subscribed_; }
    // Moves the calls recorded so far out, in no particular order. Their pid and name are left
    // for the caller (the collector) to fill in: the callback keeps to what it must record.
    std::vector<ApiRecord> take();
    // Moves the full chunks' calls into the store take() returns and keeps the chunks for reuse
    // (take() does it too).
    void drain();
    // instance().drain(): what the drain thread calls, once start() (or a benchmark) added it.
    static void drainInstance() { instance().drain(); }
    // Chunks allocated so far: once the drain hands chunks back, recording allocates none.
    uint64_t chunksAllocated() const { return chunksAllocated_.load(std::memory_order_relaxed); }

    // Fork (ForkSafety.h): the recorder's locks (drain, then append), held across a fork.
    void lockForFork();
    void unlockAfterFork();

    // Called from CUPTI's callback (public only so the C callback can reach it).
    void append(const ApiRecord& call);
    const ApiCallRecorderOptions& options() const { return options_; }
    uint32_t generation() const { return generation_.load(std::memory_order_relaxed); }

private:
    ApiCallRecorder() = default;

    // Calls are appended to fixed-size chunks, so that growing never copies what an application
    // thread already wrote while it holds the lock; chunks the drain emptied wait in spareChunks_.
    static constexpr size_t kChunkCalls = 4096;
    ApiCallRecorderOptions options_;
    void* subscriber_ = nullptr;  // CUpti_SubscriberHandle
    bool subscribed_ = false;
    std::atomic<uint32_t> generation_{0};  // start() count
    std::mutex mutex_;
    std::vector<std::vector<ApiRecord>> fullChunks_;
    std::vector<std::vector<ApiRecord>> spareChunks_;  // emptied by the drain, capacity kept
    std::vector<ApiRecord> chunk_;
    std::atomic<uint64_t> chunksAllocated_{0};
    // One drain or take() at a time, from start to end (it owns drained_); mutex_ is taken inside
    // it, briefly, never the other way round.
    std::mutex drainMutex_;
    std::vector<ApiRecord> drained_;   // full chunks' calls, moved here by drain()
    void drainLocked();
};

}  // namespace gaplens::capture
