#include "core/capture/NvtxRecorder.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cwchar>
#include <deque>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include <unistd.h>

#define NVTX_NO_IMPL
#include <nvtx3/nvToolsExt.h>

#include "core/capture/CuptiCollector.h"
#include "core/capture/StringKeyedMap.h"
#include "core/capture/TorchRangeName.h"

namespace gaplens::capture {
namespace {

struct FinishedRange {
    uint64_t start = 0;
    uint64_t end = 0;
    uint32_t name = 0;  // index into the thread's names
    bool framework = false;
    int64_t opId = -1;
    int64_t sequence = -1;
};

struct OpenRange {
    uint64_t start = 0;
    uint32_t name = 0;
    bool recorded = false;  // false: pushed while the capture was off, popped without a record
    bool framework = false;  // one of torch's ranges (an op or a record_function)
    int64_t opId = -1;
    int64_t sequence = -1;
};

// One per thread that used NVTX; never freed (take() reads them after their threads ended).
struct ThreadRanges {
    std::mutex mutex;  // taken by the owning thread per push/pop, and by take()
    uint32_t tid = 0;
    std::vector<std::string> names;
    StringKeyedMap<uint32_t> nameIds;
    std::vector<OpenRange> open;
    std::vector<FinishedRange> finished;
    // Process-wide name index (pushFramework) -> this thread's name id + 1; 0: not seen here yet.
    std::vector<uint32_t> localOfShared;

    uint32_t nameId(std::string_view name) {
        if (auto it = nameIds.find(name); it != nameIds.end()) return it->second;
        const auto id = static_cast<uint32_t>(names.size());
        names.emplace_back(name);
        nameIds.emplace(names.back(), id);
        return id;
    }
    uint32_t sharedNameId(uint32_t index, std::string_view name) {
        if (index >= localOfShared.size()) localOfShared.resize(size_t(index) + 64, 0);
        uint32_t& local = localOfShared[index];
        if (local == 0) local = nameId(name) + 1;
        return local - 1;
    }
};


// Process-wide ranges (nvtxRangeStart/End) may end on another thread.
struct StartedRange {
    uint64_t start = 0;
    uint32_t tid = 0;
    std::string name;
};
struct ProcessRange {
    uint64_t start = 0, end = 0;
    uint32_t tid = 0;
    std::string name;
};

// Everything the recorder keeps beyond the threads' own ranges. Never destroyed: NVTX and take()
// may run during exit, after the static destructors.
struct RecorderState {
    std::mutex threadsMutex;
    std::vector<ThreadRanges*> threads;  // every thread's ranges, for take()
    std::mutex startedMutex;
    std::unordered_map<uint64_t, StartedRange> started;
    uint64_t nextRangeId = 1;
    std::vector<ProcessRange> processRanges;
    // Registered strings and domains: handles are pointers to strings that live as long as the process.
    std::mutex registryMutex;
    std::deque<std::string> registered;
};
RecorderState& state() {
    static RecorderState* s = new RecorderState();
    return *s;
}

ThreadRanges& thisThread() {
    thread_local ThreadRanges* ranges = [] {
        auto* t = new ThreadRanges();
        t->tid = CuptiCollector::threadId();
        RecorderState& st = state();
        std::lock_guard lock(st.threadsMutex);
        st.threads.push_back(t);
        return t;
    }();
    return *ranges;
}

const std::string* registerString(std::string_view text) {
    RecorderState& st = state();
    std::lock_guard lock(st.registryMutex);
    return &st.registered.emplace_back(text);
}

std::string narrow(const wchar_t* text) {
    std::string out;
    if (!text) return out;
    for (; *text; ++text) out += (*text >= 0 && *text < 0x80) ? char(*text) : '?';
    return out;
}

// The message of an event attribute: ASCII, wide or registered.
std::string_view messageOf(const nvtxEventAttributes_t* attr, std::string& storage) {
    if (!attr) return {};
    switch (attr->messageType) {
    case NVTX_MESSAGE_TYPE_ASCII: return attr->message.ascii ? std::string_view(attr->message.ascii) : std::string_view();
    case NVTX_MESSAGE_TYPE_UNICODE: storage = narrow(attr->message.unicode); return storage;
    case NVTX_MESSAGE_TYPE_REGISTERED:
        return attr->message.registered ? std::string_view(*reinterpret_cast<const std::string*>(attr->message.registered))
                                        : std::string_view();
    default: return {};
    }
}

// ---- the C handlers NVTX calls ----
int NVTX_API rangePushA(const char* message) {
    NvtxRecorder::instance().push(message ? message : "");
    return 0;
}
int NVTX_API rangePushW(const wchar_t* message) {
    NvtxRecorder::instance().push(narrow(message));
    return 0;
}
int NVTX_API rangePushEx(const nvtxEventAttributes_t* attr) {
    std::string storage;
    NvtxRecorder::instance().push(messageOf(attr, storage));
    return 0;
}
int NVTX_API rangePop() {
    NvtxRecorder::instance().pop();
    return 0;
}
nvtxRangeId_t NVTX_API rangeStartA(const char* message) { return NvtxRecorder::instance().start(message ? message : ""); }
nvtxRangeId_t NVTX_API rangeStartW(const wchar_t* message) { return NvtxRecorder::instance().start(narrow(message)); }
nvtxRangeId_t NVTX_API rangeStartEx(const nvtxEventAttributes_t* attr) {
    std::string storage;
    return NvtxRecorder::instance().start(messageOf(attr, storage));
}
void NVTX_API rangeEnd(nvtxRangeId_t id) { NvtxRecorder::instance().end(id); }

int NVTX_API domainRangePushEx(nvtxDomainHandle_t, const nvtxEventAttributes_t* attr) { return rangePushEx(attr); }
int NVTX_API domainRangePop(nvtxDomainHandle_t) { return rangePop(); }
nvtxRangeId_t NVTX_API domainRangeStartEx(nvtxDomainHandle_t, const nvtxEventAttributes_t* attr) {
    return rangeStartEx(attr);
}
void NVTX_API domainRangeEnd(nvtxDomainHandle_t, nvtxRangeId_t id) { rangeEnd(id); }
nvtxStringHandle_t NVTX_API domainRegisterStringA(nvtxDomainHandle_t, const char* text) {
    return reinterpret_cast<nvtxStringHandle_t>(const_cast<std::string*>(registerString(text ? text : "")));
}
nvtxStringHandle_t NVTX_API domainRegisterStringW(nvtxDomainHandle_t, const wchar_t* text) {
    return reinterpret_cast<nvtxStringHandle_t>(const_cast<std::string*>(registerString(narrow(text))));
}
nvtxDomainHandle_t NVTX_API domainCreateA(const char* name) {
    return reinterpret_cast<nvtxDomainHandle_t>(const_cast<std::string*>(registerString(name ? name : "")));
}
nvtxDomainHandle_t NVTX_API domainCreateW(const wchar_t* name) {
    return reinterpret_cast<nvtxDomainHandle_t>(const_cast<std::string*>(registerString(narrow(name))));
}
void NVTX_API domainDestroy(nvtxDomainHandle_t) {}

template <typename Fn>
NvtxFunctionPointer fn(Fn f) {
    return reinterpret_cast<NvtxFunctionPointer>(f);
}

// Puts our handlers into one of NVTX's module tables: pairs of callback id and handler.
bool fill(const NvtxExportTableCallbacks& callbacks, NvtxCallbackModule module,
          std::initializer_list<std::pair<unsigned, NvtxFunctionPointer>> handlers) {
    NvtxFunctionTable table = nullptr;
    unsigned size = 0;
    if (!callbacks.GetModuleFunctionTable(module, &table, &size) || !table) return false;
    for (const auto& [id, handler] : handlers)
        if (id < size && table[id]) *table[id] = handler;
    return true;
}

}  // namespace

NvtxRecorder& NvtxRecorder::instance() {
    static NvtxRecorder* recorder = new NvtxRecorder();  // never destroyed: NVTX may call at exit
    return *recorder;
}

bool NvtxRecorder::install(const void* getExportTableFn) {
    ++installs_;
    auto getExportTable = reinterpret_cast<NvtxGetExportTableFunc_t>(const_cast<void*>(getExportTableFn));
    if (!getExportTable) return false;
    const auto* callbacks = static_cast<const NvtxExportTableCallbacks*>(getExportTable(NVTX_ETID_CALLBACKS));
    if (!callbacks || callbacks->struct_size < sizeof(NvtxExportTableCallbacks) || !callbacks->GetModuleFunctionTable)
        return false;
    if (!fill(*callbacks, NVTX_CB_MODULE_CORE,
              {{NVTX_CBID_CORE_RangePushA, fn(rangePushA)}, {NVTX_CBID_CORE_RangePushW, fn(rangePushW)},
               {NVTX_CBID_CORE_RangePushEx, fn(rangePushEx)}, {NVTX_CBID_CORE_RangePop, fn(rangePop)},
               {NVTX_CBID_CORE_RangeStartA, fn(rangeStartA)}, {NVTX_CBID_CORE_RangeStartW, fn(rangeStartW)},
               {NVTX_CBID_CORE_RangeStartEx, fn(rangeStartEx)}, {NVTX_CBID_CORE_RangeEnd, fn(rangeEnd)}}))
        return false;
    // Domains (NVTX's C++ API and libraries that name their own domain): optional.
    fill(*callbacks, NVTX_CB_MODULE_CORE2,
         {{NVTX_CBID_CORE2_DomainRangePushEx, fn(domainRangePushEx)}, {NVTX_CBID_CORE2_DomainRangePop, fn(domainRangePop)},
          {NVTX_CBID_CORE2_DomainRangeStartEx, fn(domainRangeStartEx)}, {NVTX_CBID_CORE2_DomainRangeEnd, fn(domainRangeEnd)},
          {NVTX_CBID_CORE2_DomainRegisterStringA, fn(domainRegisterStringA)},
          {NVTX_CBID_CORE2_DomainRegisterStringW, fn(domainRegisterStringW)},
          {NVTX_CBID_CORE2_DomainCreateA, fn(domainCreateA)}, {NVTX_CBID_CORE2_DomainCreateW, fn(domainCreateW)},
          {NVTX_CBID_CORE2_DomainDestroy, fn(domainDestroy)}});
    return true;
}

void NvtxRecorder::push(std::string_view message) {
    ThreadRanges& t = thisThread();
    OpenRange open;
    open.recorded = enabled();
    if (open.recorded) {
        const TorchRangeName parsed = parseTorchRangeName(message);
        open.framework = parsed.fromTorch;
        if (open.framework) note(sawFrameworkNvtx_);
        open.opId = parsed.fromTorch ? parsed.opId : -1;
        open.sequence = parsed.sequence;
        open.start = CuptiCollector::now();
        std::lock_guard lock(t.mutex);
        open.name = t.nameId(parsed.name);
        t.open.push_back(open);
        return;
    }
    std::lock_guard lock(t.mutex);
    t.open.push_back(open);
}

void NvtxRecorder::pushFramework(uint32_t nameIndex, std::string_view name) {
    ThreadRanges& t = thisThread();
    OpenRange open;
    open.recorded = enabled();
    open.framework = true;
    if (open.recorded) {
        note(sawFrameworkItt_);
        open.start = CuptiCollector::now();
    }
    std::lock_guard lock(t.mutex);
    if (open.recorded) open.name = t.sharedNameId(nameIndex, name);
    t.open.push_back(open);
}

void NvtxRecorder::pop() {
    const uint64_t now = CuptiCollector::now();
    ThreadRanges& t = thisThread();
    std::lock_guard lock(t.mutex);
    if (t.open.empty()) return;  // a pop without its push (pushed before NVTX reached us)
    const OpenRange open = t.open.back();
    t.open.pop_back();
    if (open.recorded && enabled()) t.finished.push_back({open.start, now, open.name, open.framework, open.opId, open.sequence});
}

uint64_t NvtxRecorder::start(std::string_view message) {
    const uint64_t now = CuptiCollector::now();
    RecorderState& st = state();
    std::lock_guard lock(st.startedMutex);
    const uint64_t id = st.nextRangeId++;
    if (enabled()) st.started.emplace(id, StartedRange{now, CuptiCollector::threadId(), std::string(message)});
    return id;
}

void NvtxRecorder::end(uint64_t id) {
    const uint64_t now = CuptiCollector::now();
    RecorderState& st = state();
    std::lock_guard lock(st.startedMutex);
    auto it = st.started.find(id);
    if (it == st.started.end()) return;
    if (enabled()) st.processRanges.push_back({it->second.start, now, it->second.tid, std::move(it->second.name)});
    st.started.erase(it);
}

void NvtxRecorder::take(CaptureData& out, uint64_t closeAt) {
    const auto pid = static_cast<uint32_t>(::getpid());
    const size_t rangesBefore = out.ranges.size();
    std::vector<ThreadRanges*> threads;
    {
        RecorderState& st = state();
        std::lock_guard lock(st.threadsMutex);
        threads = st.threads;
    }
    for (ThreadRanges* t : threads) {
        std::lock_guard lock(t->mutex);
        constexpr StringId kUnset = ~StringId(0);
        std::vector<StringId> ids(t->names.size(), kUnset);
        auto idOf = [&](uint32_t name) {
            if (ids[name] == kUnset) ids[name] = out.strings.intern(t->names[name]);
            return ids[name];
        };
        for (const FinishedRange& r : t->finished)
            out.ranges.push_back({r.start, r.end, pid, t->tid, idOf(r.name), r.framework, r.opId, r.sequence});
        t->finished.clear();
        for (OpenRange& open : t->open) {
            if (!open.recorded) continue;
            out.ranges.push_back({open.start, std::max(closeAt, open.start), pid, t->tid, idOf(open.name),
                                  open.framework, open.opId, open.sequence});
            ++out.openRanges;
            open.recorded = false;  // written once; its pop leaves no second record
        }
    }
    RecorderState& st = state();
    std::lock_guard lock(st.startedMutex);
    for (const ProcessRange& r : st.processRanges)
        out.ranges.push_back({r.start, r.end, pid, r.tid, out.strings.intern(r.name)});
    st.processRanges.clear();
    for (auto& [id, r] : st.started) {
        (void)id;
        out.ranges.push_back({r.start, std::max(closeAt, r.start), pid, r.tid, out.strings.intern(r.name)});
        ++out.openRanges;
    }
    st.started.clear();
    const bool itt = sawFrameworkItt_.exchange(false), nvtx = sawFrameworkNvtx_.exchange(false);
    out.frameworkVia = itt && nvtx ? "itt+nvtx" : itt ? "itt" : nvtx ? "nvtx" : "";
    // GAPLENS_NVTX_STATS=1: what reached the recorder, for checking a program's NVTX on a new setup.
    if (const char* stats = std::getenv("GAPLENS_NVTX_STATS"); stats && *stats == '1')
        std::fprintf(stderr, "gaplens: NVTX: %d module(s) handed their tables, %zu thread(s), %zu range(s) taken\n",
                     installs_.load(), threads.size(), out.ranges.size() - rangesBefore);
}

}  // namespace gaplens::capture
