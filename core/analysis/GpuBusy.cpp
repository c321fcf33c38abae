#include "core/analysis/GpuBusy.h"

#include <algorithm>
#include <limits>

#include "core/analysis/IntervalSet.h"
#include "core/analysis/Prefault.h"

namespace gaplens {

namespace {

// Merges intervals sorted by start into a disjoint sorted list.
void appendMerged(std::vector<TimeInterval>& out, TimeNs s, TimeNs e) {
    if (!out.empty() && s <= out.back().end) {
        out.back().end = std::max(out.back().end, e);
        return;
    }
    out.push_back({s, e});
}

// Where one stream of the device stands in the merge of all its streams.
struct StreamCursor {
    const Track* track = nullptr;
    uint32_t next = 0;  // next event to look at
    // Moves `next` to the next GPU work (kernel, copy, memset); false at the end.
    bool seekWork() {
        while (next < track->size() && !isGpuWork(track->kind[next])) ++next;
        return next < track->size();
    }
};

// Copies while no kernel runs, built as the merge of the streams hands over work in start order
// (no list of the kernels is kept: a trace of millions of kernels would map it for nothing). The
// current merged kernel interval cuts the copy pieces still open when it ends; a piece that ends
// before the next kernel starts is final, since no later kernel starts before that one.
class CopyOnlySweep {
public:
    explicit CopyOnlySweep(std::vector<TimeInterval>& out) : out_(out) {}
    void kernel(TimeNs s, TimeNs e) {
        if (haveKernel_ && s <= kernelEnd_) {
            kernelEnd_ = std::max(kernelEnd_, e);
            return;
        }
        if (haveKernel_) cut();
        flushBefore(s);
        kernelStart_ = s;
        kernelEnd_ = e;
        haveKernel_ = true;
    }
    void copy(TimeNs s, TimeNs e) {
        if (!open_.empty() && s <= open_.back().end) open_.back().end = std::max(open_.back().end, e);
        else open_.push_back({s, e});
    }
    void finish() {
        if (haveKernel_) cut();
        flushBefore(std::numeric_limits<TimeNs>::max());
    }

private:
    void cut() {
        if (open_.empty()) return;
        scratch_.clear();
        for (const TimeInterval& x : open_) {
            if (x.end <= kernelStart_ || x.start >= kernelEnd_) {
                scratch_.push_back(x);
                continue;
            }
            if (x.start < kernelStart_) scratch_.push_back({x.start, kernelStart_});
            if (x.end > kernelEnd_) scratch_.push_back({kernelEnd_, x.end});
        }
        open_.swap(scratch_);
    }
    void flushBefore(TimeNs t) {
        size_t n = 0;
        while (n < open_.size() && open_[n].end <= t) out_.push_back(open_[n++]);
        open_.erase(open_.begin(), open_.begin() + long(n));
    }
    std::vector<TimeInterval>& out_;
    std::vector<TimeInterval> open_, scratch_;
    TimeNs kernelStart_ = 0, kernelEnd_ = 0;
    bool haveKernel_ = false;
};

// Time of sorted, disjoint intervals inside [from, to).
TimeNs clippedTotal(const std::vector<TimeInterval>& v, TimeNs from, TimeNs to) {
    size_t hint = 0;
    return coveredTimeIn(v, from, to, hint);
}

}  // namespace

GpuBusy computeGpuBusy(const Trace& trace) {
    GpuBusy result;
    for (int device : trace.devices()) {
        DeviceBusy d;
        d.device = device;
        TimeNs firstStart = 0;
        bool any = false, firstLinked = false;
        std::vector<StreamCursor> streams;
        size_t work = 0;
        for (const Track& t : trace.tracks) {
            if (!t.isGpu() || t.device != device) continue;
            streams.push_back({&t, 0});
            for (uint32_t i = 0; i < t.size(); ++i) {
                const EventKind k = t.kind[i];
                if (!isGpuWork(k)) continue;
                ++work;
                if (k == EventKind::Kernel) {
                    ++d.kernels;
                    d.kernelNs += t.dur[i];
                } else if (k == EventKind::Memcpy) {
                    ++d.memcpys;
                } else {
                    ++d.memsets;
                }
                // Earliest GPU op of the device; on a tie, a linked one wins (its time is known).
                const bool linked = t.link[i].valid();
                if (!any || t.start[i] < firstStart || (t.start[i] == firstStart && linked && !firstLinked)) {
                    firstStart = t.start[i];
                    firstLinked = linked;
                    any = true;
                }
            }
        }
        // The union over all streams in one pass: merge the streams by start (each is sorted) and
        // merge overlapping or touching intervals as they come. Room for one interval per op: on
        // a trace of short kernels few of them overlap.
        std::vector<TimeInterval> merged;
        reservePrefaulted(merged, work);
        // Per engine, only where the device has copies: otherwise compute busy is busy.
        const bool hasCopies = d.memcpys + d.memsets > 0;
        CopyOnlySweep copyOnly(d.copyOnly);
        for (StreamCursor& c : streams) c.seekWork();
        while (true) {
            StreamCursor* first = nullptr;
            for (StreamCursor& c : streams)
                if (c.next < c.track->size() && (!first || c.track->start[c.next] < first->track->start[first->next]))
                    first = &c;
            if (!first) break;
            const Track& t = *first->track;
            // Take every event of this stream that starts before the other streams' next one.
            TimeNs limit = std::numeric_limits<TimeNs>::max();
            for (const StreamCursor& c : streams)
                if (&c != first && c.next < c.track->size()) limit = std::min(limit, c.track->start[c.next]);
            do {
                const TimeNs s = t.start[first->next], e = t.end(first->next);
                appendMerged(merged, s, e);
                if (hasCopies) {
                    if (t.kind[first->next] == EventKind::Kernel) {
                        copyOnly.kernel(s, e);
                    } else {
                        appendMerged(d.copyBusy, s, e);
                        copyOnly.copy(s, e);
                    }
                }
                ++first->next;
            } while (first->seekWork() && t.start[first->next] <= limit);
        }
        d.windowStartNs = trace.beginNs();
        d.windowEndNs = trace.endNs();
        // The trap: the profiling window opened while the GPU ran work launched before it. The
        // time before that first op is unknown, not idle.
        if (any && !firstLinked && firstStart > d.windowStartNs) {
            d.unknownNs = firstStart - d.windowStartNs;
            d.windowStartNs = firstStart;
        }
        reservePrefaulted(d.idle, merged.size() + 1);
        TimeNs cursor = d.windowStartNs;
        for (const TimeInterval& b : merged) {
            const TimeNs s = std::max(b.start, d.windowStartNs), e = std::min(b.end, d.windowEndNs);
            if (e <= s) continue;
            if (s > cursor) d.idle.push_back({cursor, s});
            d.busyNs += e - s;
            cursor = std::max(cursor, e);
        }
        if (d.windowEndNs > cursor) d.idle.push_back({cursor, d.windowEndNs});
        d.busy = std::move(merged);
        d.idleNs = (d.windowEndNs - d.windowStartNs) - d.busyNs;
        if (hasCopies) {
            copyOnly.finish();
            d.copyBusyNs = clippedTotal(d.copyBusy, d.windowStartNs, d.windowEndNs);
            d.computeIdleWhileCopyingNs = clippedTotal(d.copyOnly, d.windowStartNs, d.windowEndNs);
        }
        d.computeBusyNs = d.busyNs - d.computeIdleWhileCopyingNs;
        result.devices.push_back(std::move(d));
    }
    return result;
}

TimeNs busyTimeIn(const DeviceBusy& device, TimeNs from, TimeNs to) {
    size_t hint = 0;
    return busyTimeIn(device, from, to, hint);
}

TimeNs busyTimeIn(const DeviceBusy& device, TimeNs from, TimeNs to, size_t& hint) {
    return coveredTimeIn(device.busy, from, to, hint);
}

TimeNs coveredTimeIn(const std::vector<TimeInterval>& b, TimeNs from, TimeNs to, size_t& hint) {
    if (to <= from) return 0;
    // The first interval that ends after `from`.
    size_t i = partitionPointFrom(b, hint, [from](const TimeInterval& x) { return x.end <= from; });
    hint = i;
    TimeNs sum = 0;
    for (; i < b.size() && b[i].start < to; ++i) sum += std::min(b[i].end, to) - std::max(b[i].start, from);
    return sum;
}

TimeNs computeBusyTimeIn(const DeviceBusy& device, TimeNs from, TimeNs to) {
    return busyTimeIn(device, from, to) - computeIdleWhileCopyingIn(device, from, to);
}

TimeNs copyBusyTimeIn(const DeviceBusy& device, TimeNs from, TimeNs to) { return clippedTotal(device.copyBusy, from, to); }

TimeNs computeIdleWhileCopyingIn(const DeviceBusy& device, TimeNs from, TimeNs to) {
    return clippedTotal(device.copyOnly, from, to);
}

}  // namespace gaplens
