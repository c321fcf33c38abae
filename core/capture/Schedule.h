#pragma once
// Which loop steps are recorded, like torch.profiler.schedule(wait, warmup, active, repeat): each
// cycle skips `wait` steps, runs `warmup` steps with the collector on but discards them (so its
// start-up cost stays out of the result), then records `active` steps. `repeat` cycles (0: as many
// as the loop has steps).
#include <optional>
#include <string>

namespace gaplens::capture {

enum class StepPhase { Idle, Warmup, Active };

struct Schedule {
    int wait = 0;
    int warmup = 0;
    int active = 1;
    int repeat = 0;

    // Records every step.
    static Schedule all(int steps) { return {0, 0, steps > 0 ? steps : 1, 1}; }
    // "W,U,A,R" (four non-negative integers, active >= 1). nullopt and a one-line reason otherwise.
    static std::optional<Schedule> parse(const std::string& text, std::string* error);

    int cycleLength() const { return wait + warmup + active; }
    StepPhase phase(int step) const;
    // True for the last active step of a cycle: where the recorded window closes.
    bool endsCycle(int step) const;
    // Steps needed to run every cycle (repeat = 0: unbounded, returns 0).
    int stepsNeeded() const { return repeat > 0 ? repeat * cycleLength() : 0; }
};

}  // namespace gaplens::capture
