#pragma once
// Flow events (ph s/t/f) bound to the slices they point at, once every track is sorted. An endpoint
// binds to the innermost slice enclosing its time on its thread (a start or step, or an end with
// bp "e"), else to the first slice starting at or after it. A start pairs with the later
// endpoints of the same id. A flow from an API call to GPU work (ac2g) becomes the launch link of
// the two where neither carries a correlation id of its own; other flows are kept as Trace::flows.
// Endpoints that bind to nothing or have no start are dropped: Kineto writes flow ends for calls
// that launched nothing.
#include <cstdint>
#include <vector>

#include "core/io/ChunkMerger.h"

namespace gaplens::importer {

// A flow endpoint on a trace track: absolute time (like the track's starts before finalize),
// id made unique across files.
struct ResolvedFlow {
    uint32_t track;
    TimeNs ts;
    uint64_t id;
    char phase;
    bool bindEnclosing;
    StringId category, name;
};

// Appends the flow endpoints of one file (FileContext::flows) as ResolvedFlows, with the file's
// base time added and its index in the id's top bits. Endpoints on no track of the file are dropped.
void resolveFileFlows(const FileContext& file, std::vector<ResolvedFlow>& flows);

// The event a flow endpoint binds to: the innermost slice enclosing ts (bindEnclosing), else the
// first slice starting at or after ts.
EventRef bindFlow(const Trace& trace, uint32_t ti, TimeNs ts, bool enclosing);

// Binds every flow (starts first, then the other endpoints, each in file order) once the trace is
// finalized; `shift`: what finalize subtracted from the times. Launch flows set the correlation ids
// of both ends; returns true when it did (the caller then rebuilds the links).
bool bindFlows(Trace& trace, const std::vector<ResolvedFlow>& flows, TimeNs shift);

}  // namespace gaplens::importer
