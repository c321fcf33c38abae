#pragma once
// The one CUPTI activity collector of a process. CUPTI allows one activity client per process, so
// this is a singleton: the CLI's built-in workloads, gaplens::Session and the injection library all
// go through it.
//
// Cost on the application's threads: what CUPTI's activity API adds per kernel, copy and memset,
// plus, for the API calls that analyses read (launches, copies, syncs, allocation; see
// ApiCallRecorder.h), two timestamps and one append each. Full activity buffers are decoded in
// CUPTI's own worker thread (bufferCompleted), under a lock the app threads never take, except
// through addRange().
#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/capture/CaptureData.h"

namespace gaplens::capture {

struct CollectorOptions {
    bool apiRecords = true;         // CUDA runtime and driver API calls (launch links need them)
    // How API calls are recorded: CUPTI callbacks on the chosen calls only (ApiCallRecorder), or
    // the RUNTIME/DRIVER activity kinds, which make CUPTI intercept every call ("api-activity").
    bool apiCallbacks = true;
    // Driver calls made inside a recorded runtime call (cudaLaunchKernel -> cuLaunchKernel) carry the
    // runtime call's correlation id and are its implementation, not a call of the program's: left out,
    // as the activity kinds leave them out ("nested-driver": recorded).
    bool nestedDriverCalls = false;
    // Measurement settings ("api-launches-only", "api-noop"): see ApiCallRecorderOptions.
    bool apiLaunchesOnly = false;
    bool apiNoop = false;
    bool markers = true;            // NVTX ranges (need NVTX_INJECTION64_PATH; NvtxRecorder records them)
    // NVTX handed to CUPTI's marker activity instead of gaplens' own recorder ("nvtx-cupti"): costs
    // far more per range; kept to measure it (docs/capture-overhead.md).
    bool nvtxThroughCupti = false;
    bool overhead = true;           // module loading, CUPTI buffer flushes
    bool synchronization = true;    // stream/event/context syncs
    bool latencyTimestamps = true;  // kernel queued/submitted times (queue wait vs dispatch latency)
    // Leave out high-frequency query calls that launch, copy, sync and allocate nothing
    // (cudaGetDevice, cudaGetLastError, cuCtxGetCurrent, cuDevicePrimaryCtxGetState, ...): a PyTorch
    // training step makes thousands of them and no analysis reads them (Kineto drops them from its
    // output too). They are disabled one by one after the RUNTIME/DRIVER kinds are enabled; CUPTI
    // still intercepts them (enabling only chosen calls, without the kinds, lost records of calls
    // made after the context existed in our tests on CUDA 13.0). false: every call ("all-apis").
    bool skipQueryApis = true;
    bool systemThreadIds = true;    // gettid() thread ids (match /proc and other tools); else pthread ids
    size_t bufferBytes = 8u << 20;  // one CUPTI activity buffer
    // Where CUPTI keeps the kernel/copy timestamps the GPU writes, until it turns them into records:
    // device buffers of this size (0: CUPTI's default, 3 MB per buffer; "device-buffer-mb=N"), or
    // pinned host memory ("pinned-buffers"). Both take effect only at the process's first start().
    size_t deviceBufferBytes = 0;
    bool pinnedBuffers = false;
    // CUPTI's KERNEL kind instead of CONCURRENT_KERNEL ("serial-kernels"): kernels run one at a
    // time. Only to measure what the instrumentation of each launch costs.
    bool serialKernels = false;
    // While paused (pause()), detach CUPTI from the process (cuptiFinalize) until resume: CUPTI
    // attached with every kind disabled still slows the program down (docs/capture-overhead.md,
    // "A paused capture"). "no-detach" keeps it attached: for a program with a CUPTI client of its
    // own that the framework context does not report (holdAttached() covers torch.profiler).
    bool detachWhilePaused = true;
    // Ranges stamped with the CPU's time-stamp counter rather than CUPTI's timestamp, converted to
    // CUPTI's clock when they are handed over (TscClock.h): 60-80 ns less per range on the H100 host
    // (docs/capture-overhead.md). Where the counter is not invariant (or not x86-64), ranges keep
    // CUPTI's timestamp. "cupti-clock" stamps them with CUPTI's timestamp everywhere.
    bool tscRanges = true;

    // Parses "no-latency,all-apis,api-activity,nested-driver,api-launches-only,api-noop,no-apis,no-markers,nvtx-cupti,
    // no-sync,no-overhead,pthread-tid,pinned-buffers,device-buffer-mb=N,serial-kernels,no-detach,cupti-clock" (the
    // GAPLENS_CAPTURE_OPTIONS variable of the injection library; for measuring what each costs).
    // Unknown words are returned in *unknown.
    static CollectorOptions fromString(const std::string& text, std::string* unknown = nullptr);
};

class CuptiCollector {
public:
    static CuptiCollector& instance();

    // Enables the activity kinds. Returns "" or a one-line error naming the cause (CUPTI in use by
    // another profiler, no driver, insufficient privileges, ...).
    std::string start(const CollectorOptions& options = {});
    // Forces every buffer, also partly filled ones, through bufferCompleted. Blocking.
    void flush();
    // Flushes and disables the activity kinds. Records stay until take(). Cancels a detach that
    // pause() asked for and that has not happened yet.
    void stop();
    // stop(), then, with CollectorOptions::detachWhilePaused, detaches CUPTI from the process at the
    // exit of the next CUDA runtime or driver call (where CUPTI says cuptiFinalize is safe, and as
    // Kineto does after a session): paused, the program runs as if CUPTI were never loaded. start()
    // attaches it again. Returns at once; the detach needs no call of the caller's.
    void pause();
    // Detaches now if pause() asked for it (the callback at a CUDA call's exit calls this).
    void detachIfRequested();
    // While the program runs a CUPTI client of its own (torch.profiler; the framework context says
    // when), a pause leaves CUPTI attached, and a detach not yet done is withdrawn: cuptiFinalize
    // would end that client's session too.
    void holdAttached(bool hold);
    bool running() const { return running_; }
    // Moves the records collected so far out (call flush() or stop() first). NVTX ranges still
    // open are closed at the last timestamp seen and counted in CaptureData::openRanges.
    CaptureData take();
    // Drops everything collected so far (a schedule's warm-up steps).
    void discard();

    // A user range measured by gaplens itself (built-in workloads, gaplens::Range). Thread-safe.
    void addRange(std::string_view name, uint64_t start, uint64_t end);
    // A name that the program's framework uses for its own ranges (torch's record_function), so
    // that the trace tells them from ops (CaptureData::frameworkUserRanges). Thread-safe.
    void addFrameworkUserRange(std::string_view name);
    // CUPTI's clock: ns, CLOCK_REALTIME scale, the same clock as every activity record. While CUPTI
    // is detached (pause()), the time of the detach: calling CUPTI would attach it again.
    static uint64_t now();
    // CUPTI's timestamp into *time, unless CUPTI is detached (then false, and CUPTI left alone).
    static bool attachedTimestamp(uint64_t* time);
    // The calling thread's system thread id (what CUPTI records as threadId).
    static uint32_t threadId();

    // Called by CUPTI (public only so the C callbacks can reach them).
    void onBufferCompleted(uint8_t* buffer, size_t validSize);
    size_t bufferBytes() const { return options_.bufferBytes; }

private:
    CuptiCollector() = default;
    void decodeRecordLocked(const void* record);
    StringId apiName(bool driver, uint32_t cbid);
    StringId kernelName(const char* mangled);
    void disableEnabledKinds();
    // Withdraws pause()'s request if the detach has not happened yet (resumed, or the trace is
    // being written, before any CUDA call).
    void cancelDetach();
    // Moves the API calls the recorder holds into data_, named. Under mutex_.
    void takeRecordedCallsLocked();
    // After a detach: the first correlation id not used yet, for the records of the next attach.
    void continueCorrelationsLocked();

    struct OpenMarker {
        uint64_t start = 0;
        uint32_t pid = 0;
        uint32_t tid = 0;
        StringId name = 0;
    };

    CollectorOptions options_;
    // The CUPTI activity kinds start() enabled (CUpti_ActivityKind values), for stop() to disable.
    std::vector<int> enabledKinds_;
    bool running_ = false;
    bool callbacksRegistered_ = false;
    bool latencyTimestampsOn_ = false;  // cuptiActivityEnableLatencyTimestamps(1) since start()
    std::mutex mutex_;  // guards data_, openMarkers_, names caches
    CaptureData data_;
    std::unordered_map<uint32_t, OpenMarker> openMarkers_;
    std::unordered_map<uint64_t, StringId> apiNames_;
    std::unordered_map<const char*, StringId> kernelNames_;
    uint64_t lastTimestamp_ = 0;
    std::vector<std::string> frameworkUserRanges_;  // kept across take(): names come once per process
    // Added to every correlation id: CUPTI attached again after a detach may count from 1 again,
    // and a kernel must still link to its own launch, not to one from before the pause.
    uint32_t correlationBase_ = 0;
    // pause()'s request: the subscriber whose callback detaches at the next CUDA call's exit.
    std::mutex detachMutex_;  // taken before mutex_, never after it
    void* detachSubscriber_ = nullptr;  // CUpti_SubscriberHandle, null when no detach is pending
    std::atomic<bool> holdAttached_{false};  // holdAttached()
    // Whether CUPTI is detached: a process-wide flag in CuptiCollector.cpp, which now() reads too;
    // written under detachMutex_.
};

// One line for a CUPTI error, naming the likely cause and what to do.
std::string describeCuptiError(int result, std::string_view call);

}  // namespace gaplens::capture
