#pragma once
// How the compare view lines up two runs' timelines, iteration by iteration. Run b (after) is drawn
// under run a (before) on the same time scale (ns per pixel); the iteration of a under the view's
// centre (the last one starting at or before it, the first when the centre is earlier) is paired
// with the iteration of the same number in b (b's last when b has fewer, and the other way round
// when the view follows b's centre), and b's view is a's
// shifted by the distance between the two iterations' starts. So the iteration a user is looking
// at starts at the same x in both runs, whatever the warm-up, the recording schedule or the time
// between the runs. While the centre stays in one iteration both views pan together pixel for
// pixel; when it crosses into the next, b's view moves by the difference of the two runs'
// iteration lengths, and the next pair lines up. Iterations are numbered within each run's steady
// window (RunComparison's iteration spans), so warm-up steps never shift the pairing. A pure value
// type: the tests check it with plain numbers.
#include <algorithm>
#include <cstddef>
#include <vector>

#include "core/model/Trace.h"

namespace gaplens {

class IterationAlignment {
public:
    IterationAlignment() = default;
    // Iteration starts of each run, sorted.
    IterationAlignment(std::vector<TimeNs> aStarts, std::vector<TimeNs> bStarts);

    size_t iterationsA() const { return a_.size(); }
    size_t iterationsB() const { return b_.size(); }
    // The iteration of a (of b) a view centred at t shows: the last starting at or before t.
    size_t iterationOfA(double t) const { return iterationOf(a_, t); }
    size_t iterationOfB(double t) const { return iterationOf(b_, t); }
    // The iteration of b paired with iteration k of a, and back.
    size_t pairedInB(size_t k) const { return b_.empty() ? 0 : std::min(k, b_.size() - 1); }
    size_t pairedInA(size_t k) const { return a_.empty() ? 0 : std::min(k, a_.size() - 1); }
    // b time - a time for a view of a centred at `centreA`; the same for a view of b centred at
    // `centreB` (a's time = b's time - offsetAtB).
    double offsetAtA(double centreA) const;
    double offsetAtB(double centreB) const;
    TimeNs startA(size_t k) const { return a_[k]; }
    TimeNs startB(size_t k) const { return b_[k]; }

private:
    static size_t iterationOf(const std::vector<TimeNs>& starts, double t);
    double offsetOf(size_t kA, size_t kB) const;

    std::vector<TimeNs> a_, b_;
};

}  // namespace gaplens
