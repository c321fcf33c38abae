#pragma once
// A set of disjoint, sorted time intervals with prefix sums, so that "how much of [a, b) is
// covered" costs two binary searches. Built once per track and queried per gap or range.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "core/model/Trace.h"

namespace gaplens {

class IntervalSet {
public:
    // Adds [start, end); call in any order, then build().
    void add(TimeNs start, TimeNs end) {
        if (end > start) raw_.push_back({start, end});
    }
    // Merges the added intervals. Cheap when they were added sorted by start.
    void build() {
        if (!std::is_sorted(raw_.begin(), raw_.end(), [](const Span& a, const Span& b) { return a.s < b.s; }))
            std::sort(raw_.begin(), raw_.end(), [](const Span& a, const Span& b) { return a.s < b.s; });
        starts_.clear();
        ends_.clear();
        prefix_.clear();
        TimeNs sum = 0;
        for (const Span& x : raw_) {
            if (!ends_.empty() && x.s <= ends_.back()) {
                if (x.e > ends_.back()) {
                    sum += x.e - ends_.back();
                    ends_.back() = x.e;
                    prefix_.back() = sum;
                }
                continue;
            }
            starts_.push_back(x.s);
            ends_.push_back(x.e);
            sum += x.e - x.s;
            prefix_.push_back(sum);
        }
        raw_.clear();
        raw_.shrink_to_fit();
    }

    // Covered time inside [a, b).
    TimeNs covered(TimeNs a, TimeNs b) const {
        if (b <= a || starts_.empty()) return 0;
        return coveredBefore(b) - coveredBefore(a);
    }
    // Is time t inside an interval.
    bool contains(TimeNs t) const {
        auto it = std::upper_bound(starts_.begin(), starts_.end(), t);
        if (it == starts_.begin()) return false;
        return ends_[size_t(it - starts_.begin()) - 1] > t;
    }
    // Index of the first interval that ends after t (size() when none).
    size_t firstEndingAfter(TimeNs t) const {
        return size_t(std::upper_bound(ends_.begin(), ends_.end(), t) - ends_.begin());
    }
    size_t size() const { return starts_.size(); }
    bool empty() const { return starts_.empty(); }
    TimeNs start(size_t i) const { return starts_[i]; }
    TimeNs end(size_t i) const { return ends_[i]; }
    TimeNs total() const { return prefix_.empty() ? 0 : prefix_.back(); }

private:
    struct Span {
        TimeNs s, e;
    };
    // Covered time in (-inf, t).
    TimeNs coveredBefore(TimeNs t) const {
        auto it = std::upper_bound(starts_.begin(), starts_.end(), t);
        if (it == starts_.begin()) return 0;
        const size_t i = size_t(it - starts_.begin()) - 1;  // last interval starting at or before t
        const TimeNs before = i ? prefix_[i - 1] : 0;
        return before + (std::min(ends_[i], t) - starts_[i]);
    }

    std::vector<Span> raw_;
    std::vector<TimeNs> starts_, ends_, prefix_;
};

}  // namespace gaplens
