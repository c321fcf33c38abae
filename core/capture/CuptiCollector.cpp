#include "core/capture/CuptiCollector.h"

#include "core/capture/ApiCallRecorder.h"
#include "core/capture/NvtxRecorder.h"
#include "core/capture/SharedCorrelations.h"
#include "core/capture/TscClock.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <cupti.h>
#include <cxxabi.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace gaplens::capture {
namespace {

// Activity buffers come straight from mmap: fresh pages are zero, so CUPTI need not clear each
// buffer on the application's thread (CUPTI_ACTIVITY_ATTR_ZEROED_OUT_ACTIVITY_BUFFER).
void CUPTIAPI bufferRequested(uint8_t** buffer, size_t* size, size_t* maxNumRecords) {
    const size_t bytes = CuptiCollector::instance().bufferBytes();
    void* memory = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    *buffer = memory == MAP_FAILED ? nullptr : static_cast<uint8_t*>(memory);
    *size = *buffer ? bytes : 0;
    *maxNumRecords = 0;
}

void CUPTIAPI bufferCompleted(CUcontext, uint32_t, uint8_t* buffer, size_t size, size_t validSize) {
    CuptiCollector::instance().onBufferCompleted(buffer, validSize);
    if (buffer) ::munmap(buffer, size);
}

const char* memoryKindName(uint8_t kind) {
    switch (kind) {
    case CUPTI_ACTIVITY_MEMORY_KIND_PAGEABLE: return "Pageable";
    case CUPTI_ACTIVITY_MEMORY_KIND_PINNED: return "Pinned";
    case CUPTI_ACTIVITY_MEMORY_KIND_DEVICE: return "Device";
    case CUPTI_ACTIVITY_MEMORY_KIND_ARRAY: return "Array";
    case CUPTI_ACTIVITY_MEMORY_KIND_MANAGED: return "Managed";
    case CUPTI_ACTIVITY_MEMORY_KIND_DEVICE_STATIC: return "Device Static";
    case CUPTI_ACTIVITY_MEMORY_KIND_MANAGED_STATIC: return "Managed Static";
    default: return "Unknown";
    }
}

const char* copyKindName(uint8_t kind) {
    switch (kind) {
    case CUPTI_ACTIVITY_MEMCPY_KIND_HTOD: return "HtoD";
    case CUPTI_ACTIVITY_MEMCPY_KIND_DTOH: return "DtoH";
    case CUPTI_ACTIVITY_MEMCPY_KIND_HTOA: return "HtoA";
    case CUPTI_ACTIVITY_MEMCPY_KIND_ATOH: return "AtoH";
    case CUPTI_ACTIVITY_MEMCPY_KIND_ATOA: return "AtoA";
    case CUPTI_ACTIVITY_MEMCPY_KIND_ATOD: return "AtoD";
    case CUPTI_ACTIVITY_MEMCPY_KIND_DTOA: return "DtoA";
    case CUPTI_ACTIVITY_MEMCPY_KIND_DTOD: return "DtoD";
    case CUPTI_ACTIVITY_MEMCPY_KIND_HTOH: return "HtoH";
    case CUPTI_ACTIVITY_MEMCPY_KIND_PTOP: return "PtoP";
    default: return "Unknown";
    }
}

// Kineto's names for overhead records, so traces from both tools read the same.
const char* overheadName(CUpti_ActivityOverheadKind kind) {
    switch (kind) {
    case CUPTI_ACTIVITY_OVERHEAD_DRIVER_COMPILER: return "JIT Compilation";
    case CUPTI_ACTIVITY_OVERHEAD_CUPTI_BUFFER_FLUSH: return "Activity Buffer Flush";
    case CUPTI_ACTIVITY_OVERHEAD_CUPTI_INSTRUMENTATION: return "Instrumentation";
    case CUPTI_ACTIVITY_OVERHEAD_CUPTI_RESOURCE: return "Resource";
    case CUPTI_ACTIVITY_OVERHEAD_RUNTIME_TRIGGERED_MODULE_LOADING: return "Runtime Triggered Module Loading";
    case CUPTI_ACTIVITY_OVERHEAD_LAZY_FUNCTION_LOADING: return "Lazy Function Loading";
    case CUPTI_ACTIVITY_OVERHEAD_COMMAND_BUFFER_FULL: return "Command Buffer Full";
    case CUPTI_ACTIVITY_OVERHEAD_ACTIVITY_BUFFER_REQUEST: return "Activity Buffer Request";
    case CUPTI_ACTIVITY_OVERHEAD_UVM_ACTIVITY_INIT: return "UVM Activity Init";
    default: return "Unknown Overhead";
    }
}

const char* syncName(CUpti_ActivitySynchronizationType type) {
    switch (type) {
    case CUPTI_ACTIVITY_SYNCHRONIZATION_TYPE_EVENT_SYNCHRONIZE: return "Event Sync";
    case CUPTI_ACTIVITY_SYNCHRONIZATION_TYPE_STREAM_WAIT_EVENT: return "Stream Wait Event";
    case CUPTI_ACTIVITY_SYNCHRONIZATION_TYPE_STREAM_SYNCHRONIZE: return "Stream Sync";
    case CUPTI_ACTIVITY_SYNCHRONIZATION_TYPE_CONTEXT_SYNCHRONIZE: return "Context Sync";
    default: return "Unknown Sync";
    }
}

// Query calls that launch, copy, synchronize and allocate nothing, made thousands of times per
// training step by frameworks and libraries (cuBLAS asks the device and context on every call).
constexpr CUpti_CallbackId kSkippedRuntimeApis[] = {
    CUPTI_RUNTIME_TRACE_CBID_cudaGetDevice_v3020,
    CUPTI_RUNTIME_TRACE_CBID_cudaGetLastError_v3020,
    CUPTI_RUNTIME_TRACE_CBID_cudaPeekAtLastError_v3020,
    CUPTI_RUNTIME_TRACE_CBID_cudaGetErrorString_v3020,
    CUPTI_RUNTIME_TRACE_CBID_cudaGetErrorName_v6050,
    CUPTI_RUNTIME_TRACE_CBID_cudaDeviceGetAttribute_v5000,
    CUPTI_RUNTIME_TRACE_CBID_cudaStreamIsCapturing_v10000,
    CUPTI_RUNTIME_TRACE_CBID_cudaStreamIsCapturing_ptsz_v10000,
    CUPTI_RUNTIME_TRACE_CBID_cudaStreamGetCaptureInfo_v10010,
    CUPTI_RUNTIME_TRACE_CBID_cudaStreamGetCaptureInfo_ptsz_v10010,
    CUPTI_RUNTIME_TRACE_CBID_cudaStreamGetCaptureInfo_v2_v11030,
    CUPTI_RUNTIME_TRACE_CBID_cudaStreamGetCaptureInfo_v2_ptsz_v11030,
    CUPTI_RUNTIME_TRACE_CBID_cudaStreamGetCaptureInfo_v12030,
    CUPTI_RUNTIME_TRACE_CBID_cudaStreamGetCaptureInfo_ptsz_v12030,
    CUPTI_RUNTIME_TRACE_CBID_cudaGetDeviceCount_v3020,
    CUPTI_RUNTIME_TRACE_CBID_cudaFuncGetAttributes_v3020,
    CUPTI_RUNTIME_TRACE_CBID_cudaPointerGetAttributes_v4000,
    CUPTI_RUNTIME_TRACE_CBID_cudaDriverGetVersion_v3020,
    CUPTI_RUNTIME_TRACE_CBID_cudaRuntimeGetVersion_v3020,
    CUPTI_RUNTIME_TRACE_CBID_cudaOccupancyMaxActiveBlocksPerMultiprocessor_v6000,
    CUPTI_RUNTIME_TRACE_CBID_cudaOccupancyMaxActiveBlocksPerMultiprocessorWithFlags_v7000,
    CUPTI_RUNTIME_TRACE_CBID_cudaOccupancyAvailableDynamicSMemPerBlock_v10200,
    CUPTI_RUNTIME_TRACE_CBID_cudaOccupancyMaxPotentialClusterSize_v11070,
    CUPTI_RUNTIME_TRACE_CBID_cudaOccupancyMaxActiveClusters_v11070,
    CUPTI_RUNTIME_TRACE_CBID_cudaStreamGetPriority_v5050,
    CUPTI_RUNTIME_TRACE_CBID_cudaStreamGetPriority_ptsz_v7000,
    CUPTI_RUNTIME_TRACE_CBID_cudaStreamGetFlags_v5050,
    CUPTI_RUNTIME_TRACE_CBID_cudaStreamGetFlags_ptsz_v7000,
    CUPTI_RUNTIME_TRACE_CBID_cudaThreadExchangeStreamCaptureMode_v10010,
};
constexpr CUpti_CallbackId kSkippedDriverApis[] = {
    CUPTI_DRIVER_TRACE_CBID_cuDevicePrimaryCtxGetState,
    CUPTI_DRIVER_TRACE_CBID_cuCtxGetCurrent,
    CUPTI_DRIVER_TRACE_CBID_cuCtxSetCurrent,
    CUPTI_DRIVER_TRACE_CBID_cuCtxPushCurrent,
    CUPTI_DRIVER_TRACE_CBID_cuCtxPushCurrent_v2,
    CUPTI_DRIVER_TRACE_CBID_cuCtxPopCurrent,
    CUPTI_DRIVER_TRACE_CBID_cuCtxPopCurrent_v2,
    CUPTI_DRIVER_TRACE_CBID_cuCtxGetDevice,
    CUPTI_DRIVER_TRACE_CBID_cuCtxGetDevice_v2,
    CUPTI_DRIVER_TRACE_CBID_cuCtxGetId,
    CUPTI_DRIVER_TRACE_CBID_cuCtxGetFlags,
    CUPTI_DRIVER_TRACE_CBID_cuCtxGetLimit,
    CUPTI_DRIVER_TRACE_CBID_cuKernelGetName,
    CUPTI_DRIVER_TRACE_CBID_cuKernelGetAttribute,
    CUPTI_DRIVER_TRACE_CBID_cuKernelGetFunction,
    CUPTI_DRIVER_TRACE_CBID_cuFuncGetAttribute,
    CUPTI_DRIVER_TRACE_CBID_cuFuncGetName,
    CUPTI_DRIVER_TRACE_CBID_cuLibraryGetKernel,
    CUPTI_DRIVER_TRACE_CBID_cuGetErrorString,
    CUPTI_DRIVER_TRACE_CBID_cuGetErrorName,
    CUPTI_DRIVER_TRACE_CBID_cuDriverGetVersion,
    CUPTI_DRIVER_TRACE_CBID_cuGetProcAddress,
    CUPTI_DRIVER_TRACE_CBID_cuGetProcAddress_v2,
    CUPTI_DRIVER_TRACE_CBID_cuDeviceGetAttribute,
    CUPTI_DRIVER_TRACE_CBID_cuDeviceGetCount,
    CUPTI_DRIVER_TRACE_CBID_cuPointerGetAttribute,
    CUPTI_DRIVER_TRACE_CBID_cuPointerGetAttributes,
    CUPTI_DRIVER_TRACE_CBID_cuStreamGetCaptureInfo,
    CUPTI_DRIVER_TRACE_CBID_cuStreamGetCaptureInfo_ptsz,
    CUPTI_DRIVER_TRACE_CBID_cuStreamGetCaptureInfo_v2,
    CUPTI_DRIVER_TRACE_CBID_cuStreamGetCaptureInfo_v2_ptsz,
    CUPTI_DRIVER_TRACE_CBID_cuStreamGetCaptureInfo_v3,
    CUPTI_DRIVER_TRACE_CBID_cuStreamGetCaptureInfo_v3_ptsz,
    CUPTI_DRIVER_TRACE_CBID_cuStreamIsCapturing,
    CUPTI_DRIVER_TRACE_CBID_cuStreamIsCapturing_ptsz,
    CUPTI_DRIVER_TRACE_CBID_cuStreamGetCtx,
    CUPTI_DRIVER_TRACE_CBID_cuStreamGetCtx_ptsz,
    CUPTI_DRIVER_TRACE_CBID_cuStreamGetId,
    CUPTI_DRIVER_TRACE_CBID_cuStreamGetId_ptsz,
    CUPTI_DRIVER_TRACE_CBID_cuThreadExchangeStreamCaptureMode,
};

// The fields kernel, memcpy and memset records share (the record types differ, the names do not).
template <typename CuptiRecord>
GpuRecord gpuRecordOf(GpuRecordKind kind, const CuptiRecord& r, uint32_t correlationBase) {
    GpuRecord g;
    g.kind = kind;
    g.start = r.start;
    g.end = r.end;
    g.device = r.deviceId;
    g.context = r.contextId;
    g.stream = r.streamId;
    g.correlation = continuedCorrelation(r.correlationId, correlationBase);
    g.graphNodeId = r.graphNodeId;
    return g;
}

}  // namespace

CollectorOptions CollectorOptions::fromString(const std::string& text, std::string* unknown) {
    CollectorOptions o;
    size_t pos = 0;
    while (pos <= text.size()) {
        size_t comma = text.find(',', pos);
        if (comma == std::string::npos) comma = text.size();
        const std::string word = text.substr(pos, comma - pos);
        pos = comma + 1;
        if (word.empty()) continue;
        if (word == "no-latency") o.latencyTimestamps = false;
        else if (word == "all-apis") o.skipQueryApis = false;
        else if (word == "api-activity") o.apiCallbacks = false;
        else if (word == "nested-driver") o.nestedDriverCalls = true;
        else if (word == "api-launches-only") o.apiLaunchesOnly = true;
        else if (word == "api-noop") o.apiNoop = true;
        else if (word == "no-apis") o.apiRecords = false;
        else if (word == "no-markers") o.markers = false;
        else if (word == "nvtx-cupti") o.nvtxThroughCupti = true;
        else if (word == "no-sync") o.synchronization = false;
        else if (word == "no-overhead") o.overhead = false;
        else if (word == "pthread-tid") o.systemThreadIds = false;
        else if (word == "pinned-buffers") o.pinnedBuffers = true;
        else if (word == "serial-kernels") o.serialKernels = true;
        else if (word == "no-detach") o.detachWhilePaused = false;
        else if (word == "detach-while-paused") o.detachWhilePaused = true;  // the default; still accepted
        else if (word == "cupti-clock") o.tscRanges = false;
        else if (word == "tsc") o.tscRanges = true;  // the default; still accepted
        else if (const std::string_view mb = "device-buffer-mb="; word.rfind(mb, 0) == 0 && word.size() > mb.size() &&
                 word.size() <= mb.size() + 5 && word.find_first_not_of("0123456789", mb.size()) == std::string::npos)
            o.deviceBufferBytes = size_t(std::stoul(word.substr(mb.size()))) << 20;
        else if (unknown) *unknown += (unknown->empty() ? "" : ",") + word;
    }
    return o;
}

std::string describeCuptiError(int result, std::string_view call) {
    const char* text = nullptr;
    cuptiGetResultString(static_cast<CUptiResult>(result), &text);
    std::string line = std::string(call) + " failed: " + (text ? text : "unknown CUPTI error");
    switch (result) {
    case CUPTI_ERROR_MULTIPLE_SUBSCRIBERS_NOT_SUPPORTED:
        line += " (another profiler already uses CUPTI in this process: Nsight Systems, torch.profiler/Kineto, "
                "DCGM profiling; stop it or capture without it)";
        break;
    case CUPTI_ERROR_INSUFFICIENT_PRIVILEGES:
        line += " (GPU performance counters are restricted to admin users: see NVreg_RestrictProfilingToAdminUsers)";
        break;
    case CUPTI_ERROR_NOT_INITIALIZED:
        line += " (no usable CUDA driver or GPU: check nvidia-smi)";
        break;
    default: break;
    }
    return line;
}

CuptiCollector& CuptiCollector::instance() {
    static CuptiCollector* collector = new CuptiCollector();  // never destroyed: CUPTI may call back at exit
    return *collector;
}

namespace {
// While CUPTI is detached (CuptiCollector::pause()), now() answers the time of the detach instead of
// asking CUPTI: any CUPTI call attaches it again, and a range pushed before the pause still pops.
// Constant-initialized: now() is on every recorded range's path.
constinit std::atomic<bool> g_detached{false};
constinit std::atomic<uint64_t> g_detachedAt{0};
}  // namespace

uint64_t CuptiCollector::now() {
    if (g_detached.load(std::memory_order_acquire)) return g_detachedAt.load(std::memory_order_relaxed);
    uint64_t t = 0;
    cuptiGetTimestamp(&t);
    return t;
}

bool CuptiCollector::attachedTimestamp(uint64_t* time) {
    if (g_detached.load(std::memory_order_acquire)) return false;
    cuptiGetTimestamp(time);
    return true;
}

uint32_t CuptiCollector::threadId() {
    thread_local const uint32_t tid = static_cast<uint32_t>(::syscall(SYS_gettid));
    return tid;
}

std::string CuptiCollector::start(const CollectorOptions& options) {
    if (running_) return "";
    cancelDetach();  // paused and resumed before any CUDA call: still attached
    {
        std::lock_guard detachLock(detachMutex_);
        if (g_detached.load()) {
            // CUPTI forgot everything at the detach: registrations and attributes are set again
            // below, and the ids it gives from here on must not meet those recorded before.
            g_detached.store(false, std::memory_order_release);
            callbacksRegistered_ = false;
            std::lock_guard lock(mutex_);
            continueCorrelationsLocked();
        }
    }
    options_ = options;
    {
        std::lock_guard lock(mutex_);
        data_.pid = static_cast<uint32_t>(::getpid());
    }
    // System thread ids (gettid), so CUPTI's records, NVTX markers and our own ranges agree.
    if (CUptiResult r = cuptiSetThreadIdType(options.systemThreadIds ? CUPTI_ACTIVITY_THREAD_ID_TYPE_SYSTEM
                                                                     : CUPTI_ACTIVITY_THREAD_ID_TYPE_DEFAULT);
        r != CUPTI_SUCCESS)
        return describeCuptiError(r, "cuptiSetThreadIdType");
    if (!callbacksRegistered_) {
        uint8_t zeroedBuffers = 1;
        size_t attributeSize = sizeof zeroedBuffers;
        cuptiActivitySetAttribute(CUPTI_ACTIVITY_ATTR_ZEROED_OUT_ACTIVITY_BUFFER, &attributeSize, &zeroedBuffers);
        // Device-side record storage: set before the first kind is enabled, when CUPTI allocates it.
        if (options.pinnedBuffers) {
            uint8_t pinned = 1;
            size_t size = sizeof pinned;
            cuptiActivitySetAttribute(CUPTI_ACTIVITY_ATTR_MEM_ALLOCATION_TYPE_HOST_PINNED, &size, &pinned);
        }
        if (options.deviceBufferBytes > 0) {
            size_t bytes = options.deviceBufferBytes;
            size_t size = sizeof bytes;
            cuptiActivitySetAttribute(CUPTI_ACTIVITY_ATTR_DEVICE_BUFFER_SIZE, &size, &bytes);
        }
        if (CUptiResult r = cuptiActivityRegisterCallbacks(bufferRequested, bufferCompleted); r != CUPTI_SUCCESS)
            return describeCuptiError(r, "cuptiActivityRegisterCallbacks");
        callbacksRegistered_ = true;
    }
    if (options.latencyTimestamps) {
        if (CUptiResult r = cuptiActivityEnableLatencyTimestamps(1); r != CUPTI_SUCCESS)
            return describeCuptiError(r, "cuptiActivityEnableLatencyTimestamps");
        latencyTimestampsOn_ = true;
    }
    const bool apiActivity = options.apiRecords && !options.apiCallbacks;
    if (options.apiRecords && options.apiCallbacks) {
        ApiCallRecorderOptions recorderOptions;
        recorderOptions.systemThreadIds = options.systemThreadIds;
        recorderOptions.nestedDriverCalls = options.nestedDriverCalls;
        recorderOptions.launchesOnly = options.apiLaunchesOnly;
        recorderOptions.recordNothing = options.apiNoop;
        {
            std::lock_guard lock(mutex_);
            recorderOptions.correlationBase = correlationBase_;
        }
        if (std::string err = ApiCallRecorder::instance().start(recorderOptions); !err.empty()) return err;
    }
    struct Kind {
        CUpti_ActivityKind kind;
        bool wanted;
        const char* what;
    };
    const Kind kinds[] = {
        {CUPTI_ACTIVITY_KIND_CONCURRENT_KERNEL, !options.serialKernels, "cuptiActivityEnable(CONCURRENT_KERNEL)"},
        {CUPTI_ACTIVITY_KIND_KERNEL, options.serialKernels, "cuptiActivityEnable(KERNEL)"},
        {CUPTI_ACTIVITY_KIND_MEMCPY, true, "cuptiActivityEnable(MEMCPY)"},
        {CUPTI_ACTIVITY_KIND_MEMSET, true, "cuptiActivityEnable(MEMSET)"},
        {CUPTI_ACTIVITY_KIND_RUNTIME, apiActivity, "cuptiActivityEnable(RUNTIME)"},
        {CUPTI_ACTIVITY_KIND_DRIVER, apiActivity, "cuptiActivityEnable(DRIVER)"},
        {CUPTI_ACTIVITY_KIND_MARKER, options.markers && options.nvtxThroughCupti, "cuptiActivityEnable(MARKER)"},
        {CUPTI_ACTIVITY_KIND_OVERHEAD, options.overhead, "cuptiActivityEnable(OVERHEAD)"},
        {CUPTI_ACTIVITY_KIND_SYNCHRONIZATION, options.synchronization, "cuptiActivityEnable(SYNCHRONIZATION)"},
    };
    enabledKinds_.clear();
    for (const Kind& k : kinds) {
        if (!k.wanted) continue;
        if (CUptiResult r = cuptiActivityEnable(k.kind); r != CUPTI_SUCCESS) {
            // Leave nothing half enabled behind.
            disableEnabledKinds();
            ApiCallRecorder::instance().stop();
            return describeCuptiError(r, k.what);
        }
        enabledKinds_.push_back(k.kind);
    }
    // After the RUNTIME/DRIVER kinds: enabling a kind resets the per-call choices.
    if (apiActivity && options.skipQueryApis) {
        for (CUpti_CallbackId cbid : kSkippedRuntimeApis) cuptiActivityEnableRuntimeApi(cbid, 0);
        for (CUpti_CallbackId cbid : kSkippedDriverApis) cuptiActivityEnableDriverApi(cbid, 0);
    }
    // Device records (name, SM count) come when CUDA initializes; optional, so a failure is no error.
    if (cuptiActivityEnable(CUPTI_ACTIVITY_KIND_DEVICE) == CUPTI_SUCCESS) enabledKinds_.push_back(CUPTI_ACTIVITY_KIND_DEVICE);
    NvtxRecorder::instance().setTscStamps(options.tscRanges && tscIsInvariant());
    NvtxRecorder::instance().setEnabled(options.markers && !options.nvtxThroughCupti);
    running_ = true;
    return "";
}

void CuptiCollector::disableEnabledKinds() {
    // Only the kinds start() enabled: disabling a kind that was never enabled is not harmless
    // (disabling KERNEL while CONCURRENT_KERNEL ran lost the launch record of a kernel in the next
    // capture of the process, CUDA 13.0, H200).
    for (int kind : enabledKinds_) cuptiActivityDisable(static_cast<CUpti_ActivityKind>(kind));
    enabledKinds_.clear();
}

void CuptiCollector::flush() {
    if (!g_detached.load()) cuptiActivityFlushAll(CUPTI_ACTIVITY_FLAG_FLUSH_FORCED);
}

void CuptiCollector::stop() {
    cancelDetach();
    if (!running_) return;
    NvtxRecorder::instance().setEnabled(false);
    ApiCallRecorder::instance().stop();
    flush();
    disableEnabledKinds();
    // Not a kind, so disabling the kinds leaves it on: a paused capture should leave CUDA's
    // launches as it found them (start() turns it on again on resume).
    if (latencyTimestampsOn_) {
        cuptiActivityEnableLatencyTimestamps(0);
        latencyTimestampsOn_ = false;
    }
    flush();
    running_ = false;
}

namespace {

void CUPTIAPI onDetachPoint(void*, CUpti_CallbackDomain domain, CUpti_CallbackId, const void* data) {
    if (domain != CUPTI_CB_DOMAIN_RUNTIME_API && domain != CUPTI_CB_DOMAIN_DRIVER_API) return;
    if (static_cast<const CUpti_CallbackData*>(data)->callbackSite != CUPTI_API_EXIT) return;
    CuptiCollector::instance().detachIfRequested();
}

}  // namespace

void CuptiCollector::pause() {
    stop();
    // NVTX handed to CUPTI ("nvtx-cupti") keeps calling into CUPTI: it stays attached then.
    if (!options_.detachWhilePaused || options_.nvtxThroughCupti) return;
    std::lock_guard detachLock(detachMutex_);
    if (g_detached.load() || detachSubscriber_ || holdAttached_.load()) return;
    // CUPTI says: detach at the exit of a CUDA runtime or driver call. The recorder unsubscribed
    // in stop(), so this subscriber is the only one; it costs one callback per call until then.
    CUpti_SubscriberHandle subscriber = nullptr;
    CUpti_SubscriberParams params{};
    params.structSize = CUpti_SubscriberParams_STRUCT_SIZE;
    params.subscriberName = "gaplens (detach while paused)";
    if (cuptiSubscribe_v2(&subscriber, onDetachPoint, nullptr, &params) != CUPTI_SUCCESS) return;  // stays attached
    if (cuptiEnableDomain(1, subscriber, CUPTI_CB_DOMAIN_RUNTIME_API) != CUPTI_SUCCESS ||
        cuptiEnableDomain(1, subscriber, CUPTI_CB_DOMAIN_DRIVER_API) != CUPTI_SUCCESS) {
        cuptiUnsubscribe(subscriber);
        return;
    }
    detachSubscriber_ = subscriber;
}

void CuptiCollector::holdAttached(bool hold) {
    holdAttached_.store(hold);
    if (hold) cancelDetach();  // under detachMutex_: a detach either happened already or will not
}

void CuptiCollector::cancelDetach() {
    std::lock_guard detachLock(detachMutex_);
    if (!detachSubscriber_) return;
    cuptiUnsubscribe(static_cast<CUpti_SubscriberHandle>(detachSubscriber_));
    detachSubscriber_ = nullptr;
}

void CuptiCollector::detachIfRequested() {
    // Another thread at its call's exit may be detaching, or start() cancelling: either settles it.
    std::unique_lock detachLock(detachMutex_, std::try_to_lock);
    if (!detachLock.owns_lock() || !detachSubscriber_) return;
    g_detachedAt.store(now(), std::memory_order_relaxed);
    g_detached.store(true, std::memory_order_release);  // from here on, now() leaves CUPTI alone
    cuptiActivityFlushAll(CUPTI_ACTIVITY_FLAG_FLUSH_FORCED);
    {
        // What a later take() would ask CUPTI for (the calls' names) is asked now, while attached.
        std::lock_guard lock(mutex_);
        takeRecordedCallsLocked();
        kernelNames_.clear();  // keyed by CUPTI's own name strings, which the detach frees
        ++data_.detaches;
    }
    cuptiUnsubscribe(static_cast<CUpti_SubscriberHandle>(detachSubscriber_));
    detachSubscriber_ = nullptr;
    cuptiFinalize();
}

void CuptiCollector::takeRecordedCallsLocked() {
    // API calls recorded through callbacks (none when the activity kinds recorded them).
    for (ApiRecord& call : ApiCallRecorder::instance().take()) {
        call.pid = data_.pid;
        call.name = apiName(call.driver, call.cbid);
        lastTimestamp_ = std::max(lastTimestamp_, call.end);
        data_.apis.push_back(call);
    }
}

void CuptiCollector::continueCorrelationsLocked() {
    uint32_t highest = correlationBase_;
    for (const GpuRecord& g : data_.gpu) highest = std::max(highest, g.correlation);
    for (const ApiRecord& a : data_.apis) highest = std::max(highest, a.correlation);
    for (const SyncRecord& s : data_.syncs) highest = std::max(highest, s.correlation);
    correlationBase_ = highest + 1;
}

CaptureData CuptiCollector::take() {
    std::lock_guard lock(mutex_);
    for (const auto& [id, open] : openMarkers_) {
        (void)id;
        const uint64_t end = std::max(lastTimestamp_, open.start);
        data_.ranges.push_back({open.start, end, open.pid, open.tid, open.name});
        ++data_.openRanges;
    }
    openMarkers_.clear();
    takeRecordedCallsLocked();
    NvtxRecorder::instance().take(data_, lastTimestamp_);
    keepOneCallPerCorrelation(data_.apis,
                              [&](const ApiRecord& call) { return isWorkLaunchingCall(data_.strings.str(call.name)); });
    data_.frameworkUserRanges = frameworkUserRanges_;
    CaptureData out = std::move(data_);
    data_ = CaptureData{};
    data_.pid = out.pid;
    data_.devices = out.devices;  // device records come once per process
    apiNames_.clear();  // ids belong to the string table that just left
    kernelNames_.clear();
    lastTimestamp_ = 0;
    return out;
}

void CuptiCollector::discard() { (void)take(); }

void CuptiCollector::addFrameworkUserRange(std::string_view name) {
    std::lock_guard lock(mutex_);
    if (std::find(frameworkUserRanges_.begin(), frameworkUserRanges_.end(), name) == frameworkUserRanges_.end())
        frameworkUserRanges_.emplace_back(name);
}

void CuptiCollector::addRange(std::string_view name, uint64_t start, uint64_t end) {
    const uint32_t tid = threadId();
    std::lock_guard lock(mutex_);
    data_.ranges.push_back({start, end, data_.pid, tid, data_.strings.intern(name)});
    lastTimestamp_ = std::max(lastTimestamp_, end);
}

StringId CuptiCollector::kernelName(const char* mangled) {
    if (!mangled) return data_.strings.intern("<unnamed kernel>");
    // CUPTI shares one name string per kernel: demangle each kernel once.
    if (auto it = kernelNames_.find(mangled); it != kernelNames_.end()) return it->second;
    int status = -1;
    char* demangled = abi::__cxa_demangle(mangled, nullptr, nullptr, &status);
    const StringId id = data_.strings.intern(status == 0 && demangled ? demangled : mangled);
    std::free(demangled);
    kernelNames_.emplace(mangled, id);
    return id;
}

StringId CuptiCollector::apiName(bool driver, uint32_t cbid) {
    const uint64_t key = (uint64_t(driver) << 32) | cbid;
    if (auto it = apiNames_.find(key); it != apiNames_.end()) return it->second;
    const char* name = nullptr;
    cuptiGetCallbackName(driver ? CUPTI_CB_DOMAIN_DRIVER_API : CUPTI_CB_DOMAIN_RUNTIME_API, cbid, &name);
    std::string text = name ? name : (driver ? "cuDriverApi#" : "cudaRuntimeApi#") + std::to_string(cbid);
    // CUPTI names runtime calls with their version suffix (cudaLaunchKernel_v7000): strip it, as Kineto does.
    if (auto pos = text.find("_v"); pos != std::string::npos && pos + 2 < text.size() &&
                                    text.find_first_not_of("0123456789", pos + 2) == std::string::npos)
        text.resize(pos);
    const StringId id = data_.strings.intern(text);
    apiNames_.emplace(key, id);
    return id;
}

void CuptiCollector::onBufferCompleted(uint8_t* buffer, size_t validSize) {
    if (!buffer) return;
    std::lock_guard lock(mutex_);
    CUpti_Activity* record = nullptr;
    while (validSize > 0 && cuptiActivityGetNextRecord(buffer, validSize, &record) == CUPTI_SUCCESS)
        decodeRecordLocked(record);
    size_t dropped = 0;
    if (cuptiActivityGetNumDroppedRecords(nullptr, 0, &dropped) == CUPTI_SUCCESS) data_.droppedRecords += dropped;
}

void CuptiCollector::decodeRecordLocked(const void* raw) {
    const auto* any = static_cast<const CUpti_Activity*>(raw);
    switch (any->kind) {
    case CUPTI_ACTIVITY_KIND_KERNEL:
    case CUPTI_ACTIVITY_KIND_CONCURRENT_KERNEL: {
        const auto* k = static_cast<const CUpti_ActivityKernel10*>(raw);
        GpuRecord g = gpuRecordOf(GpuRecordKind::Kernel, *k, correlationBase_);
        g.queued = k->queued == CUPTI_TIMESTAMP_UNKNOWN ? 0 : k->queued;
        g.submitted = k->submitted == CUPTI_TIMESTAMP_UNKNOWN ? 0 : k->submitted;
        g.name = kernelName(k->name);
        g.grid[0] = k->gridX, g.grid[1] = k->gridY, g.grid[2] = k->gridZ;
        g.block[0] = k->blockX, g.block[1] = k->blockY, g.block[2] = k->blockZ;
        g.registers = k->registersPerThread;
        g.sharedMemory = uint32_t(k->staticSharedMemory + k->dynamicSharedMemory);
        lastTimestamp_ = std::max<uint64_t>(lastTimestamp_, g.end);
        data_.gpu.push_back(g);
        break;
    }
    case CUPTI_ACTIVITY_KIND_MEMCPY: {
        const auto* m = static_cast<const CUpti_ActivityMemcpy6*>(raw);
        GpuRecord g = gpuRecordOf(GpuRecordKind::Memcpy, *m, correlationBase_);
        g.bytes = m->bytes;
        char name[96];
        std::snprintf(name, sizeof name, "Memcpy %s (%s -> %s)", copyKindName(m->copyKind), memoryKindName(m->srcKind),
                      memoryKindName(m->dstKind));
        g.name = data_.strings.intern(name);
        lastTimestamp_ = std::max<uint64_t>(lastTimestamp_, g.end);
        data_.gpu.push_back(g);
        break;
    }
    case CUPTI_ACTIVITY_KIND_MEMSET: {
        const auto* m = static_cast<const CUpti_ActivityMemset4*>(raw);
        GpuRecord g = gpuRecordOf(GpuRecordKind::Memset, *m, correlationBase_);
        g.bytes = m->bytes;
        char name[64];
        std::snprintf(name, sizeof name, "Memset (%s)", memoryKindName(uint8_t(m->memoryKind)));
        g.name = data_.strings.intern(name);
        lastTimestamp_ = std::max<uint64_t>(lastTimestamp_, g.end);
        data_.gpu.push_back(g);
        break;
    }
    case CUPTI_ACTIVITY_KIND_RUNTIME:
    case CUPTI_ACTIVITY_KIND_DRIVER: {
        const auto* a = static_cast<const CUpti_ActivityAPI*>(raw);
        const bool driver = any->kind == CUPTI_ACTIVITY_KIND_DRIVER;
        data_.apis.push_back({a->start, a->end, a->processId, a->threadId, continuedCorrelation(a->correlationId, correlationBase_), a->cbid,
                              apiName(driver, a->cbid), driver});
        lastTimestamp_ = std::max<uint64_t>(lastTimestamp_, a->end);
        break;
    }
    case CUPTI_ACTIVITY_KIND_MARKER: {
        const auto* m = static_cast<const CUpti_ActivityMarker2*>(raw);
        if (m->objectKind != CUPTI_ACTIVITY_OBJECT_THREAD && m->objectKind != CUPTI_ACTIVITY_OBJECT_PROCESS) break;
        if (m->flags & CUPTI_ACTIVITY_FLAG_MARKER_START) {
            openMarkers_[m->id] = {m->timestamp, m->objectId.pt.processId, m->objectId.pt.threadId,
                                   data_.strings.intern(m->name ? m->name : "<unnamed range>")};
        } else if (m->flags & CUPTI_ACTIVITY_FLAG_MARKER_END) {
            auto it = openMarkers_.find(m->id);
            if (it == openMarkers_.end()) break;
            data_.ranges.push_back({it->second.start, m->timestamp, it->second.pid, it->second.tid, it->second.name});
            openMarkers_.erase(it);
        }
        lastTimestamp_ = std::max<uint64_t>(lastTimestamp_, m->timestamp);
        break;
    }
    case CUPTI_ACTIVITY_KIND_OVERHEAD: {
        const auto* o = static_cast<const CUpti_ActivityOverhead3*>(raw);
        uint32_t pid = 0, tid = 0;
        if (o->objectKind == CUPTI_ACTIVITY_OBJECT_THREAD || o->objectKind == CUPTI_ACTIVITY_OBJECT_PROCESS) {
            pid = o->objectId.pt.processId;
            tid = o->objectId.pt.threadId;
        }
        data_.overheads.push_back({o->start, o->end, pid, tid, data_.strings.intern(overheadName(o->overheadKind))});
        break;
    }
    case CUPTI_ACTIVITY_KIND_SYNCHRONIZATION: {
        const auto* s = static_cast<const CUpti_ActivitySynchronization2*>(raw);
        data_.syncs.push_back({s->start, s->end, continuedCorrelation(s->correlationId, correlationBase_), s->contextId, s->streamId,
                               data_.strings.intern(syncName(s->type))});
        break;
    }
    case CUPTI_ACTIVITY_KIND_DEVICE: {
        const auto* d = static_cast<const CUpti_ActivityDevice5*>(raw);
        for (const DeviceInfo& known : data_.devices)
            if (known.id == d->id) return;
        data_.devices.push_back({d->id, d->name ? d->name : "", d->numMultiprocessors, d->globalMemorySize,
                                 d->computeCapabilityMajor, d->computeCapabilityMinor});
        break;
    }
    default: break;
    }
}

}  // namespace gaplens::capture
