#include "core/analysis/IterationDetection.h"

#include <algorithm>
#include <map>

namespace gaplens {

size_t allowedDifferences(size_t period) { return period / 8; }

namespace {

// A constant-spaced run of one name's occurrences: a candidate period.
struct Candidate {
    size_t period = 0;
    uint32_t key = 0;
    size_t first = 0, last = 0;  // indices into the key's occurrences: the run
    size_t coverage = 0;         // items from the run's first occurrence to one period past its last
};

// Multiset difference between two blocks of keys: the larger of the two one-sided differences
// (names in one block and not the other). `count` is all zeros on entry and on return.
size_t blockDifference(std::span<const uint32_t> a, std::span<const uint32_t> b, std::vector<int32_t>& count) {
    for (const uint32_t k : a) ++count[k];
    for (const uint32_t k : b) --count[k];
    size_t onlyA = 0, onlyB = 0;
    auto settle = [&](uint32_t k) {
        const int32_t c = count[k];
        if (c > 0) onlyA += size_t(c);
        else onlyB += size_t(-c);
        count[k] = 0;
    };
    for (const uint32_t k : a) settle(k);
    for (const uint32_t k : b) settle(k);
    return std::max(onlyA, onlyB);
}

// Checks a candidate's blocks from the end backwards: each block must have nearly the names of
// the one after it. The steady run is where that holds; before it is one-time work.
PeriodicRun verify(std::span<const uint32_t> items, const Candidate& c, std::span<const uint32_t> occurrences,
                   std::vector<int32_t>& count) {
    PeriodicRun run;
    run.period = c.period;
    const size_t allowed = allowedDifferences(c.period);
    auto block = [&](size_t j) {  // occurrence j to occurrence j + 1
        return items.subspan(occurrences[j], occurrences[j + 1] - occurrences[j]);
    };
    // The period after the last occurrence: as long as the one before it, cut at the end.
    const size_t lastStart = occurrences[c.last];
    const size_t lastLen = std::min(items.size() - lastStart, size_t(lastStart - occurrences[c.last - 1]));
    const bool lastFits = blockDifference(items.subspan(lastStart, lastLen), block(c.last - 1), count) <= allowed;
    size_t first = c.last - 1;
    while (first > c.first && blockDifference(block(first - 1), block(first), count) <= allowed) --first;
    for (size_t j = first; j <= c.last; ++j) run.blockStarts.push_back(occurrences[j]);
    run.end = lastStart;
    if (lastFits) run.end = lastStart + lastLen;
    else run.blockStarts.pop_back();
    return run;
}

}  // namespace

PeriodicRun findPeriodicRun(std::span<const uint32_t> items, uint32_t keyCount) {
    const size_t n = items.size();
    if (n < 3) return {};
    // Occurrences of each key, grouped by key (counting sort).
    std::vector<uint32_t> offset(size_t(keyCount) + 1, 0);
    for (const uint32_t k : items) ++offset[size_t(k) + 1];
    for (size_t k = 1; k < offset.size(); ++k) offset[k] += offset[k - 1];
    std::vector<uint32_t> occurrences(n);
    {
        std::vector<uint32_t> fill(offset.begin(), offset.end() - 1);
        for (size_t i = 0; i < n; ++i) occurrences[fill[items[i]]++] = uint32_t(i);
    }
    // Candidates: per key, the run of nearly constant spacing that ends at its last occurrence.
    std::map<size_t, Candidate> byPeriod;  // best candidate (largest coverage) per period
    size_t bestCoverage = 0;
    for (uint32_t k = 0; k < keyCount; ++k) {
        const size_t b = offset[k], c = offset[k + 1] - b;
        if (c < 3) continue;
        const uint32_t* pos = occurrences.data() + b;
        // The spacing of the last few occurrences (their median), so that one odd last period
        // does not set it.
        std::vector<size_t> recent;
        for (size_t j = c - 1; j > 0 && recent.size() < 5; --j) recent.push_back(pos[j] - pos[j - 1]);
        std::nth_element(recent.begin(), recent.begin() + long(recent.size() / 2), recent.end());
        const size_t d = recent[recent.size() / 2];
        const size_t tol = allowedDifferences(d);
        auto fits = [&](size_t j) {  // spacing before occurrence j
            const size_t s = pos[j] - pos[j - 1];
            return s + tol >= d && s <= d + tol;
        };
        size_t last = c - 1;
        while (last > 0 && !fits(last)) --last;  // trailing odd occurrences
        if (last < 2) continue;
        size_t first = last;
        while (first > 0 && fits(first)) --first;
        if (last - first < 2) continue;
        Candidate cand{d, k, first, last, std::min(n, size_t(pos[last]) + d) - pos[first]};
        Candidate& slot = byPeriod[d];
        if (cand.coverage > slot.coverage) slot = cand;
        bestCoverage = std::max(bestCoverage, cand.coverage);
    }
    // The shortest verified period that covers most of what the farthest-reaching one covers;
    // else the verified one that covers most.
    std::vector<int32_t> count(keyCount, 0);
    PeriodicRun best;
    size_t bestRunCoverage = 0;
    for (const auto& [period, cand] : byPeriod) {
        if (cand.coverage <= bestRunCoverage) continue;  // cannot beat what is verified already
        const std::span<const uint32_t> occ(occurrences.data() + offset[cand.key], offset[cand.key + 1] - offset[cand.key]);
        PeriodicRun run = verify(items, cand, occ, count);
        if (!run.found()) continue;
        const size_t covered = run.end - run.blockStarts.front();
        if (10 * covered >= 9 * bestCoverage) return run;
        if (covered > bestRunCoverage) {
            bestRunCoverage = covered;
            best = std::move(run);
        }
    }
    return best;
}

namespace {

// One launch of GPU work, in launch order.
struct Launch {
    TimeNs start;
    EventRef call;
};

}  // namespace

DetectedIterations detectIterations(const Trace& trace) {
    DetectedIterations out;
    // Graph launches are one item each, apart from a kernel of the same name launched alone.
    std::vector<uint8_t> graphLaunch(trace.strings.size(), 0);
    for (StringId id = 0; id < trace.strings.size(); ++id)
        graphLaunch[id] = trace.strings.str(id).find("GraphLaunch") != std::string_view::npos;
    // Launches of every thread, merged by start (each thread's come in start order).
    std::vector<Launch> launches;
    std::vector<size_t> runStarts;
    for (uint32_t ti = 0; ti < trace.tracks.size(); ++ti) {
        const Track& t = trace.tracks[ti];
        if (t.trackKind != TrackKind::CpuThread) continue;
        const size_t before = launches.size();
        for (uint32_t i = 0; i < t.size(); ++i)
            if (isApiCall(t.kind[i]) && t.link[i].valid()) launches.push_back({t.start[i], EventRef{ti, i}});
        if (launches.size() > before) runStarts.push_back(before);
    }
    for (size_t r = 1; r < runStarts.size(); ++r) {
        const size_t end = r + 1 < runStarts.size() ? runStarts[r + 1] : launches.size();
        std::inplace_merge(launches.begin(), launches.begin() + long(runStarts[r]), launches.begin() + long(end),
                           [](const Launch& a, const Launch& b) { return a.start < b.start; });
    }
    out.items = launches.size();
    if (launches.size() < 3) return out;
    std::vector<uint32_t> keys(launches.size());
    for (size_t i = 0; i < launches.size(); ++i) {
        const EventRef call = launches[i].call;
        const EventRef work = trace.linked(call);
        const StringId callName = trace.tracks[call.track].nameId[call.index];
        keys[i] = trace.tracks[work.track].nameId[work.index] * 2 + graphLaunch[callName];
    }
    const PeriodicRun run = findPeriodicRun(keys, uint32_t(trace.strings.size() * 2));
    if (!run.found()) return out;

    // Where an iteration begins: after the longest host pause of the period (between the end of
    // one launch call and the start of the next), summed over the periods.
    const size_t period = run.period;
    auto pauseBefore = [&](size_t i) -> TimeNs {
        if (i == 0) return 0;
        return launches[i].start - trace.end(launches[i - 1].call);
    };
    size_t phase = 0;
    TimeNs bestPause = -1;
    const size_t shortest = [&] {
        size_t s = run.end - run.blockStarts.back();
        for (size_t j = 0; j + 1 < run.blockStarts.size(); ++j)
            s = std::min(s, run.blockStarts[j + 1] - run.blockStarts[j]);
        return s;
    }();
    for (size_t phi = 0; phi < std::min(period, shortest); ++phi) {
        TimeNs sum = 0;
        for (const size_t b : run.blockStarts) sum += pauseBefore(b + phi);
        if (sum > bestPause) {
            bestPause = sum;
            phase = phi;
        }
    }
    std::vector<size_t> begins;
    for (const size_t b : run.blockStarts) begins.push_back(b + phase);
    // The last iteration: as long as the one before it, cut at the end of the launches.
    const size_t lastEnd = std::min(launches.size(), begins.back() + (begins.back() - begins[begins.size() - 2]));
    std::map<int, size_t> perDevice;
    for (size_t j = 0; j < begins.size(); ++j) {
        const size_t a = begins[j], b = j + 1 < begins.size() ? begins[j + 1] : lastEnd;
        if (b <= a) continue;
        const TimeNs hostEnd = j + 1 < begins.size() ? launches[b].start : trace.end(launches[b - 1].call);
        out.iterations.push_back({launches[a].start, hostEnd});
        for (size_t i = a; i < b; ++i) ++perDevice[trace.tracks[trace.linked(launches[i].call).track].device];
    }
    if (out.iterations.size() < 3) {
        out.iterations.clear();
        return out;
    }
    out.period = period;
    out.oneTimeItems = begins.front();
    size_t most = 0;
    for (const auto& [device, n] : perDevice)
        if (n > most) {
            most = n;
            out.device = device;
        }
    return out;
}

}  // namespace gaplens
