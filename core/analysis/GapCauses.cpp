#include "core/analysis/GapCauses.h"

#include <algorithm>
#include <functional>

#include "core/analysis/HostActivity.h"
#include "core/analysis/IntervalSet.h"
#include "core/analysis/Prefault.h"
#include "core/model/TimeText.h"

namespace gaplens {

std::string_view gapCauseName(GapCause cause) {
    switch (cause) {
    case GapCause::QueuedLaunch: return "queued-launch";
    case GapCause::Setup: return "setup";
    case GapCause::Sync: return "sync";
    case GapCause::HostOverhead: return "host-overhead";
    case GapCause::HostIdle: return "host-idle";
    }
    return "host-idle";
}

std::string shortKernelName(std::string_view name, size_t max) {
    if (name.size() <= max) return std::string(name);
    return std::string(name.substr(0, max - 3)) + "...";
}

namespace {

struct NextWork {
    EventRef op;
    EventRef launch;
};

// The GPU op of `device` that starts at `t` (the end of a gap); a linked one with the earliest
// launch wins when several start together.
NextWork nextWorkAt(const Trace& trace, const std::vector<uint32_t>& streams, TimeNs t, std::vector<size_t>& hints) {
    NextWork best;
    TimeNs bestLaunch = 0;
    for (size_t k = 0; k < streams.size(); ++k) {
        const uint32_t ti = streams[k];
        const Track& tr = trace.tracks[ti];
        const size_t first = partitionPointFrom(tr.start, hints[k], [t](TimeNs x) { return x < t; });
        hints[k] = first;
        for (size_t i = first; i < tr.size() && tr.start[i] == t; ++i) {
            if (!isGpuWork(tr.kind[i])) continue;
            const EventRef op{ti, uint32_t(i)};
            const EventRef launch = tr.link[i];
            if (!best.op.valid()) {
                best = {op, launch};
                if (launch.valid()) bestLaunch = trace.start(launch);
            } else if (launch.valid() && (!best.launch.valid() || trace.start(launch) < bestLaunch)) {
                best = {op, launch};
                bestLaunch = trace.start(launch);
            }
        }
    }
    return best;
}

std::string joinTopOps(const std::vector<std::pair<std::string, TimeNs>>& ops) {
    std::string s;
    for (const auto& [name, t] : ops) {
        if (!s.empty()) s += ", ";
        s += name + " " + formatDuration(t);
    }
    return s;
}

// What one device offers the classification of its gaps.
struct DeviceContext {
    const DeviceBusy* dev = nullptr;
    std::vector<uint32_t> streams;
    TimeNs firstLinkedStart = std::numeric_limits<TimeNs>::max();
};

// Where a sweep over one device's gaps (in time order) stands: search hints per stream of the
// device and per host thread, so that each gap costs a few short steps, not a dozen binary
// searches over millions of events.
struct SweepCursors {
    std::vector<size_t> streams;        // per DeviceContext::streams entry
    std::vector<ThreadCursor> threads;  // per HostActivity::threads entry
    SweepCursors(const DeviceContext& ctx, const HostActivity& host)
        : streams(ctx.streams.size(), 0), threads(host.threads.size()) {}
};

// The cause of one idle interval, and with a `detail` to write to the text naming what is responsible.
Gap classifyGap(const Trace& trace, const HostActivity& host, const DeviceContext& ctx, const TimeInterval& idle,
                std::string* detail, SweepCursors& cursors) {
    const bool wantDetail = detail != nullptr;
    Gap g;
    g.device = ctx.dev->device;
    g.start = idle.start;
    g.dur = idle.dur();

    const TimeNs gs = idle.start, ge = idle.end;
    const NextWork next =
        ge < ctx.dev->windowEndNs ? nextWorkAt(trace, ctx.streams, ge, cursors.streams) : NextWork{};
    g.next = next.op;

    if (next.op.valid() && next.launch.valid()) {
        const TimeNs tL = trace.start(next.launch);
        const ThreadActivity* th = host.thread(next.launch.track);
        ThreadCursor* cur = th ? &cursors.threads[size_t(th - host.threads.data())] : nullptr;
        const TimeNs hostEnd = std::min(tL, ge);
        if (th) {
            g.setupNs = th->oneTime.covered(gs, ge, cur->oneTime);
            g.unrecordedNs = unrecordedHostTime(*th, host, gs, hostEnd, *cur);
        } else {
            g.setupNs = host.overhead.covered(gs, ge);
        }
        if (tL < gs) {
            g.cause = GapCause::QueuedLaunch;
            if (wantDetail)
                *detail = shortKernelName(trace.name(next.op)) + " launched " + formatDuration(gs - tL) +
                           " before the gap began (" + std::string(trace.name(next.launch)) +
                           "): dispatch latency";
        } else if (2 * g.setupNs >= g.dur) {
            g.cause = GapCause::Setup;
            if (wantDetail) {
                const auto items = oneTimeItemsIn(trace, th, host, gs, ge);
                std::string s = "one-time work: ";
                for (size_t i = 0; i < items.size() && i < 4; ++i) {
                    if (i) s += ", ";
                    s += formatOneTimeItem(items[i]);
                }
                if (g.unrecordedNs > 0)
                    s += "; " + formatDuration(g.unrecordedNs) + " of host time inside ops with no API record";
                *detail = s;
            }
        } else {
            // A blocking call on the launching thread that returned inside the gap, before the launch.
            EventRef blocking;
            if (th) {
                const size_t i =
                    partitionPointFrom(th->blockingEnds, cur->blocking, [gs](TimeNs e) { return e < gs; });
                cur->blocking = i;
                if (i < th->blockingEnds.size() && th->blockingEnds[i] <= tL) blocking = th->blockingCalls[i];
            }
            const TimeNs hostSpan = hostEnd - gs;
            const TimeNs covered = th ? th->any.covered(gs, hostEnd, cur->any) : 0;
            // The sync explains the gap only when the host then worked to submit new work: busy
            // in recorded work for at least half of the time from its return to the launch.
            // Mostly unrecorded time after it (Python start-up, data loading) is host-idle.
            TimeNs afterSync = 0, busyAfterSync = 0;
            if (blocking.valid()) {
                g.syncNs = std::min(trace.end(blocking), ge) - std::max(trace.start(blocking), gs);
                afterSync = std::max<TimeNs>(0, tL - trace.end(blocking));
                size_t hint = cur->any;
                busyAfterSync = th->any.covered(trace.end(blocking), tL, hint);
            }
            if (blocking.valid() && 2 * busyAfterSync < afterSync) {
                g.cause = GapCause::HostIdle;
                if (wantDetail)
                    *detail = "no host activity for " + formatDuration(afterSync - busyAfterSync) + " after " +
                              std::string(trace.name(blocking)) + " returned " +
                              formatDuration(trace.end(blocking) - gs) + " into the gap, before " +
                              std::string(trace.name(next.launch));
            } else if (blocking.valid()) {
                g.cause = GapCause::Sync;
                if (wantDetail) {
                    const TimeNs ret = trace.end(blocking);
                    std::string s = std::string(trace.name(blocking)) + " returned " +
                                    formatDuration(ret - gs) + " into the gap";
                    const auto ops =
                        topHostOpsIn(trace, next.launch.track, ret, trace.end(next.launch), 3, cur->events);
                    if (!ops.empty()) s += "; then " + joinTopOps(ops);
                    *detail = s;
                }
            } else if (hostSpan > 0 && 2 * covered < hostSpan) {
                g.cause = GapCause::HostIdle;
                if (wantDetail)
                    *detail = "no host activity for " + formatDuration(hostSpan - covered) + " before " +
                               std::string(trace.name(next.launch));
            } else {
                g.cause = GapCause::HostOverhead;
                if (wantDetail) {
                    size_t noHint = 0;
                    const auto ops = topHostOpsIn(trace, next.launch.track, gs, trace.end(next.launch), 3,
                                                  th ? cur->events : noHint);
                    *detail = "host ops: " + (ops.empty() ? std::string(trace.name(next.launch)) : joinTopOps(ops));
                }
            }
        }
    } else if (next.op.valid() && trace.start(next.op) < ctx.firstLinkedStart) {
        // Work from before the profiling window: launched before the trace began.
        g.cause = GapCause::QueuedLaunch;
        if (wantDetail)
            *detail = shortKernelName(trace.name(next.op)) + " was launched before the trace began";
    } else {
        // No launch record (trace end, or a GPU op whose launch was not recorded): judge by
        // whether any host thread was busy during the gap.
        TimeNs busiest = 0;
        uint32_t busiestTrack = 0;
        for (size_t k = 0; k < host.threads.size(); ++k) {
            const ThreadActivity& th = host.threads[k];
            const TimeNs c = th.any.covered(gs, ge, cursors.threads[k].any);
            if (c > busiest) {
                busiest = c;
                busiestTrack = th.track;
            }
        }
        const std::string where = next.op.valid() ? " (launch of " + shortKernelName(trace.name(next.op)) +
                                                        " not recorded)"
                                                  : " (after the last GPU work)";
        if (2 * busiest < g.dur) {
            g.cause = GapCause::HostIdle;
            if (wantDetail) *detail = "no host activity for " + formatDuration(g.dur - busiest) + where;
        } else {
            g.cause = GapCause::HostOverhead;
            if (wantDetail) *detail = "host ops: " + joinTopOps(topHostOpsIn(trace, busiestTrack, gs, ge, 3)) + where;
        }
    }
    return g;
}

// The output position of each gap, indexed in time order (device by device, each in start
// order): longest first, equal lengths by start, then device. The order is strict (a device's gaps
// start at distinct times), so any correct sort gives it. On one device a stable radix sort of
// (longest first, time index) packed in one word does it with a few sequential passes.
std::vector<uint32_t> positionsLongestFirst(const std::vector<DeviceContext>& contexts, size_t n) {
    std::vector<uint32_t> position;
    reservePrefaulted(position, n);
    position.resize(n);
    TimeNs maxDur = 0;
    for (const DeviceContext& ctx : contexts)
        for (const TimeInterval& idle : ctx.dev->idle) maxDur = std::max(maxDur, idle.dur());
    auto bitsOf = [](uint64_t v) {
        int b = 0;
        while (v >> b) ++b;
        return b;
    };
    const int indexBits = bitsOf(n), keyBits = bitsOf(uint64_t(maxDur));
    if (contexts.size() == 1 && indexBits + keyBits <= 64) {
        std::vector<uint64_t> a, b;
        reservePrefaulted(a, n);
        uint64_t index = 0;
        for (const TimeInterval& idle : contexts[0].dev->idle)
            if (idle.dur() > 0) a.push_back(uint64_t(maxDur - idle.dur()) << indexBits | index++);
        reservePrefaulted(b, n);
        b.resize(n);
        constexpr int kBits = 11;
        constexpr uint64_t kMask = (uint64_t(1) << kBits) - 1;
        std::vector<size_t> offset(size_t(kMask) + 2);
        for (int shift = indexBits; shift < indexBits + keyBits; shift += kBits) {
            std::fill(offset.begin(), offset.end(), 0);
            for (const uint64_t x : a) ++offset[((x >> shift) & kMask) + 1];
            for (size_t k = 1; k < offset.size(); ++k) offset[k] += offset[k - 1];
            for (const uint64_t x : a) b[offset[(x >> shift) & kMask]++] = x;
            a.swap(b);
        }
        const uint64_t indexMask = (uint64_t(1) << indexBits) - 1;
        for (uint32_t p = 0; p < n; ++p) position[a[p] & indexMask] = p;
        return position;
    }
    struct Key {
        TimeNs dur, start;
        int device;
        uint32_t index;
    };
    std::vector<Key> keys;
    keys.reserve(n);
    for (const DeviceContext& ctx : contexts)
        for (const TimeInterval& idle : ctx.dev->idle)
            if (idle.dur() > 0) keys.push_back({idle.dur(), idle.start, ctx.dev->device, uint32_t(keys.size())});
    std::sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) {
        return a.dur != b.dur ? a.dur > b.dur : (a.start != b.start ? a.start < b.start : a.device < b.device);
    });
    for (uint32_t p = 0; p < n; ++p) position[keys[p].index] = p;
    return position;
}

}  // namespace

GapAnalysis analyzeGaps(const Trace& trace, const GpuBusy& busy, const HostActivity& host, TimeNs detailMinNs,
                        size_t maxDetails) {
    GapAnalysis out;
    size_t total = 0;
    std::vector<DeviceContext> contexts;
    for (const DeviceBusy& dev : busy.devices) {
        for (const TimeInterval& idle : dev.idle) total += idle.dur() > 0;
        DeviceContext ctx;
        ctx.dev = &dev;
        for (uint32_t ti = 0; ti < trace.tracks.size(); ++ti) {
            const Track& t = trace.tracks[ti];
            if (!t.isGpu() || t.device != dev.device) continue;
            ctx.streams.push_back(ti);
            for (uint32_t i = 0; i < t.size(); ++i)
                if (isGpuWork(t.kind[i]) && t.link[i].valid()) {
                    ctx.firstLinkedStart = std::min(ctx.firstLinkedStart, t.start[i]);
                    break;
                }
        }
        contexts.push_back(std::move(ctx));
    }
    // The order (longest first) comes from the lengths alone; then every gap gets a cause (the
    // totals count them all) in one sweep per device in time order, written straight into its
    // place. Details come after.
    const std::vector<uint32_t> position = positionsLongestFirst(contexts, total);
    reservePrefaulted(out.gaps, total);
    out.gaps.resize(total);
    size_t timeIndex = 0;
    for (const DeviceContext& ctx : contexts) {
        SweepCursors cursors(ctx, host);
        for (const TimeInterval& idle : ctx.dev->idle) {
            if (idle.dur() <= 0) continue;
            // The places written jump all over the result: ask for the line a few gaps ahead.
            constexpr size_t kAhead = 8;
            if (timeIndex + kAhead < total) {
                const char* ahead = reinterpret_cast<const char*>(&out.gaps[position[timeIndex + kAhead]]);
                __builtin_prefetch(ahead, 1);
                __builtin_prefetch(ahead + sizeof(Gap) - 1, 1);  // a gap may straddle two lines
            }
            Gap g = classifyGap(trace, host, ctx, idle, nullptr, cursors);
            CauseTotal& tot = out.totals[static_cast<int>(g.cause)];
            ++tot.count;
            tot.totalNs += g.dur;
            out.idleNs += g.dur;
            out.unrecordedNs += g.unrecordedNs;
            out.gaps[position[timeIndex++]] = std::move(g);
        }
    }
    // Details for the longest gaps that are listed: the text is what costs (host ops per gap), and
    // a reader looks at the longest ones; the rest keep their cause and numbers. Written in time
    // order, so that the searches sweep forward as in the pass above.
    size_t detailed = 0;
    while (detailed < out.gaps.size() && detailed < maxDetails && out.gaps[detailed].dur >= detailMinNs) ++detailed;
    std::vector<uint32_t> inTimeOrder(detailed);
    for (uint32_t i = 0; i < detailed; ++i) inTimeOrder[i] = i;
    std::sort(inTimeOrder.begin(), inTimeOrder.end(), [&](uint32_t a, uint32_t b) {
        const Gap &x = out.gaps[a], &y = out.gaps[b];
        return x.device != y.device ? x.device < y.device : x.start < y.start;
    });
    std::vector<SweepCursors> detailCursors;
    for (const DeviceContext& ctx : contexts) detailCursors.emplace_back(ctx, host);
    out.detailSpans.resize(detailed);
    // Room for typical lines (~80 bytes), mapped in advance; longer ones grow it.
    out.detailText.reserve(detailed * 96);
    prefaultForWrite(out.detailText.data(), out.detailText.capacity());
    std::string detail;
    for (const uint32_t i : inTimeOrder) {
        Gap& g = out.gaps[i];
        for (size_t k = 0; k < contexts.size(); ++k)
            if (contexts[k].dev->device == g.device) {
                detail.clear();
                g = classifyGap(trace, host, contexts[k], TimeInterval{g.start, g.start + g.dur}, &detail,
                                detailCursors[k]);
                out.detailSpans[i] = {uint32_t(out.detailText.size()), uint32_t(detail.size())};
                out.detailText += detail;
                break;
            }
    }
    return out;
}

std::string_view GapAnalysis::detailOf(size_t gapIndex) const {
    if (gapIndex >= detailSpans.size()) return {};
    const auto [offset, length] = detailSpans[gapIndex];
    return std::string_view(detailText).substr(offset, length);
}

std::string_view GapAnalysis::detailOf(const Gap& gap) const {
    const std::less<const Gap*> before;
    if (before(&gap, gaps.data()) || !before(&gap, gaps.data() + gaps.size())) return {};
    return detailOf(size_t(&gap - gaps.data()));
}

}  // namespace gaplens
