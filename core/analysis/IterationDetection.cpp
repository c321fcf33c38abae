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

// How many items from `a` match those from `b`, position by position, going forward (+1: a, a+1,
// ...) or backward (-1: a-1, a-2, ...), at most `limit`, with at most `allowed` mismatches; the
// length ends on a match.
size_t matchingLength(std::span<const uint32_t> items, size_t a, size_t b, size_t limit, size_t allowed, int dir) {
    size_t matched = 0, mismatches = 0;
    for (size_t k = 0; k < limit; ++k) {
        const size_t i = dir > 0 ? a + k : a - 1 - k, j = dir > 0 ? b + k : b - 1 - k;
        if (items[i] == items[j]) matched = k + 1;
        else if (++mismatches > allowed) break;
    }
    return matched;
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
    if (lastFits) {
        run.end = lastStart + lastLen;
    } else {
        // The trace ends inside a period (or trailing work follows): the part that matches the
        // start of the period before it, item by item, still belongs to the loop.
        run.blockStarts.pop_back();
        run.end = lastStart + matchingLength(items, lastStart, occurrences[c.last - 1], lastLen, allowed, +1);
    }
    // Before the first period: the items that match the end of the first period belong to the
    // loop too (the anchor need not be a step's first launch).
    const size_t first0 = run.blockStarts[0], first1 = occurrences[first + 1];
    run.start = first0 - matchingLength(items, first0, first1, std::min(first0, first1 - first0 - 1), allowed, -1);
    return run;
}

// The loop runs to the end of the trace: what follows its last period is at most one period, or a
// tenth of what it covers (a final copy, a checkpoint). Compilation and autotuning repeat kernels
// too, but before the loop, not at the end.
bool reachesEnd(size_t n, size_t runEnd, size_t period, size_t covered) {
    return n - runEnd <= std::max(period + allowedDifferences(period), covered / 10);
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
        const size_t runEnd = std::min(n, size_t(pos[last]) + d);
        Candidate cand{d, k, first, last, runEnd - pos[first]};
        if (!reachesEnd(n, runEnd, d, cand.coverage)) continue;
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
        if (!reachesEnd(n, run.end, period, covered)) continue;
        if (10 * covered >= 9 * bestCoverage) return run;
        if (covered > bestRunCoverage) {
            bestRunCoverage = covered;
            best = std::move(run);
        }
    }
    return best;
}

namespace {

// The whole iterations of a periodic run when each begins `phase` items after its period's
// anchor, as item ranges: one period earlier than the first anchor too when the loop starts that
// early; each ends where the next begins; the last is as long as the one before it and must end
// inside the loop.
std::vector<std::pair<size_t, size_t>> iterationItems(const PeriodicRun& run, size_t phase) {
    const std::vector<size_t>& starts = run.blockStarts;
    const size_t allowed = allowedDifferences(run.period);
    auto lengthBefore = [&](size_t j) { return j > 0 ? starts[j] - starts[j - 1] : run.period; };
    std::vector<size_t> begins;
    const size_t firstLen = starts.size() > 1 ? starts[1] - starts[0] : run.period;
    if (starts[0] + phase >= run.start + firstLen) begins.push_back(starts[0] + phase - firstLen);
    for (const size_t b : starts) begins.push_back(b + phase);
    const size_t afterLast = starts.back() + lengthBefore(starts.size() - 1);
    if (afterLast + phase < run.end) begins.push_back(afterLast + phase);
    std::vector<std::pair<size_t, size_t>> out;
    for (size_t j = 0; j < begins.size(); ++j) {
        const size_t a = begins[j];
        if (a >= run.end) break;
        if (j + 1 < begins.size() && begins[j + 1] <= run.end) {
            out.emplace_back(a, begins[j + 1]);
            continue;
        }
        const size_t len = j > 0 ? a - begins[j - 1] : run.period;
        if (a + len <= run.end + allowed) out.emplace_back(a, std::min(run.end, a + len));
        break;
    }
    return out;
}

}  // namespace

DetectedIterations detectIterations(const Trace& trace) {
    DetectedIterations out;
    // Graph launches are one item each, apart from a kernel of the same name launched alone.
    std::vector<uint8_t> graphLaunch(trace.strings.size(), 0);
    for (StringId id = 0; id < trace.strings.size(); ++id)
        graphLaunch[id] = trace.strings.str(id).find("GraphLaunch") != std::string_view::npos;
    // Launches of every thread, merged by start (each thread's come in start order), and the key
    // of each: the name of the work it launched, apart for a graph launch.
    struct Cursor {
        uint32_t track;
        uint32_t next;
    };
    std::vector<Cursor> cursors;
    size_t count = 0;
    for (uint32_t ti = 0; ti < trace.tracks.size(); ++ti) {
        const Track& t = trace.tracks[ti];
        if (t.trackKind != TrackKind::CpuThread) continue;
        size_t n = 0;
        for (uint32_t i = 0; i < t.size(); ++i) n += isApiCall(t.kind[i]) && t.link[i].valid();
        if (n) cursors.push_back({ti, 0});
        count += n;
    }
    auto seek = [&](Cursor& c) {
        const Track& t = trace.tracks[c.track];
        while (c.next < t.size() && !(isApiCall(t.kind[c.next]) && t.link[c.next].valid())) ++c.next;
        return c.next < t.size();
    };
    for (Cursor& c : cursors) seek(c);
    std::vector<EventRef> launches;
    std::vector<uint32_t> keys;
    launches.reserve(count);
    keys.reserve(count);
    while (true) {
        Cursor* first = nullptr;
        for (Cursor& c : cursors)
            if (c.next < trace.tracks[c.track].size() &&
                (!first || trace.tracks[c.track].start[c.next] < trace.tracks[first->track].start[first->next]))
                first = &c;
        if (!first) break;
        const EventRef call{first->track, first->next};
        const EventRef work = trace.linked(call);
        launches.push_back(call);
        keys.push_back(trace.tracks[work.track].nameId[work.index] * 2 +
                       graphLaunch[trace.tracks[call.track].nameId[call.index]]);
        ++first->next;
        seek(*first);
    }
    out.items = launches.size();
    if (launches.size() < 3) return out;
    const PeriodicRun run = findPeriodicRun(keys, uint32_t(trace.strings.size() * 2));
    if (!run.found()) return out;

    // Where an iteration begins: the phase (offset from the periods' anchors) that gives the most
    // whole iterations, and among those the one after the longest host pause of the period
    // (between the end of one launch call and the start of the next), summed over the periods.
    const size_t period = run.period;
    auto pauseBefore = [&](size_t i) -> TimeNs {
        if (i == 0) return 0;
        return trace.start(launches[i]) - trace.end(launches[i - 1]);
    };
    size_t shortest = period;
    for (size_t j = 0; j + 1 < run.blockStarts.size(); ++j)
        shortest = std::min(shortest, run.blockStarts[j + 1] - run.blockStarts[j]);
    std::vector<std::pair<size_t, size_t>> best;  // the iterations, as item ranges
    TimeNs bestPause = -1;
    for (size_t phi = 0; phi < std::min(period, shortest); ++phi) {
        const std::vector<std::pair<size_t, size_t>> its = iterationItems(run, phi);
        TimeNs pause = 0;
        for (const auto& it : its) pause += pauseBefore(it.first);
        if (its.size() > best.size() || (its.size() == best.size() && pause > bestPause)) {
            best = its;
            bestPause = pause;
        }
    }
    std::map<int, size_t> perDevice;
    for (size_t j = 0; j < best.size(); ++j) {
        const auto [a, b] = best[j];
        // Each ends where the next begins; the last with its last launch call.
        const bool next = j + 1 < best.size() && best[j + 1].first == b;
        const TimeNs hostEnd = next ? trace.start(launches[b]) : trace.end(launches[b - 1]);
        out.iterations.push_back({trace.start(launches[a]), hostEnd});
        for (size_t i = a; i < b; ++i) ++perDevice[trace.tracks[trace.linked(launches[i]).track].device];
    }
    if (out.iterations.size() < 3) {
        out.iterations.clear();
        return out;
    }
    out.period = period;
    out.oneTimeItems = best.front().first;
    size_t most = 0;
    for (const auto& [device, n] : perDevice)
        if (n > most) {
            most = n;
            out.device = device;
        }
    return out;
}

}  // namespace gaplens
