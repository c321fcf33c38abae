#pragma once
// The ops table grouped by user range (DESIGN.md Analyses §1, "group by range"): which ops, API
// calls and kernels ran inside each range, and how much CPU and GPU time they took there.
//
// Attribution: every event of the ungrouped ops table belongs to exactly one group.
// - A host op, API call or any other host event belongs to the innermost user range instance
//   (EventKind::UserRange: record_function, NVTX range, gaplens::Range) that encloses it on its own
//   thread, i.e. the nearest UserRange among its parents. A range's own event belongs to its own
//   group: its self CPU there is the range time not covered by any op or nested range.
// - A GPU activity (kernel, memcpy, memset) belongs to the group of the API call that launched it
//   (Trace::linked()); a CUPTI sync record to that of its API call (same correlation id). A range's
//   span projected on a GPU stream (Kineto gpu_user_annotation) belongs to the group of its name.
// - Anything with no enclosing range, or a GPU activity with no launch record, goes to the group
//   "(no range)".
// Groups are per range name (the schedule's ProfilerStep#N share "ProfilerStep*", as in the ops
// table), aggregating all instances: `instances` counts the range events of that name and
// `rangeTotalNs` sums their durations (a range nested in one of the same name counts twice).
// Each group's table has the same rows and columns as the ungrouped table, computed over the
// group's events only (computeOpsTables): a parent's self CPU loses its children's time in the
// parent's group, and an activity's GPU time goes to its launching op's row in that op's group.
// Summed over the groups, every row's calls and times equal the ungrouped table's.
#include <string>
#include <string_view>
#include <vector>

#include "core/analysis/OpsTable.h"
#include "core/model/Trace.h"

namespace gaplens {

inline constexpr std::string_view kNoRangeGroup = "(no range)";

struct OpsRangeGroup {
    std::string range;       // range name, or kNoRangeGroup
    int64_t instances = 0;   // range events of this name (0 for "(no range)")
    TimeNs rangeTotalNs = 0; // sum of their durations
    OpsTable ops;            // the group's rows; its totals are the group's own
};

struct OpsByRange {
    // Longest range total first (ties: by name); "(no range)" last. Groups with no rows are left out.
    std::vector<OpsRangeGroup> groups;
};

OpsByRange computeOpsTableByRange(const Trace& trace);

// Sorts the rows inside each group by an ops sort key (see sortOpsTable); the group order stays.
// Returns false for an unknown key.
bool sortOpsByRange(OpsByRange& byRange, std::string_view key);

}  // namespace gaplens
