#pragma once
// The order statistics the analyses share. Both select with nth_element (no full sort) and
// reorder their input.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <iterator>
#include <vector>

namespace gaplens {

// Nearest rank (1-based) of percentile p (0..100) among n values: the smallest value with at least
// p% of the values at or below it.
inline size_t nearestRank(size_t n, double p) {
    return std::clamp<size_t>(size_t(std::ceil(p / 100.0 * double(n))), 1, n);
}

// Nearest-rank percentile of [first, last); a value-initialized one when the range is empty.
template <class It>
auto percentileOf(It first, It last, double p) -> typename std::iterator_traits<It>::value_type {
    const size_t n = size_t(std::distance(first, last));
    if (n == 0) return {};
    const It nth = first + long(nearestRank(n, p) - 1);
    std::nth_element(first, nth, last);
    return *nth;
}

// The upper median: the value at n/2 in sorted order (the middle one, or the higher of the two
// middle ones); 0 when empty.
template <class T>
T upperMedianOf(std::vector<T>& v) {
    if (v.empty()) return T{};
    std::nth_element(v.begin(), v.begin() + long(v.size() / 2), v.end());
    return v[v.size() / 2];
}

}  // namespace gaplens
