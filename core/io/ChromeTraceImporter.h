#pragma once
// Import of Chrome trace-event JSON (torch.profiler / Kineto, gaplens captures, any Chrome trace),
// plain or .json.gz. The file is read in bounded windows (mapped, or inflated window by window) and
// the traceEvents array is parsed with simdjson's on-demand API, a run of events at a time, in
// parallel batches: no whole-file DOM, no list of every event, no inflated copy of a .gz is ever
// built. Each track's columns are assembled once, at their exact size, when the file is read.
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/model/Trace.h"

namespace gaplens {

struct ImportOptions {
    // Called now and then with (bytes of the file consumed, file size); for .gz files the
    // compressed bytes, so done/total is the fraction read either way.
    std::function<void(uint64_t done, uint64_t total)> progress;
    // Set to true from another thread to stop early; the result then holds what was read.
    const std::atomic<bool>* cancel = nullptr;
    unsigned threads = 0;  // 0: as many as the machine has
    // Bytes of text read (.gz: inflated) and parsed at a time; 0: the default (32 MB). Memory
    // besides the model stays within a few windows. Tests use tiny windows to cross their edges.
    size_t windowBytes = 0;
    // Several files: shift each so that its first event starts where the first file's does.
    // For runs recorded one after another (a sweep, before/after a change), which on absolute time
    // lie seconds apart; off for ranks of one job, which share a clock and must stay as recorded.
    bool alignFilesAtStart = false;
};

struct ImportResult {
    bool ok = true;              // false: nothing usable (missing file, not JSON, ...)
    std::string error;           // one line: "<file>: <what> at byte N"
    std::vector<std::string> warnings;  // one line each, e.g. truncated file, events skipped
    uint64_t eventsRead = 0;     // events kept in the model
    uint64_t eventsSkipped = 0;  // malformed events dropped (counted, never fatal)
    bool truncated = false;      // the file ended inside the events: the result holds those read before
};

// Imports one file into `trace` (appending: call once per file, then trace.finalize()).
// `fileIndex` separates processes and correlation ids of different files.
ImportResult importChromeTrace(const std::string& path, Trace& trace, uint32_t fileIndex = 0,
                               const ImportOptions& options = {});

// Imports several files onto one timeline and finalizes. Errors of one file do not stop the others;
// ok is false only when no file could be read at all.
ImportResult importTraces(const std::vector<std::string>& paths, Trace& trace, const ImportOptions& options = {});

}  // namespace gaplens
