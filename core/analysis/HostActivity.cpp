#include "core/analysis/HostActivity.h"

#include <algorithm>
#include <cstdio>

#include "core/model/TimeText.h"

namespace gaplens {

namespace {

bool startsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// A call's first instance counts as one-time work only when it is long enough to matter.
constexpr TimeNs kFirstCallMinNs = 20'000;

struct NameStats {
    int64_t count = 0;
    TimeNs sum = 0;
    TimeNs firstStart = 0;
    TimeNs firstDur = 0;
    EventRef first;
};

bool countsForFirstCallRule(EventKind k) {
    return k == EventKind::CpuOp || isApiCall(k);
}

// [a,b) ∩ [c,d) length.
TimeNs overlap(TimeNs a, TimeNs b, TimeNs c, TimeNs d) {
    const TimeNs lo = std::max(a, c), hi = std::min(b, d);
    return hi > lo ? hi - lo : 0;
}

}  // namespace

bool isOneTimeCallName(std::string_view n) {
    static constexpr std::string_view prefixes[] = {
        "cudaMalloc", "cudaFree", "cudaHostAlloc", "cudaHostRegister", "cudaHostUnregister", "cuMemAlloc",
        "cuMemFree", "cuMemCreate", "cuMemMap", "cuMemAddressReserve", "cuMemHostAlloc", "cuModuleLoad",
        "cuLibraryLoad", "cuModuleGetFunction", "cuLibraryGetKernel", "cudaStreamCreate", "cuStreamCreate",
        "cudaEventCreate", "cuEventCreate", "cuCtxCreate", "cuDevicePrimaryCtxRetain", "cudaGetSymbolAddress",
        "cudaFuncSetAttribute", "cuFuncSetAttribute", "cublasCreate", "cublasLtCreate", "cudnnCreate",
        "Lazy Function Loading", "Runtime Triggered Module Loading", "Activity Buffer Request"};
    for (std::string_view p : prefixes)
        if (startsWith(n, p)) return true;
    return false;
}

bool isBlockingCallName(std::string_view n) {
    static constexpr std::string_view exact[] = {
        "cudaDeviceSynchronize", "cudaStreamSynchronize", "cudaEventSynchronize", "cuCtxSynchronize",
        "cuStreamSynchronize", "cuEventSynchronize", "cudaMemcpy", "cudaMemcpy2D", "cudaMemcpy3D",
        "cudaMemcpyToSymbol", "cudaMemcpyFromSymbol", "cuMemcpyDtoH_v2", "cuMemcpyHtoD_v2", "cuMemcpyDtoH",
        "cuMemcpyHtoD", "cuMemcpy", "cudaStreamQuery_blocking"};
    for (std::string_view e : exact)
        if (n == e) return true;
    return false;
}

HostActivity buildHostActivity(const Trace& trace) {
    HostActivity host;
    host.threadOfTrack.assign(trace.tracks.size(), -1);

    // Per-name statistics for the first-call rule, over every CPU thread.
    std::vector<NameStats> stats(trace.strings.size());
    for (uint32_t ti = 0; ti < trace.tracks.size(); ++ti) {
        const Track& t = trace.tracks[ti];
        if (t.trackKind == TrackKind::CpuThread) {
            for (uint32_t i = 0; i < t.size(); ++i) {
                if (!countsForFirstCallRule(t.kind[i])) continue;
                NameStats& s = stats[t.nameId[i]];
                if (s.count == 0 || t.start[i] < s.firstStart) {
                    s.firstStart = t.start[i];
                    s.firstDur = t.dur[i];
                    s.first = EventRef{ti, i};
                }
                ++s.count;
                s.sum += t.dur[i];
            }
        } else if (t.trackKind == TrackKind::Overhead ||
                   (t.trackKind == TrackKind::Other && !t.empty() && t.kind[0] == EventKind::Overhead)) {
            for (uint32_t i = 0; i < t.size(); ++i) {
                if (t.kind[i] != EventKind::Overhead) continue;
                host.overhead.add(t.start[i], t.end(i));
                host.overheadEvents.push_back({EventRef{ti, i}, t.start[i], t.end(i), false, 0});
                host.maxOneTimeDurNs = std::max(host.maxOneTimeDurNs, t.dur[i]);
            }
        }
    }
    host.overhead.build();
    std::sort(host.overheadEvents.begin(), host.overheadEvents.end(),
              [](const OneTimeEvent& a, const OneTimeEvent& b) { return a.start < b.start; });

    // API calls that a synchronization record names (Kineto cuda_sync), as (track << 32 | index),
    // sorted: they block whatever their name.
    std::vector<uint64_t> syncRecorded;
    for (const Track& t : trace.tracks)
        for (uint32_t i = 0; i < t.size(); ++i) {
            if (t.kind[i] != EventKind::GpuSync || t.correlation[i] == 0) continue;
            if (trace.strings.str(t.nameId[i]).find("Wait") != std::string_view::npos) continue;
            const EventRef call = trace.launchOfCorrelation(t.correlation[i]);
            if (call.valid()) syncRecorded.push_back(uint64_t(call.track) << 32 | call.index);
        }
    std::sort(syncRecorded.begin(), syncRecorded.end());
    auto syncRecordedCall = [&syncRecorded](uint32_t track, uint32_t index) {
        return !syncRecorded.empty() &&
               std::binary_search(syncRecorded.begin(), syncRecorded.end(), uint64_t(track) << 32 | index);
    };

    // Names judged once, not per event.
    std::vector<uint8_t> oneTimeByName(trace.strings.size(), 0), blockingByName(trace.strings.size(), 0);
    for (StringId id = 0; id < trace.strings.size(); ++id) {
        oneTimeByName[id] = isOneTimeCallName(trace.strings.str(id)) ? 1 : 0;
        blockingByName[id] = isBlockingCallName(trace.strings.str(id)) ? 1 : 0;
    }

    for (uint32_t ti = 0; ti < trace.tracks.size(); ++ti) {
        const Track& t = trace.tracks[ti];
        if (t.trackKind != TrackKind::CpuThread) continue;
        host.threadOfTrack[ti] = int(host.threads.size());
        ThreadActivity th;
        th.track = ti;
        // An event reaches outside every event enclosing it: "any" needs its span (nested ones
        // are covered already).
        auto reachesOutsideParent = [&t](uint32_t i) {
            const uint32_t p = t.parent[i];
            return p == EventRef::kNone || t.end(i) > t.end(p);
        };
        size_t topLevel = 0, apiCalls = 0;
        for (uint32_t i = 0; i < t.size(); ++i) {
            if (t.kind[i] == EventKind::Instant) continue;
            topLevel += reachesOutsideParent(i);
            apiCalls += isApiCall(t.kind[i]);
        }
        th.any.reserve(topLevel);
        th.api.reserve(apiCalls);
        for (uint32_t i = 0; i < t.size(); ++i) {
            const TimeNs s = t.start[i], e = t.end(i);
            const EventKind k = t.kind[i];
            if (k == EventKind::Instant) continue;
            if (reachesOutsideParent(i)) th.any.add(s, e);
            if (isApiCall(k)) {
                th.api.add(s, e);
                if (blockingByName[t.nameId[i]] || syncRecordedCall(ti, i)) th.blockingCalls.push_back(EventRef{ti, i});
            }
            const NameStats& st = stats[t.nameId[i]];
            bool firstCall = false;
            TimeNs laterMean = 0;
            if (countsForFirstCallRule(k) && st.first == EventRef{ti, i} && st.count >= 2) {
                laterMean = (st.sum - st.firstDur) / (st.count - 1);
                firstCall = st.firstDur >= kFirstCallMinNs && st.firstDur > 10 * laterMean;
            }
            if (firstCall || (k != EventKind::UserRange && oneTimeByName[t.nameId[i]])) {
                th.oneTime.add(s, e);
                th.oneTimeEvents.push_back({EventRef{ti, i}, s, e, firstCall, laterMean});
                host.maxOneTimeDurNs = std::max(host.maxOneTimeDurNs, e - s);
            }
        }
        for (const OneTimeEvent& o : host.overheadEvents) th.oneTime.add(o.start, o.end);
        th.any.build();
        th.api.build();
        th.oneTime.build();
        std::sort(th.blockingCalls.begin(), th.blockingCalls.end(),
                  [&](EventRef a, EventRef b) { return trace.end(a) < trace.end(b); });
        th.blockingEnds.reserve(th.blockingCalls.size());
        for (EventRef r : th.blockingCalls) {
            th.blockingEnds.push_back(trace.end(r));
            th.blocked.add(trace.start(r), trace.end(r));
        }
        th.blocked.build();
        host.threads.push_back(std::move(th));
    }
    return host;
}

TimeNs unrecordedHostTime(const ThreadActivity& thread, const HostActivity& host, TimeNs a, TimeNs b) {
    ThreadCursor cursor;
    return unrecordedHostTime(thread, host, a, b, cursor);
}

TimeNs unrecordedHostTime(const ThreadActivity& thread, const HostActivity& host, TimeNs a, TimeNs b,
                          ThreadCursor& cursor) {
    if (b <= a) return 0;
    // Covered by the thread's events, minus what API calls or overhead events explain. Overhead
    // events may run while the thread shows nothing; only their part inside the thread's events
    // counts, which the loop over the (few) overhead intervals in [a, b) computes exactly.
    const TimeNs any = thread.any.covered(a, b, cursor.any);
    TimeNs explained = thread.api.covered(a, b, cursor.api);
    if (!host.overhead.empty()) {
        // Overhead ∩ any, minus overhead ∩ api (already counted).
        for (size_t i = host.overhead.firstEndingAfter(a); i < host.overhead.size(); ++i) {
            const TimeNs s = std::max(a, host.overhead.start(i)), e = std::min(b, host.overhead.end(i));
            if (e <= s) {
                if (host.overhead.start(i) >= b) break;
                continue;
            }
            explained += thread.any.covered(s, e) - thread.api.covered(s, e);
        }
    }
    return std::max<TimeNs>(0, any - explained);
}

std::vector<OneTimeItem> oneTimeItemsIn(const Trace& trace, const ThreadActivity* thread, const HostActivity& host,
                                        TimeNs a, TimeNs b) {
    std::vector<OneTimeItem> items;
    auto addFrom = [&](const std::vector<OneTimeEvent>& events) {
        auto it = std::lower_bound(events.begin(), events.end(), a - host.maxOneTimeDurNs,
                                   [](const OneTimeEvent& e, TimeNs t) { return e.start < t; });
        for (; it != events.end() && it->start < b; ++it) {
            const TimeNs ov = overlap(a, b, it->start, it->end);
            if (ov <= 0) continue;
            const std::string_view name = trace.name(it->ref);
            auto found = std::find_if(items.begin(), items.end(), [&](const OneTimeItem& x) {
                return x.name == name && x.firstCall == it->firstCall;
            });
            if (found == items.end()) {
                items.push_back(OneTimeItem{std::string(name), 0, 0, it->firstCall, 0, it->laterMeanNs});
                found = items.end() - 1;
            }
            ++found->count;
            found->overlapNs += ov;
            found->fullNs += it->end - it->start;
        }
    };
    if (thread) addFrom(thread->oneTimeEvents);
    addFrom(host.overheadEvents);
    std::sort(items.begin(), items.end(), [](const OneTimeItem& x, const OneTimeItem& y) {
        return x.overlapNs != y.overlapNs ? x.overlapNs > y.overlapNs : x.name < y.name;
    });
    return items;
}

std::string formatOneTimeItem(const OneTimeItem& item) {
    if (item.firstCall) {
        // A first call that only reaches into the window is named with the part inside it.
        const std::string part = 10 * item.overlapNs < 9 * item.fullNs
                                     ? formatDuration(item.overlapNs) + " of its " + formatDuration(item.fullNs)
                                     : formatDuration(item.fullNs);
        return "first " + item.name + " call " + part + " (later calls " + formatDuration(item.laterMeanNs) + ")";
    }
    std::string s = item.name;
    if (item.count > 1) s += " x" + std::to_string(item.count);
    return s + " " + formatDuration(item.overlapNs);
}

std::vector<std::pair<std::string, TimeNs>> topHostOpsIn(const Trace& trace, uint32_t track, TimeNs a, TimeNs b,
                                                         size_t limit) {
    size_t hint = 0;
    return topHostOpsIn(trace, track, a, b, limit, hint);
}

std::vector<std::pair<std::string, TimeNs>> topHostOpsIn(const Trace& trace, uint32_t track, TimeNs a, TimeNs b,
                                                         size_t limit, size_t& hint) {
    std::vector<std::pair<std::string, TimeNs>> out;
    if (b <= a || track >= trace.tracks.size()) return out;
    const Track& t = trace.tracks[track];
    constexpr size_t kMaxEvents = 20000;  // a detail line needs the big ones, not every event
    // A gap holds a handful of events: flat vectors with linear search beat hash maps here.
    std::vector<std::pair<uint32_t, TimeNs>> selfOf;
    auto add = [&](uint32_t i, TimeNs d) {
        for (auto& [idx, self] : selfOf)
            if (idx == i) {
                self += d;
                return;
            }
        selfOf.emplace_back(i, d);
    };
    auto visit = [&](uint32_t i) {
        const TimeNs ov = overlap(a, b, t.start[i], t.end(i));
        if (ov <= 0 || t.kind[i] == EventKind::Instant) return;
        add(i, ov);
        if (t.parent[i] != EventRef::kNone) add(t.parent[i], -ov);
    };
    const size_t firstIn = partitionPointFrom(t.start, hint, [a](TimeNs s) { return s < a; });
    hint = firstIn;
    // Events open at `a`: the chain of parents of the last event starting before it.
    if (firstIn > 0) {
        uint32_t i = uint32_t(firstIn - 1);
        while (true) {
            if (t.end(i) > a) visit(i);
            if (t.parent[i] == EventRef::kNone) break;
            i = t.parent[i];
        }
    }
    for (size_t i = firstIn, n = 0; i < t.size() && t.start[i] < b && n < kMaxEvents; ++i, ++n) visit(uint32_t(i));
    std::vector<std::pair<StringId, TimeNs>> byName;
    for (const auto& [i, self] : selfOf) {
        if (self <= 0 || t.kind[i] == EventKind::UserRange) continue;
        const StringId name = t.nameId[i];  // a plain local: clang 14 cannot capture structured bindings
        auto it = std::find_if(byName.begin(), byName.end(), [name](const auto& x) { return x.first == name; });
        if (it == byName.end()) byName.emplace_back(name, self);
        else it->second += self;
    }
    std::sort(byName.begin(), byName.end(), [&](const auto& x, const auto& y) {
        return x.second != y.second ? x.second > y.second : trace.strings.str(x.first) < trace.strings.str(y.first);
    });
    if (byName.size() > limit) byName.resize(limit);
    for (const auto& [id, self] : byName) out.emplace_back(std::string(trace.strings.str(id)), self);
    return out;
}

}  // namespace gaplens
