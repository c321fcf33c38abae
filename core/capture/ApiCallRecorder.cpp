#include "core/capture/ApiCallRecorder.h"

#include <pthread.h>

#include <cupti.h>

#include "core/capture/CuptiCollector.h"
#include "core/capture/DrainThread.h"
#include "core/capture/ForkSafety.h"

namespace gaplens::capture {
namespace {

bool startsWith(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && text.compare(0, prefix.size(), prefix) == 0;
}

// Recorded runtime calls currently running on this thread: a driver call made inside one is the
// runtime call's own implementation (cudaLaunchKernel -> cuLaunchKernel). Tagged with the
// recorder's start count, so a call that was running when the recorder stopped does not leave a
// stale depth behind for the next start.
struct RuntimeNesting {
    uint32_t generation = 0;
    int depth = 0;
};
thread_local RuntimeNesting t_runtimeNesting;

uint32_t callingThreadId(bool systemThreadIds) {
    if (systemThreadIds) return CuptiCollector::threadId();
    return static_cast<uint32_t>(pthread_self());
}

void CUPTIAPI onApiCallback(void* userdata, CUpti_CallbackDomain domain, CUpti_CallbackId cbid, const void* data) {
    if (domain != CUPTI_CB_DOMAIN_RUNTIME_API && domain != CUPTI_CB_DOMAIN_DRIVER_API) return;
    auto& recorder = *static_cast<ApiCallRecorder*>(userdata);
    if (recorder.options().recordNothing) return;
    const auto* info = static_cast<const CUpti_CallbackData*>(data);
    const bool driver = domain == CUPTI_CB_DOMAIN_DRIVER_API;
    RuntimeNesting& nesting = t_runtimeNesting;
    if (nesting.generation != recorder.generation()) nesting = {recorder.generation(), 0};
    if (driver && nesting.depth > 0 && !recorder.options().nestedDriverCalls) return;
    if (info->callbackSite == CUPTI_API_ENTER) {
        if (!driver) ++nesting.depth;
        uint64_t now = 0;
        cuptiGetTimestamp(&now);
        *info->correlationData = now;  // CUPTI keeps this per call, from enter to exit
        return;
    }
    if (!driver && nesting.depth > 0) --nesting.depth;
    ApiRecord call;
    cuptiGetTimestamp(&call.end);
    call.start = *info->correlationData;
    if (call.start == 0 || call.start > call.end) return;  // entered before the recorder started
    call.tid = callingThreadId(recorder.options().systemThreadIds);
    call.correlation = continuedCorrelation(info->correlationId, recorder.options().correlationBase);
    call.cbid = cbid;
    call.driver = driver;
    recorder.append(call);
}

}  // namespace

bool isRecordedApiCall(std::string_view n) {
    // Keep in step with what core/analysis reads: launches and graph launches (launch latency, gap
    // causes), copies, memsets and syncs (sync gaps, pageable copies), and the one-time calls of
    // HostActivity's isOneTimeCallName (setup gaps, dead-window breakdown).
    static constexpr std::string_view prefixes[] = {
        // launches
        "cudaLaunch", "cuLaunch", "cudaGraphLaunch", "cuGraphLaunch", "cudaGraphInstantiate", "cuGraphInstantiate",
        "cudaStreamBeginCapture", "cudaStreamEndCapture", "cuStreamBeginCapture", "cuStreamEndCapture",
        // copies and memsets
        "cudaMemcpy", "cuMemcpy", "cudaMemset", "cuMemset", "cudaMemPrefetch", "cuMemPrefetch",
        // blocking and ordering calls
        "cudaDeviceSynchronize", "cudaThreadSynchronize", "cudaStreamSynchronize", "cudaEventSynchronize",
        "cudaStreamWaitEvent", "cuCtxSynchronize", "cuStreamSynchronize", "cuEventSynchronize", "cuStreamWaitEvent",
        // one-time work: allocation, mapping, modules, streams, events, contexts
        "cudaMalloc", "cudaFree", "cudaHostAlloc", "cudaHostRegister", "cudaHostUnregister", "cuMemAlloc",
        "cuMemFree", "cuMemCreate", "cuMemRelease", "cuMemMap", "cuMemUnmap", "cuMemSetAccess", "cuMemAddressReserve",
        "cuMemAddressFree", "cuMemHostAlloc", "cuMemHostRegister", "cuMemHostUnregister", "cuModuleLoad",
        "cuModuleUnload", "cuLibraryLoad", "cuLibraryUnload", "cuModuleGetFunction", "cudaStreamCreate",
        "cuStreamCreate", "cudaEventCreate", "cuEventCreate", "cuCtxCreate", "cuDevicePrimaryCtxRetain", "cuInit",
        "cudaGetSymbolAddress", "cudaFuncSetAttribute", "cuFuncSetAttribute"};
    for (std::string_view p : prefixes)
        if (startsWith(n, p)) return true;
    return false;
}

ApiCallRecorder& ApiCallRecorder::instance() {
    static ApiCallRecorder* recorder = [] {  // never destroyed: CUPTI may call back at exit
        installForkHandlers();
        return new ApiCallRecorder();
    }();
    return *recorder;
}

void ApiCallRecorder::lockForFork() {
    drainMutex_.lock();
    mutex_.lock();
}

void ApiCallRecorder::unlockAfterFork() {
    mutex_.unlock();
    drainMutex_.unlock();
}

std::string ApiCallRecorder::start(const ApiCallRecorderOptions& options) {
    if (subscribed_) return "";
    addToDrainThread(&ApiCallRecorder::drainInstance);
    options_ = options;
    generation_.fetch_add(1);
    CUpti_SubscriberHandle subscriber = nullptr;
    char otherSubscriber[CUPTI_OLD_SUBSCRIBER_NAME_MIN_LEN + 64] = {};
    CUpti_SubscriberParams params{};
    params.structSize = CUpti_SubscriberParams_STRUCT_SIZE;
    params.subscriberName = "gaplens";
    params.oldSubscriberName = otherSubscriber;
    params.oldSubscriberSize = sizeof otherSubscriber;
    if (CUptiResult r = cuptiSubscribe_v2(&subscriber, onApiCallback, this, &params); r != CUPTI_SUCCESS) {
        std::string line = describeCuptiError(r, "cuptiSubscribe");
        if (otherSubscriber[0]) line += " [in use by: " + std::string(otherSubscriber) + "]";
        return line;
    }
    struct Domain {
        CUpti_CallbackDomain domain;
        uint32_t size;
    };
    for (const Domain& d : {Domain{CUPTI_CB_DOMAIN_RUNTIME_API, CUPTI_RUNTIME_TRACE_CBID_SIZE},
                            Domain{CUPTI_CB_DOMAIN_DRIVER_API, CUPTI_DRIVER_TRACE_CBID_SIZE}}) {
        for (uint32_t cbid = 1; cbid < d.size; ++cbid) {
            const char* name = nullptr;
            if (cuptiGetCallbackName(d.domain, cbid, &name) != CUPTI_SUCCESS || !name) continue;
            if (!isRecordedApiCall(name)) continue;
            if (options.launchesOnly && !startsWith(name, "cudaLaunch") && !startsWith(name, "cuLaunch")) continue;
            if (CUptiResult r = cuptiEnableCallback(1, subscriber, d.domain, cbid); r != CUPTI_SUCCESS) {
                cuptiUnsubscribe(subscriber);
                return describeCuptiError(r, std::string("cuptiEnableCallback(") + name + ")");
            }
        }
    }
    subscriber_ = subscriber;
    subscribed_ = true;
    return "";
}

void ApiCallRecorder::stop() {
    if (!subscribed_) return;
    cuptiUnsubscribe(static_cast<CUpti_SubscriberHandle>(subscriber_));
    subscriber_ = nullptr;
    subscribed_ = false;
}

void ApiCallRecorder::append(const ApiRecord& call) {
    std::lock_guard lock(mutex_);
    if (chunk_.capacity() == 0) {
        if (!spareChunks_.empty()) {
            chunk_ = std::move(spareChunks_.back());
            spareChunks_.pop_back();
        } else {
            chunk_.reserve(kChunkCalls);
            chunksAllocated_.fetch_add(1, std::memory_order_relaxed);
        }
    }
    chunk_.push_back(call);
    if (chunk_.size() == kChunkCalls) fullChunks_.push_back(std::move(chunk_)), chunk_ = {};
}

void ApiCallRecorder::drain() {
    std::lock_guard drainLock(drainMutex_);
    drainLocked();
}

void ApiCallRecorder::drainLocked() {
    std::vector<std::vector<ApiRecord>> full;
    {
        std::lock_guard lock(mutex_);
        full.swap(fullChunks_);
    }
    if (full.empty()) return;
    for (std::vector<ApiRecord>& c : full) {
        drained_.insert(drained_.end(), c.begin(), c.end());
        c.clear();  // capacity kept: the memory the next chunk is written into
    }
    std::lock_guard lock(mutex_);
    for (std::vector<ApiRecord>& c : full) spareChunks_.push_back(std::move(c));
}

std::vector<ApiRecord> ApiCallRecorder::take() {
    // Under drainMutex_ throughout: a drain that has taken chunks but not yet stored their calls
    // finishes first, so no call is left behind for a take() that may be the last.
    std::lock_guard drainLock(drainMutex_);
    {
        // The chunk being written goes with the full ones, so that one drain moves every call so far.
        std::lock_guard lock(mutex_);
        if (!chunk_.empty()) fullChunks_.push_back(std::move(chunk_)), chunk_ = {};
    }
    drainLocked();
    std::vector<ApiRecord> calls;
    calls.swap(drained_);
    return calls;
}

}  // namespace gaplens::capture
