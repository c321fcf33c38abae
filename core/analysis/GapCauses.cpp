#include "core/analysis/GapCauses.h"

#include <algorithm>

#include "core/model/TimeText.h"
#include "core/analysis/HostActivity.h"

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
NextWork nextWorkAt(const Trace& trace, const std::vector<uint32_t>& streams, TimeNs t) {
    NextWork best;
    TimeNs bestLaunch = 0;
    for (uint32_t ti : streams) {
        const Track& tr = trace.tracks[ti];
        auto it = std::lower_bound(tr.start.begin(), tr.start.end(), t);
        for (size_t i = size_t(it - tr.start.begin()); i < tr.size() && tr.start[i] == t; ++i) {
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

// The cause of one idle interval, and with `wantDetail` the text naming what is responsible.
Gap classifyGap(const Trace& trace, const HostActivity& host, const DeviceContext& ctx, const TimeInterval& idle,
                bool wantDetail) {
    Gap g;
    g.device = ctx.dev->device;
    g.start = idle.start;
    g.dur = idle.dur();

    const TimeNs gs = idle.start, ge = idle.end;
    const NextWork next = ge < ctx.dev->windowEndNs ? nextWorkAt(trace, ctx.streams, ge) : NextWork{};
    g.next = next.op;
    g.launch = next.launch;

    if (next.op.valid() && next.launch.valid()) {
        const TimeNs tL = trace.start(next.launch);
        const ThreadActivity* th = host.thread(next.launch.track);
        const TimeNs hostEnd = std::min(tL, ge);
        if (th) {
            g.setupNs = th->oneTime.covered(gs, ge);
            g.unrecordedNs = unrecordedHostTime(*th, host, gs, hostEnd);
        } else {
            g.setupNs = host.overhead.covered(gs, ge);
        }
        if (tL < gs) {
            g.cause = GapCause::QueuedLaunch;
            if (wantDetail)
                g.detail = shortKernelName(trace.name(next.op)) + " launched " + formatDuration(gs - tL) +
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
                g.detail = s;
            }
        } else {
            // A blocking call on the launching thread that returned inside the gap, before the launch.
            EventRef blocking;
            if (th) {
                auto it = std::lower_bound(th->blockingEnds.begin(), th->blockingEnds.end(), gs);
                if (it != th->blockingEnds.end() && *it <= tL)
                    blocking = th->blockingCalls[size_t(it - th->blockingEnds.begin())];
            }
            const TimeNs hostSpan = hostEnd - gs;
            const TimeNs covered = th ? th->any.covered(gs, hostEnd) : 0;
            if (blocking.valid()) {
                g.cause = GapCause::Sync;
                g.syncNs = std::min(trace.end(blocking), ge) - std::max(trace.start(blocking), gs);
                if (wantDetail) {
                    const TimeNs ret = trace.end(blocking);
                    std::string s = std::string(trace.name(blocking)) + " returned " +
                                    formatDuration(ret - gs) + " into the gap";
                    const auto ops = topHostOpsIn(trace, next.launch.track, ret, trace.end(next.launch), 3);
                    if (!ops.empty()) s += "; then " + joinTopOps(ops);
                    g.detail = s;
                }
            } else if (hostSpan > 0 && 2 * covered < hostSpan) {
                g.cause = GapCause::HostIdle;
                if (wantDetail)
                    g.detail = "no host activity for " + formatDuration(hostSpan - covered) + " before " +
                               std::string(trace.name(next.launch));
            } else {
                g.cause = GapCause::HostOverhead;
                if (wantDetail) {
                    const auto ops = topHostOpsIn(trace, next.launch.track, gs, trace.end(next.launch), 3);
                    g.detail = "host ops: " + (ops.empty() ? std::string(trace.name(next.launch)) : joinTopOps(ops));
                }
            }
        }
    } else if (next.op.valid() && trace.start(next.op) < ctx.firstLinkedStart) {
        // Work from before the profiling window: launched before the trace began.
        g.cause = GapCause::QueuedLaunch;
        if (wantDetail)
            g.detail = shortKernelName(trace.name(next.op)) + " was launched before the trace began";
    } else {
        // No launch record (trace end, or a GPU op whose launch was not recorded): judge by
        // whether any host thread was busy during the gap.
        TimeNs busiest = 0;
        uint32_t busiestTrack = 0;
        for (const ThreadActivity& th : host.threads) {
            const TimeNs c = th.any.covered(gs, ge);
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
            if (wantDetail) g.detail = "no host activity for " + formatDuration(g.dur - busiest) + where;
        } else {
            g.cause = GapCause::HostOverhead;
            if (wantDetail) g.detail = "host ops: " + joinTopOps(topHostOpsIn(trace, busiestTrack, gs, ge, 3)) + where;
        }
    }
    return g;
}

}  // namespace

GapAnalysis analyzeGaps(const Trace& trace, const GpuBusy& busy, const HostActivity& host, TimeNs detailMinNs,
                        size_t maxDetails) {
    GapAnalysis out;
    size_t total = 0;
    std::vector<DeviceContext> contexts;
    for (const DeviceBusy& dev : busy.devices) {
        total += dev.idle.size();
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
    out.gaps.reserve(total);
    // Every gap gets a cause (the totals count them all); details come after the sort.
    for (const DeviceContext& ctx : contexts) {
        for (const TimeInterval& idle : ctx.dev->idle) {
            if (idle.dur() <= 0) continue;
            Gap g = classifyGap(trace, host, ctx, idle, false);
            CauseTotal& tot = out.totals[static_cast<int>(g.cause)];
            ++tot.count;
            tot.totalNs += g.dur;
            out.idleNs += g.dur;
            out.unrecordedNs += g.unrecordedNs;
            out.gaps.push_back(std::move(g));
        }
    }
    // Longest first. Sort small keys, then move each gap once (a Gap carries its detail string).
    struct Key {
        TimeNs dur, start;
        int device;
        uint32_t index;
    };
    std::vector<Key> keys;
    keys.reserve(out.gaps.size());
    for (uint32_t i = 0; i < out.gaps.size(); ++i) keys.push_back({out.gaps[i].dur, out.gaps[i].start, out.gaps[i].device, i});
    std::sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) {
        return a.dur != b.dur ? a.dur > b.dur : (a.start != b.start ? a.start < b.start : a.device < b.device);
    });
    // Apply the permutation in place, cycle by cycle (no second array of gaps to fault in).
    std::vector<uint32_t> source(keys.size());
    for (uint32_t i = 0; i < keys.size(); ++i) source[i] = keys[i].index;  // position i takes gap source[i]
    for (uint32_t i = 0; i < source.size(); ++i) {
        if (source[i] == i) continue;
        Gap held = std::move(out.gaps[i]);
        uint32_t j = i;
        while (source[j] != i) {
            out.gaps[j] = std::move(out.gaps[source[j]]);
            const uint32_t next = source[j];
            source[j] = j;
            j = next;
        }
        out.gaps[j] = std::move(held);
        source[j] = j;
    }
    // Details for the longest gaps that are listed: the text is what costs (host ops per gap), and
    // a reader looks at the longest ones; the rest keep their cause and numbers.
    size_t detailed = 0;
    for (Gap& g : out.gaps) {
        if (g.dur < detailMinNs || detailed >= maxDetails) break;
        for (const DeviceContext& ctx : contexts)
            if (ctx.dev->device == g.device) {
                g = classifyGap(trace, host, ctx, TimeInterval{g.start, g.start + g.dur}, true);
                break;
            }
        ++detailed;
    }
    return out;
}

}  // namespace gaplens
