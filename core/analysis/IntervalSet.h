#pragma once
// A set of disjoint, sorted time intervals with prefix sums, so that "how much of [a, b) is
// covered" costs two binary searches. Built once per track and queried per gap or range. A sweep
// that asks in time order passes a hint (the previous answer's position) and pays O(1) per query.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "core/analysis/Prefault.h"
#include "core/model/Trace.h"

namespace gaplens {

// std::partition_point over v for `before` (true on a prefix), searched outward from `hint`:
// exponential steps, then a binary search inside the last step. Queries that move a little each
// time cost O(1) and stay in cache; a binary search over millions of entries misses cache ~10
// times.
template <class T, class Before>
size_t partitionPointFrom(const std::vector<T>& v, size_t hint, Before before) {
    const size_t n = v.size();
    size_t lo = 0, hi = n;  // the answer lies in [lo, hi]
    if (hint < n && before(v[hint])) {
        lo = hint + 1;
        size_t step = 1, probe = lo;
        while (probe < n && before(v[probe])) {
            lo = probe + 1;
            probe = lo + step;
            step <<= 1;
        }
        hi = std::min(n, probe);
    } else {
        hi = std::min(hint, n);
        size_t step = 1;
        while (hi >= step && !before(v[hi - step])) {
            hi -= step;
            step <<= 1;
        }
        lo = hi >= step ? hi - step + 1 : 0;
    }
    return size_t(std::partition_point(v.begin() + long(lo), v.begin() + long(hi), before) - v.begin());
}

class IntervalSet {
public:
    // Adds [start, end); call in any order, then build(). Intervals added in start order are
    // merged as they come (no copy of the raw list).
    void add(TimeNs start, TimeNs end) {
        if (end <= start) return;
        if (raw_.empty() && (starts_.empty() || start >= lastStart_)) {
            lastStart_ = start;
            appendSorted(start, end);
            return;
        }
        if (raw_.empty()) {
            // First interval out of order: restart from the merged ones (the union is the same).
            raw_.reserve(starts_.size() + 1);
            for (size_t i = 0; i < starts_.size(); ++i) raw_.push_back({starts_[i], this->end(i)});
            starts_.clear();
            prefix_.clear();
        }
        raw_.push_back({start, end});
    }
    // Room for `n` intervals, mapped in advance (Prefault.h): pass about the number that will
    // be added.
    void reserve(size_t n) {
        reservePrefaulted(starts_, n);
        reservePrefaulted(prefix_, n);
    }
    // Merges the added intervals.
    void build() {
        if (raw_.empty()) return;  // added in order: merged already
        std::sort(raw_.begin(), raw_.end(), [](const Span& a, const Span& b) { return a.s < b.s; });
        starts_.clear();
        prefix_.clear();
        reserve(raw_.size());
        for (const Span& x : raw_) appendSorted(x.s, x.e);
        raw_.clear();
        raw_.shrink_to_fit();
    }

    // Covered time inside [a, b).
    TimeNs covered(TimeNs a, TimeNs b) const {
        size_t hint = 0;
        return covered(a, b, hint);
    }
    // The same, for queries in time order: `hint` is where the previous query's `a` landed (start
    // with 0, keep one per sweep).
    TimeNs covered(TimeNs a, TimeNs b, size_t& hint) const {
        if (b <= a || starts_.empty()) return 0;
        const size_t ia = upperStart(a, hint);
        hint = ia;
        const size_t ib = upperStart(b, ia);
        return coveredBefore(b, ib) - coveredBefore(a, ia);
    }
    // Is time t inside an interval.
    bool contains(TimeNs t) const {
        auto it = std::upper_bound(starts_.begin(), starts_.end(), t);
        if (it == starts_.begin()) return false;
        return end(size_t(it - starts_.begin()) - 1) > t;
    }
    // Index of the first interval that ends after t (size() when none). The ends ascend too.
    size_t firstEndingAfter(TimeNs t) const {
        size_t lo = 0, hi = starts_.size();
        while (lo < hi) {
            const size_t mid = lo + (hi - lo) / 2;
            if (end(mid) <= t) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
    size_t size() const { return starts_.size(); }
    bool empty() const { return starts_.empty(); }
    TimeNs start(size_t i) const { return starts_[i]; }
    // An interval's end is its start plus its length, which the prefix sums hold.
    TimeNs end(size_t i) const { return starts_[i] + (prefix_[i] - (i ? prefix_[i - 1] : 0)); }
    TimeNs total() const { return prefix_.empty() ? 0 : prefix_.back(); }

private:
    struct Span {
        TimeNs s, e;
    };
    void appendSorted(TimeNs s, TimeNs e) {
        if (!starts_.empty() && s <= lastEnd_) {
            if (e > lastEnd_) {
                prefix_.back() += e - lastEnd_;
                lastEnd_ = e;
            }
            return;
        }
        const TimeNs before = prefix_.empty() ? 0 : prefix_.back();
        starts_.push_back(s);
        prefix_.push_back(before + (e - s));
        lastEnd_ = e;
    }
    // Number of intervals starting at or before t (std::upper_bound over the starts).
    size_t upperStart(TimeNs t, size_t hint) const {
        return partitionPointFrom(starts_, hint, [t](TimeNs s) { return s <= t; });
    }
    // Covered time in (-inf, t); `upper` = upperStart(t).
    TimeNs coveredBefore(TimeNs t, size_t upper) const {
        if (upper == 0) return 0;
        const size_t i = upper - 1;  // last interval starting at or before t
        const TimeNs before = i ? prefix_[i - 1] : 0;
        return before + (std::min(prefix_[i] - before, t - starts_[i]));
    }

    std::vector<Span> raw_;  // only while intervals came out of start order
    // Merged intervals: starts, and covered time up to each one's end (the ends follow from
    // both, see end()); a trace of millions of host events makes these the size that counts.
    std::vector<TimeNs> starts_, prefix_;
    TimeNs lastStart_ = 0;
    TimeNs lastEnd_ = 0;  // end of the last merged interval, while adding
};

}  // namespace gaplens
