#include "core/capture/TscClock.h"

#include <algorithm>
#include <fstream>
#include <string>

namespace gaplens::capture {

bool tscIsInvariant() {
#if defined(__x86_64__)
    static const bool invariant = [] {
        std::ifstream cpuinfo("/proc/cpuinfo");
        std::string line;
        while (std::getline(cpuinfo, line)) {
            if (line.rfind("flags", 0) != 0) continue;
            const std::string flags = line + " ";
            return flags.find(" constant_tsc ") != std::string::npos && flags.find(" nonstop_tsc ") != std::string::npos;
        }
        return false;
    }();
    return invariant;
#else
    return false;
#endif
}

void TscToClock::add(uint64_t tsc, uint64_t clock) {
    if (!pairs_.empty() && (tsc <= pairs_.back().first || clock <= pairs_.back().second)) return;
    pairs_.emplace_back(tsc, clock);
}

uint64_t TscToClock::onLine(const std::pair<uint64_t, uint64_t>& a, const std::pair<uint64_t, uint64_t>& b,
                            uint64_t tsc) {
    // 128-bit: ticks times nanoseconds overflows 64 bits after a few seconds between pairs.
    const __int128 ticks = __int128(tsc) - __int128(a.first);
    const __int128 clock = __int128(a.second) + ticks * __int128(b.second - a.second) / __int128(b.first - a.first);
    return clock < 0 ? 0 : uint64_t(clock);
}

uint64_t TscToClock::toClock(uint64_t tsc) const {
    const size_t n = pairs_.size();
    if (n == 0) return 0;
    if (n == 1) {
        const __int128 clock = __int128(pairs_[0].second) + (__int128(tsc) - __int128(pairs_[0].first));
        return clock < 0 ? 0 : uint64_t(clock);
    }
    const auto after = std::upper_bound(pairs_.begin(), pairs_.end(), tsc,
                                        [](uint64_t t, const std::pair<uint64_t, uint64_t>& p) { return t < p.first; });
    if (after != pairs_.begin() && after != pairs_.end()) return onLine(*(after - 1), *after, tsc);
    if (after == pairs_.begin()) {
        // Before the first pair: the first stretch from it long enough to trust its rate.
        for (size_t j = 1; j < n; ++j)
            if (pairs_[j].second - pairs_[0].second >= kMinExtrapolationSpan) return onLine(pairs_[0], pairs_[j], tsc);
    } else {
        // After the last pair: the last stretch up to it long enough to trust its rate.
        for (size_t j = n - 1; j-- > 0;)
            if (pairs_[n - 1].second - pairs_[j].second >= kMinExtrapolationSpan)
                return onLine(pairs_[j], pairs_[n - 1], tsc);
    }
    return onLine(pairs_.front(), pairs_.back(), tsc);
}

}  // namespace gaplens::capture
