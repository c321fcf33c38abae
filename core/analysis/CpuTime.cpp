#include "core/analysis/CpuTime.h"

#include <algorithm>
#include <limits>
#include <vector>

#include "core/analysis/GpuBusy.h"
#include "core/analysis/IntervalSet.h"

namespace gaplens {

namespace {

// The intervals of `busy` inside [from, to) minus those of `blocked`, one at a time in time order
// (a trace of millions of events would otherwise copy them all).
class WorkingIntervals {
public:
    WorkingIntervals(const IntervalSet& busy, const IntervalSet* blocked, TimeNs from, TimeNs to)
        : busy_(busy), blocked_(blocked), to_(to), cursor_(from), i_(busy.firstEndingAfter(from)) {}
    bool next(TimeInterval& out) {
        while (i_ < busy_.size() && busy_.start(i_) < to_) {
            const TimeNs s = std::max(cursor_, busy_.start(i_)), e = std::min(to_, busy_.end(i_));
            if (s >= e) {
                ++i_;
                continue;
            }
            if (blocked_) {
                while (j_ < blocked_->size() && blocked_->end(j_) <= s) ++j_;
                if (j_ < blocked_->size() && blocked_->start(j_) <= s) {  // s is inside a wait
                    cursor_ = blocked_->end(j_);
                    continue;
                }
            }
            const TimeNs pieceEnd = blocked_ && j_ < blocked_->size() ? std::min(e, blocked_->start(j_)) : e;
            out = {s, pieceEnd};
            cursor_ = pieceEnd;
            return true;
        }
        return false;
    }

private:
    const IntervalSet& busy_;
    const IntervalSet* blocked_;
    TimeNs to_, cursor_;
    size_t i_, j_ = 0;
};

// Length of the union of several threads' intervals: a merge by start of their streams.
TimeNs unionLength(std::vector<WorkingIntervals>& streams) {
    std::vector<TimeInterval> head(streams.size());
    std::vector<uint8_t> live(streams.size());
    for (size_t k = 0; k < streams.size(); ++k) live[k] = streams[k].next(head[k]);
    TimeNs sum = 0, runStart = 0, runEnd = std::numeric_limits<TimeNs>::min();
    while (true) {
        size_t first = streams.size();
        for (size_t k = 0; k < streams.size(); ++k)
            if (live[k] && (first == streams.size() || head[k].start < head[first].start)) first = k;
        if (first == streams.size()) break;
        const TimeInterval x = head[first];
        if (x.start > runEnd) {
            if (runEnd > runStart) sum += runEnd - runStart;
            runStart = x.start;
            runEnd = x.end;
        } else {
            runEnd = std::max(runEnd, x.end);
        }
        live[first] = streams[first].next(head[first]);
    }
    if (runEnd > runStart) sum += runEnd - runStart;
    return sum;
}

}  // namespace

CpuTime cpuTimeIn(const HostActivity& host, std::span<const uint32_t> tracks, TimeNs from, TimeNs to) {
    CpuTime out;
    if (to <= from) return out;
    std::vector<const ThreadActivity*> threads;
    for (const uint32_t t : tracks)
        if (const ThreadActivity* th = host.thread(t); th && std::find(threads.begin(), threads.end(), th) == threads.end())
            threads.push_back(th);
    if (threads.size() == 1) {
        // Blocking calls are events of the thread: inside its busy time.
        out.busyNs = threads[0]->any.covered(from, to);
        out.blockedNs = std::min(out.busyNs, threads[0]->blocked.covered(from, to));
        return out;
    }
    std::vector<WorkingIntervals> busy, working;
    for (const ThreadActivity* th : threads) {
        busy.emplace_back(th->any, nullptr, from, to);
        working.emplace_back(th->any, &th->blocked, from, to);
    }
    out.busyNs = unionLength(busy);
    out.blockedNs = out.busyNs - unionLength(working);
    return out;
}

}  // namespace gaplens
