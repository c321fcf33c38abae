#pragma once
// Analysis 8: rules that turn findings into fixes, each with the time at stake. Each rule is a
// small pure function of the analyses' results; it returns nothing when it does not apply.
#include <optional>
#include <string>
#include <vector>

#include "core/analysis/BoundClass.h"
#include "core/analysis/Collectives.h"
#include "core/analysis/DeadWindows.h"
#include "core/analysis/GapCauses.h"
#include "core/analysis/GpuBusy.h"
#include "core/analysis/LaunchLatency.h"
#include "core/analysis/OpsTable.h"

namespace gaplens {

struct Advice {
    std::string rule;      // "host-overhead", "sync", "setup", "pageable-memcpy", "gpu-bound", "copy-bound", "straggler"
    TimeNs savingNs = 0;   // the time at stake
    std::string text;      // the fix, in one or two sentences
    std::string evidence;  // the numbers that triggered it
};

// What the rules read. Pointers are to results the caller owns.
struct AdviceInput {
    const Trace* trace = nullptr;
    const OpsTable* ops = nullptr;
    const GpuBusy* gpu = nullptr;
    const GapAnalysis* gaps = nullptr;
    const LaunchLatency* latency = nullptr;
    const DeadWindows* dead = nullptr;
    const BoundResult* bound = nullptr;
};

std::optional<Advice> adviseHostOverhead(const AdviceInput& in);
std::optional<Advice> adviseSync(const AdviceInput& in);
std::optional<Advice> adviseSetup(const AdviceInput& in);
std::optional<Advice> advisePageableMemcpy(const AdviceInput& in);
std::optional<Advice> adviseGpuBound(const AdviceInput& in);
// A copy-bound window: the SMs sit idle while copies run. At stake: the window's compute idle
// while copying (what overlapping the copies with compute, or removing them, gives back).
std::optional<Advice> adviseCopyBound(const AdviceInput& in);

// All rules that apply, largest saving first.
std::vector<Advice> computeAdvice(const AdviceInput& in);

// Several ranks (analysis 10): one rank arrives last and the others' GPUs wait in the collectives.
// Applies when the wait it causes is at least 5% of the job's collective time and more than its
// share of all the waiting: at least min(60%, 1.5 / ranks) of it (a job whose ranks take turns
// being last spreads the wait evenly), over at least 3 shared collectives. The saving is that wait;
// the text says what the straggler ran meanwhile when the job carries its activity.
std::optional<Advice> adviseStraggler(const JobCollectives& job);

}  // namespace gaplens
