#include "core/capture/Schedule.h"

#include <sstream>
#include <vector>

namespace gaplens::capture {

std::optional<Schedule> Schedule::parse(const std::string& text, std::string* error) {
    std::vector<int> values;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ',')) {
        try {
            size_t used = 0;
            const int v = std::stoi(item, &used);
            if (used != item.size() || v < 0) throw std::invalid_argument(item);
            values.push_back(v);
        } catch (const std::exception&) {
            if (error) *error = "--schedule: '" + item + "' is not a non-negative integer (expected W,U,A,R)";
            return std::nullopt;
        }
    }
    if (values.size() != 4) {
        if (error) *error = "--schedule: expected four numbers wait,warmup,active,repeat (e.g. 1,2,5,1), got '" + text + "'";
        return std::nullopt;
    }
    if (values[2] < 1) {
        if (error) *error = "--schedule: active must be at least 1";
        return std::nullopt;
    }
    return Schedule{values[0], values[1], values[2], values[3]};
}

StepPhase Schedule::phase(int step) const {
    if (step < 0) return StepPhase::Idle;
    const int cycle = cycleLength();
    if (repeat > 0 && step >= repeat * cycle) return StepPhase::Idle;
    const int p = step % cycle;
    if (p < wait) return StepPhase::Idle;
    if (p < wait + warmup) return StepPhase::Warmup;
    return StepPhase::Active;
}

bool Schedule::endsCycle(int step) const {
    return phase(step) == StepPhase::Active && step % cycleLength() == cycleLength() - 1;
}

}  // namespace gaplens::capture
