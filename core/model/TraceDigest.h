#pragma once
// A fingerprint of a whole trace model: every string of both string tables by id, every process,
// every track's fields and columns (including depth, parent and the launch links that finalize
// computes), counters, flows, source paths, metadata and the origin. Two imports give the same
// digest exactly when they built the same model, so a change that should leave the import as it
// was (a refactoring, a faster parser) is checked by comparing digests before and after
// (bench/model_digest prints them for files; tests compare imports made in different ways).
// FNV-1a, 64 bits: a check of sameness, not a secure hash.
#include <cstdint>
#include <string>

#include "core/model/Trace.h"

namespace gaplens {

struct TraceDigest {
    uint64_t strings = 0;    // Trace::strings and Trace::argTexts, id by id
    uint64_t structure = 0;  // processes, track fields (kind, pid/tid, names, device, ...), origin
    uint64_t columns = 0;    // every event column of every track, links included
    uint64_t extras = 0;     // counters, flows, source paths, metadata
    uint64_t whole = 0;      // all of the above

    friend bool operator==(const TraceDigest&, const TraceDigest&) = default;
    // "whole 0123456789abcdef (strings ..., structure ..., columns ..., extras ...)"
    std::string text() const;
};

TraceDigest digestOf(const Trace& trace);

}  // namespace gaplens
