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
#include <vector>

#include <unistd.h>

#define NVTX_NO_IMPL
#include <nvtx3/nvToolsExt.h>

#include "core/capture/CuptiCollector.h"
#include "core/capture/DrainThread.h"
#include "core/capture/ForkSafety.h"
#include "core/capture/StringKeyedMap.h"
#include "core/capture/TorchRangeName.h"
#include "core/capture/TscClock.h"

namespace gaplens::capture {
namespace {

// One push or pop, as the thread appends it to its own buffer.
enum class EventKind : uint8_t {
    Push,           // a range opened while recording
    Ids,            // torch's ids of the Push just before it (NVTX ranges): opId in `time`, sequence in `name`
    Pop,            // the close of a recorded range
    PopUnrecorded,  // the close of a recorded range, after recording stopped: no record
};
// 16 bytes, so that a range costs its thread 32 bytes of writes (torch's NVTX ranges 16 more, for
// their ids). Trivial, so that a fresh chunk's events are not written twice (zeroed, then filled).
struct Event {
    uint64_t time;
    uint32_t name;  // process-wide name index (Push)
    EventKind kind;
    bool framework;  // one of torch's ranges (an op or a record_function)
};
static_assert(sizeof(Event) == 16);
constexpr uint32_t kNoSequence = ~0u;

// A chunk of a thread's events: written by the thread only, read by the drain. `count` is
// published with a release store after each event; `next` is set (release) once the chunk is full,
// and from then on the writer never touches the chunk again, so the drain may hand it back.
//
// Chunks are used again, not freed: the first write to fresh memory costs a page fault, and at one
// fault per 128 ranges that was most of what a range cost a training process (about 370 of 545 ns
// per torch op between other work, bench/capture/itt_route_cost). So the drain
// (below) pairs a full chunk's events into ranges and hands the chunk back to its thread, which
// writes the same few chunks over and over.
struct EventChunk {
    static constexpr uint32_t kEvents = 2048;
    std::atomic<uint32_t> count{0};
    std::atomic<EventChunk*> next{nullptr};
    EventChunk* nextFree = nullptr;  // in the thread's list of chunks handed back
    Event events[kEvents];
};

// A range the drain has seen open, waiting for its close.
struct PendingRange {
    Event push;
    int64_t opId = -1;
    int64_t sequence = -1;
    bool written = false;  // reported open by an earlier take(): its close leaves no second record
};

// Chunks allocated so far (NvtxRecorder::chunksAllocated).
std::atomic<uint64_t> g_chunksAllocated{0};

// Whether pushes and pops read the time-stamp counter (NvtxRecorder::setTscStamps). Constant-
// initialized: read on every push and pop.
constinit std::atomic<bool> g_tscStamps{false};

// A push's or a pop's time: the counter, or CUPTI's timestamp.
inline uint64_t rangeStamp() {
    return g_tscStamps.load(std::memory_order_relaxed) ? readTsc() : CuptiCollector::now();
}

// One per thread that opened a range; never freed (the drain reads them after their threads ended).
struct ThreadRanges {
    uint32_t tid = 0;
    // The writer's side (this thread only).
    EventChunk* tail = nullptr;
    // Per open range, whether its push was recorded: a bit per nesting level in one word (ranges
    // nest deeper than 64 only in `recordedDeeper`), so a push and a pop touch no other memory.
    uint64_t recordedBits = 0;
    uint32_t depth = 0;
    std::vector<uint8_t> recordedDeeper;

    void pushRecorded(bool recorded) {
        if (depth < 64) {
            recordedBits = (recordedBits & ~(uint64_t(1) << depth)) | (uint64_t(recorded) << depth);
        } else {
            recordedDeeper.push_back(recorded);
        }
        ++depth;
    }
    // Whether the innermost open range was recorded, closing it; false with none open (a pop
    // without its push: pushed before NVTX reached us).
    bool popRecorded() {
        if (depth == 0) return false;
        --depth;
        if (depth < 64) return (recordedBits >> depth) & 1;
        const bool recorded = recordedDeeper.back();
        recordedDeeper.pop_back();
        return recorded;
    }
    StringKeyedMap<uint32_t> nameIndexOf;  // NVTX names
    EventChunk* spare = nullptr;  // chunks handed back, taken from `handedBack` in one go
    // Chunks the drain handed back (it pushes, the writer takes them all): a stack with one pusher
    // and one taker, so no ABA.
    std::atomic<EventChunk*> handedBack{nullptr};
    // The reader's side (the drain only, under its lock).
    EventChunk* head = nullptr;
    uint32_t headRead = 0;  // events of `head` already drained
    std::vector<PendingRange> pending;

    void append(const Event& e) {
        EventChunk* c = tail;
        uint32_t n = c->count.load(std::memory_order_relaxed);
        if (n == EventChunk::kEvents) {
            EventChunk* fresh = takeSpare();
            c->next.store(fresh, std::memory_order_release);
            tail = c = fresh;
            n = 0;
        }
        c->events[n] = e;
        c->count.store(n + 1, std::memory_order_release);
    }
    EventChunk* takeSpare() {
        if (!spare) spare = handedBack.exchange(nullptr, std::memory_order_acquire);
        if (!spare) {
            g_chunksAllocated.fetch_add(1, std::memory_order_relaxed);
            return new EventChunk;  // default-initialized: the events stay unwritten until appended
        }
        EventChunk* c = spare;
        spare = c->nextFree;
        return c;
    }
    // The drain's side: `c` is fully read and the writer has moved past it.
    void handBack(EventChunk* c) {
        c->count.store(0, std::memory_order_relaxed);
        c->next.store(nullptr, std::memory_order_relaxed);
        c->nextFree = handedBack.load(std::memory_order_relaxed);
        while (!handedBack.compare_exchange_weak(c->nextFree, c, std::memory_order_release, std::memory_order_relaxed)) {
        }
    }
};

// A range the drain has paired, waiting for take() (names still process-wide indices).
struct DrainedRange {
    uint64_t start = 0, end = 0;
    uint32_t tid = 0;
    uint32_t name = 0;
    bool framework = false;
    int64_t opId = -1;
    int64_t sequence = -1;
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
    std::mutex takeMutex;                // one drain at a time: it owns the threads' reader sides
    std::vector<DrainedRange> drained;   // paired by the drain, not yet taken (under takeMutex)
    TscToClock tscToClock;               // counter -> CUPTI's clock, for counter stamps (under takeMutex)
    std::mutex namesMutex;
    std::deque<std::string> names;  // process-wide name index -> name
    std::unordered_map<std::string_view, uint32_t> indexOfName;
    std::mutex startedMutex;
    std::unordered_map<uint64_t, StartedRange> started;
    uint64_t nextRangeId = 1;
    std::vector<ProcessRange> processRanges;
    // Registered strings and domains: handles are pointers to strings that live as long as the process.
    std::mutex registryMutex;
    std::deque<std::string> registered;
};
RecorderState& state() {
    static RecorderState* s = [] {
        installForkHandlers();
        return new RecorderState();
    }();
    return *s;
}

// Constant-initialized, so that reading it needs no guard of its own on every push and pop.
thread_local ThreadRanges* t_ranges = nullptr;

ThreadRanges& registerThisThread() {
    auto* t = new ThreadRanges();
    t->tid = CuptiCollector::threadId();
    t->tail = t->head = new EventChunk;
    g_chunksAllocated.fetch_add(1, std::memory_order_relaxed);
    RecorderState& st = state();
    std::lock_guard lock(st.threadsMutex);
    st.threads.push_back(t);
    t_ranges = t;
    return *t;
}

ThreadRanges& thisThread() { return t_ranges ? *t_ranges : registerThisThread(); }

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

// Constant-initialized and trivially destroyed: NVTX and ITT may call during exit, and reaching it
// takes no guard of a function-local static.
constinit NvtxRecorder NvtxRecorder::instance_;

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

uint32_t NvtxRecorder::nameIndex(std::string_view name) {
    RecorderState& st = state();
    std::lock_guard lock(st.namesMutex);
    if (auto it = st.indexOfName.find(name); it != st.indexOfName.end()) return it->second;
    const auto index = static_cast<uint32_t>(st.names.size());
    const std::string& kept = st.names.emplace_back(name);  // a deque: the view below stays valid
    st.indexOfName.emplace(kept, index);
    return index;
}

void NvtxRecorder::push(std::string_view message) {
    ThreadRanges& t = thisThread();
    const bool recorded = enabled();
    t.pushRecorded(recorded);
    if (!recorded) return;
    const TorchRangeName parsed = parseTorchRangeName(message);
    Event e{rangeStamp(), 0, EventKind::Push, parsed.fromTorch};
    if (auto it = t.nameIndexOf.find(parsed.name); it != t.nameIndexOf.end()) {
        e.name = it->second;
    } else {
        e.name = nameIndex(parsed.name);
        t.nameIndexOf.emplace(std::string(parsed.name), e.name);
    }
    t.append(e);
    if (parsed.fromTorch) {
        note(sawFrameworkNvtx_);
        const bool small = parsed.sequence >= 0 && parsed.sequence < int64_t(kNoSequence);
        t.append({uint64_t(parsed.opId), small ? uint32_t(parsed.sequence) : kNoSequence, EventKind::Ids, true});
    }
}

void NvtxRecorder::pushFramework(uint32_t index) {
    ThreadRanges& t = thisThread();
    const bool recorded = enabled();
    t.pushRecorded(recorded);
    if (!recorded) return;
    note(sawFrameworkItt_);
    t.append({rangeStamp(), index, EventKind::Push, true});
}

void NvtxRecorder::pop() {
    ThreadRanges& t = thisThread();
    if (!t.popRecorded()) return;
    t.append({rangeStamp(), 0, enabled() ? EventKind::Pop : EventKind::PopUnrecorded, false});
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

namespace {

std::vector<ThreadRanges*> threadsNow() {
    RecorderState& st = state();
    std::lock_guard lock(st.threadsMutex);
    return st.threads;
}

// Pairs every thread's events written so far into st.drained and hands fully read chunks back to
// their threads. Under st.takeMutex.
void drainLocked(RecorderState& st, const std::vector<ThreadRanges*>& threads) {
    for (ThreadRanges* t : threads) {
        auto pair = [&](const Event& e) {
            switch (e.kind) {
            case EventKind::Push: t->pending.push_back({e}); return;
            case EventKind::Ids:
                if (!t->pending.empty()) {
                    t->pending.back().opId = int64_t(e.time);
                    t->pending.back().sequence = e.name == kNoSequence ? -1 : int64_t(e.name);
                }
                return;
            case EventKind::Pop:
            case EventKind::PopUnrecorded: {
                if (t->pending.empty()) return;
                const PendingRange open = t->pending.back();
                t->pending.pop_back();
                if (e.kind == EventKind::Pop && !open.written)
                    st.drained.push_back({open.push.time, std::max(e.time, open.push.time), t->tid, open.push.name,
                                          open.push.framework, open.opId, open.sequence});
                return;
            }
            }
        };
        EventChunk* chunk = t->head;
        for (;;) {
            uint32_t n = chunk->count.load(std::memory_order_acquire);
            EventChunk* next = chunk->next.load(std::memory_order_acquire);
            // With `next` seen, the chunk is full: its count, stored before `next`, is final.
            if (next) n = chunk->count.load(std::memory_order_acquire);
            for (uint32_t i = t->headRead; i < n; ++i) pair(chunk->events[i]);
            t->headRead = n;
            if (!next) break;
            t->handBack(chunk);  // the writer has moved on to `next` for good
            chunk = t->head = next;
            t->headRead = 0;
        }
    }
}

// With counter stamps, a (counter, CUPTI time) pair for mapping them; none while CUPTI is detached
// (asking CUPTI would attach it again): the pairs read at the pause and at the resume span it.
// Under st.takeMutex.
void readClockPairLocked(RecorderState& st) {
    if (!g_tscStamps.load(std::memory_order_relaxed)) return;
    uint64_t tsc = 0, time = 0;
    if (readTscPair(&CuptiCollector::attachedTimestamp, &tsc, &time)) st.tscToClock.add(tsc, time);
}

// What the drain thread calls (DrainThread.h): pairs what the threads wrote since, and hands
// their chunks back.
void drainRanges() {
    RecorderState& st = state();
    const std::vector<ThreadRanges*> threads = threadsNow();
    std::lock_guard lock(st.takeMutex);
    if (NvtxRecorder::instance().enabled()) readClockPairLocked(st);
    drainLocked(st, threads);
}

}  // namespace

uint64_t NvtxRecorder::chunksAllocated() { return g_chunksAllocated.load(); }

// take() nests takeMutex, namesMutex, startedMutex in this order; threadsMutex and registryMutex
// are never held with another.
void NvtxRecorder::lockForFork() {
    RecorderState& st = state();
    st.takeMutex.lock();
    st.namesMutex.lock();
    st.startedMutex.lock();
    st.threadsMutex.lock();
    st.registryMutex.lock();
}

void NvtxRecorder::unlockAfterFork() {
    RecorderState& st = state();
    st.registryMutex.unlock();
    st.threadsMutex.unlock();
    st.startedMutex.unlock();
    st.namesMutex.unlock();
    st.takeMutex.unlock();
}

void NvtxRecorder::setEnabled(bool enabled) {
    if (enabled) addToDrainThread(&drainRanges);
    {
        // With counter stamps, a pair before the first range is recorded and one after the last:
        // every recorded stamp lies between two pairs, and no rate is carried beyond them.
        RecorderState& st = state();
        std::lock_guard lock(st.takeMutex);
        readClockPairLocked(st);
    }
    enabled_.store(enabled, std::memory_order_relaxed);
}

void NvtxRecorder::setTscStamps(bool tsc) { g_tscStamps.store(tsc); }

void NvtxRecorder::take(CaptureData& out, uint64_t closeAt) {
    const auto pid = static_cast<uint32_t>(::getpid());
    const size_t rangesBefore = out.ranges.size();
    RecorderState& st = state();
    const std::vector<ThreadRanges*> threads = threadsNow();
    std::lock_guard takeLock(st.takeMutex);
    drainLocked(st, threads);
    // Counter stamps become CUPTI's clock here, where every pair read while they were taken is known.
    const bool tsc = g_tscStamps.load();
    readClockPairLocked(st);
    auto clock = [&](uint64_t stamp) { return tsc ? st.tscToClock.toClock(stamp) : stamp; };
    std::vector<StringId> idOfIndex;  // process-wide name index -> out.strings id
    constexpr StringId kUnset = ~StringId(0);
    auto idOf = [&](uint32_t index) {
        if (index >= idOfIndex.size()) idOfIndex.resize(size_t(index) + 1, kUnset);
        if (idOfIndex[index] == kUnset) {
            std::lock_guard lock(st.namesMutex);
            idOfIndex[index] = out.strings.intern(st.names[index]);
        }
        return idOfIndex[index];
    };
    out.ranges.reserve(out.ranges.size() + st.drained.size());
    for (const DrainedRange& r : st.drained)
        out.ranges.push_back({clock(r.start), clock(r.end), pid, r.tid, idOf(r.name), r.framework, r.opId, r.sequence});
    st.drained.clear();
    st.drained.shrink_to_fit();
    for (ThreadRanges* t : threads) {
        for (PendingRange& open : t->pending) {
            if (open.written) continue;
            const uint64_t start = clock(open.push.time);
            out.ranges.push_back({start, std::max(closeAt, start), pid, t->tid, idOf(open.push.name),
                                  open.push.framework, open.opId, open.sequence});
            ++out.openRanges;
            open.written = true;
        }
    }
    st.tscToClock.keepLastPair();
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
        std::fprintf(stderr,
                     "gaplens: NVTX: %d module(s) handed their tables, %zu thread(s), %zu range(s) taken, %llu "
                     "buffer chunk(s) of %zu KB\n",
                     installs_.load(), threads.size(), out.ranges.size() - rangesBefore,
                     static_cast<unsigned long long>(chunksAllocated()), sizeof(EventChunk) / 1024);
}

}  // namespace gaplens::capture
