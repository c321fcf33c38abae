#include "core/capture/IttCollector.h"

#include <array>
#include <atomic>
#include <cstring>
#include <deque>
#include <mutex>
#include <string_view>

#include "core/capture/ForkSafety.h"
#include "core/capture/NvtxRecorder.h"
#include "core/capture/StringKeyedMap.h"

namespace gaplens::capture::itt {
namespace {

constexpr std::string_view kFrameworkDomain = "PyTorch";

// Never destroyed: torch may call during exit, after the static destructors.
struct Registry {
    std::mutex mutex;
    std::deque<IttDomain> domains;
    StringKeyedMap<IttDomain*> domainOfName;
    std::deque<IttStringHandle> handles;
    StringKeyedMap<IttStringHandle*> handleOfText;
};
// The "PyTorch" domain, ours or ittnotify's. Outside the registry and constant-initialized, so that
// the check on every task reads one word, with no guard of a function-local static before it.
constinit std::atomic<const IttDomain*> g_frameworkDomain{nullptr};
Registry& registry() {
    static Registry* r = [] {
        installForkHandlers();
        return new Registry();
    }();
    return *r;
}

// Marks the handles made here (extra1 is the collector's to use): ittnotify makes handles of its own
// for names created before it loaded us, and hands those to taskBegin too.
constexpr int kOurHandle = 0x67706c6e;

IttStringHandle* lookUp(std::string_view text) {
    Registry& r = registry();
    std::lock_guard lock(r.mutex);
    if (auto it = r.handleOfText.find(text); it != r.handleOfText.end()) return it->second;
    IttStringHandle& h = r.handles.emplace_back();
    h.name = std::string(text);
    h.strA = h.name.c_str();
    h.extra1 = kOurHandle;
    h.index = NvtxRecorder::instance().nameIndex(h.name);
    r.handleOfText.emplace(h.name, &h);
    return &h;
}

// Per-thread cache from the caller's pointer to its handle, direct-mapped. torch passes an op's
// name as the same pointer on every call, so a hit is a compare of the pointer and of the text.
struct CacheSlot {
    const char* text = nullptr;
    IttStringHandle* handle = nullptr;
};
constexpr size_t kCacheSlots = 1024;
thread_local std::array<CacheSlot, kCacheSlots> t_cache{};

}  // namespace

IttDomain* domainCreate(const char* name) {
    const std::string_view text = name ? name : "";
    Registry& r = registry();
    std::lock_guard lock(r.mutex);
    if (auto it = r.domainOfName.find(text); it != r.domainOfName.end()) return it->second;
    IttDomain& d = r.domains.emplace_back();
    auto [it, inserted] = r.domainOfName.emplace(std::string(text), &d);
    (void)inserted;
    d.nameA = it->first.c_str();
    if (text == kFrameworkDomain) {
        d.flags = 1;
        g_frameworkDomain.store(&d);
    }
    return &d;
}

IttStringHandle* stringHandleCreate(const char* text) {
    if (!text) text = "";
    CacheSlot& slot = t_cache[(reinterpret_cast<uintptr_t>(text) >> 3) % kCacheSlots];
    if (slot.text == text && std::strcmp(text, slot.handle->strA) == 0) return slot.handle;
    IttStringHandle* handle = lookUp(text);
    slot = {text, handle};
    return handle;
}

// Whether `domain` is torch's. ittnotify loads its collector lazily, at the first call that needs
// it: a domain created before that (torch creates "PyTorch" when libtorch loads) is ittnotify's
// own, not one of ours, so it is known by its name, then by its pointer.
bool isFramework(const IttDomain* domain) {
    if (!domain) return false;
    if (domain == g_frameworkDomain.load(std::memory_order_relaxed)) return true;
    if (!domain->nameA || kFrameworkDomain != domain->nameA) return false;
    g_frameworkDomain.store(domain);
    return true;
}

void taskBegin(const IttDomain* domain, IttStringHandle* name) {
    if (!isFramework(domain)) return;
    // A handle ittnotify made before it loaded us has only its own fields: ours is found by its text.
    if (!name || name->extra1 != kOurHandle) name = stringHandleCreate(name ? name->strA : "");
    NvtxRecorder::instance().pushFramework(name->index);
}

void taskEnd(const IttDomain* domain) {
    if (!isFramework(domain)) return;
    NvtxRecorder::instance().pop();
}

bool frameworkDomainSeen() { return g_frameworkDomain.load() != nullptr; }

void lockForFork() { registry().mutex.lock(); }

void unlockAfterFork() { registry().mutex.unlock(); }

}  // namespace gaplens::capture::itt
