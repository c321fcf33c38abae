#include "core/io/ChromeTraceImporter.h"

// The importer's steps, each in a file of its own (core/io):
//   InputBuffer         the file's text, window by window (mapped, or inflated from .gz)
//   JsonEventTokenizer  whole events found in the text without decoding them
//   ChromeEventParser   events given meaning, in chunks on all threads (ImportChunk, ChromeEventFields)
//   ChunkMerger         chunks joined to the trace in file order: tracks, B/E pairs, metadata, counters
//   ReadPipeline        the three above run as a pipeline of bounded batches
//   ImportedTracks      track kinds and names, empty tracks dropped
//   FileAlignment       each file's events on the shared timeline (base time, align at start)
//   FlowBinding         flow endpoints bound to slices; ac2g flows become launch links
// This file runs them for each file, turns what they found into the one-line errors and warnings
// of ImportResult, and finalizes the trace.
#include <algorithm>
#include <optional>
#include <thread>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "core/io/ChromeEventParser.h"
#include "core/io/ChromeTimestamps.h"
#include "core/io/ChunkMerger.h"
#include "core/io/FileAlignment.h"
#include "core/io/FlowBinding.h"
#include "core/io/ImportedTracks.h"
#include "core/io/InputBuffer.h"
#include "core/io/JsonEventTokenizer.h"
#include "core/io/ReadPipeline.h"

namespace gaplens {

using namespace importer;

ImportResult importTraces(const std::vector<std::string>& paths, Trace& trace, const ImportOptions& options) {
    ImportResult result;
    result.ok = false;
    std::vector<ResolvedFlow> flows;
    std::optional<TimeNs> alignAt;  // alignFilesAtStart: where every file's first event goes
    std::vector<int32_t> devicesOfEarlierFiles;  // alignFilesAtStart: device numbers taken so far
    const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
    const unsigned threads = options.threads ? options.threads : hw;
    bool anyFile = false;
    std::vector<std::string> errors;
    std::vector<ChromeEventParser> parsers(threads);  // one per thread, reused across batches and files
    const size_t kWindowBytes = options.windowBytes ? options.windowBytes : kDefaultWindowBytes;

    for (size_t fileIndex = 0; fileIndex < paths.size(); ++fileIndex) {
        const std::string& path = paths[fileIndex];
        InputBuffer input;
        std::string status = input.open(path);
        TextWindow window;
        if (status.empty()) status = input.next(window, 0, kWindowBytes);
        auto noteStatus = [&](const std::string& s) {
            if (s.empty()) return;
            result.warnings.push_back(s.rfind("warning:", 0) == 0 ? s.substr(8) : s);
            result.truncated = true;
        };
        if (!status.empty() && status.rfind("warning:", 0) != 0) {
            errors.push_back(status);
            continue;
        }
        noteStatus(status);

        FileContext file;
        file.fileIndex = static_cast<uint32_t>(fileIndex);
        file.correlationOffset = static_cast<int64_t>(fileIndex) << 40;
        ChunkMerger merger(trace, file);
        json::TraceScanner scanner;
        const ReadStats read = readEvents(input, window, scanner, merger, parsers, kWindowBytes, options, noteStatus);
        result.eventsRead += read.events;
        // Cancelled: what was merged so far is kept and finished like a whole file; later files
        // are not read.
        const bool stop = options.cancel && options.cancel->load();
        if (stop) result.warnings.push_back(path + ": import cancelled");

        const uint64_t textEnd = window.start + window.size;
        if (!scanner.error().empty() && scanner.eventCount() == 0) {
            errors.push_back(path + ": " + scanner.error() + " at byte " + std::to_string(scanner.errorOffset()));
            continue;
        }
        if (scanner.truncated()) {
            if (scanner.eventCount() == 0) {
                errors.push_back(path + ": truncated JSON: the file ends at byte " + std::to_string(textEnd) +
                                 " before any complete event");
                continue;
            }
            result.warnings.push_back(path + ": truncated JSON: the file ends at byte " + std::to_string(textEnd) +
                                      "; read the " + std::to_string(scanner.eventCount()) +
                                      " complete events before byte " + std::to_string(read.lastEventEnd));
            result.truncated = true;
        } else if (!scanner.error().empty()) {
            result.warnings.push_back(path + ": " + scanner.error() + " at byte " +
                                      std::to_string(scanner.errorOffset()) + "; events before it were read");
        } else if (const size_t extra = json::skipWhitespace(window.text(), read.pos);
                   scanner.done() && extra < window.size) {
            result.warnings.push_back(path + ": ignored text after the end of the trace at byte " +
                                      std::to_string(window.start + extra));
        }
        anyFile = true;
        trace.sourcePaths.push_back(path);

        nlohmann::json meta = nlohmann::json::object();
        for (const auto& [key, raw] : scanner.otherMembers()) {
            if (raw.size() > (1u << 20)) continue;  // only small metadata documents
            meta[key] = nlohmann::json::parse(raw.begin(), raw.end(), nullptr, false);
        }
        if (meta.contains("baseTimeNanoseconds") && meta["baseTimeNanoseconds"].is_number_integer()) {
            const auto& base = meta["baseTimeNanoseconds"];
            const int64_t ns = base.is_number_unsigned() && base.get<uint64_t>() > uint64_t(kMaxAbsTimeNs)
                                   ? kMaxAbsTimeNs + 1
                                   : base.get<int64_t>();
            if (ns >= -kMaxAbsTimeNs && ns <= kMaxAbsTimeNs) file.baseNs = ns;
            else result.warnings.push_back(path + ": ignored baseTimeNanoseconds out of range");
        }
        // Several files: "files" is indexed like Process::file (null where a file could not be read).
        if (paths.size() == 1) trace.metadata = meta;
        else trace.metadata["files"][fileIndex] = std::move(meta);

        const uint64_t unclosed = merger.closeOpenBegins(read.lastTs);
        // Flow endpoints of this file onto trace tracks, while the columns are assembled: all tracks
        // exist by now, and neither touches what the other writes.
        auto resolveFlows = [&] { resolveFileFlows(file, flows); };
        const size_t fileFlowsBegin = flows.size();
        merger.assemble(threads, resolveFlows);
        if (read.skipped) {
            result.eventsSkipped += read.skipped;
            result.warnings.push_back(path + ": skipped " + std::to_string(read.skipped) + " malformed event" +
                                      (read.skipped == 1 ? "" : "s") + " (first: " + read.firstSkip + ")");
        }
        if (read.utf8Repaired)
            result.warnings.push_back(path + ": replaced bytes that are not UTF-8 with '?' in " +
                                      std::to_string(read.utf8Repaired) + " event" + (read.utf8Repaired == 1 ? "" : "s"));
        for (auto& [ph, count] : read.unknownPhases)
            result.warnings.push_back(path + ": ignored " + std::to_string(count) + " event" + (count == 1 ? "" : "s") +
                                      " of unknown phase '" + ph + "'");
        if (merger.unmatchedEnds)
            result.warnings.push_back(path + ": ignored " + std::to_string(merger.unmatchedEnds) +
                                      " 'E' events with no matching 'B'");
        if (unclosed)
            result.warnings.push_back(path + ": closed " + std::to_string(unclosed) +
                                      " 'B' events left open at the end of the trace");
        classifyTracks(trace, file, merger.gpuTracks);

        // Times of this file: relative to baseTimeNanoseconds where given (Kineto), so add it to
        // make them absolute and line up with other files. Latency timestamps are absolute already.
        applyBaseTime(trace, file);
        if (options.alignFilesAtStart) {
            alignFileStart(trace, file.fileIndex, file.trackByKey, flows, fileFlowsBegin, alignAt);
            separateAlignedDevices(trace, path, file.trackByKey, devicesOfEarlierFiles, result.warnings);
        }
        if (stop) break;
    }

    if (!anyFile) {
        result.error = errors.empty() ? "no input file" : errors.front();
        for (size_t i = 1; i < errors.size(); ++i) result.warnings.push_back(errors[i]);
        trace.finalize();
        return result;
    }
    for (const std::string& e : errors) result.warnings.push_back(e);
    result.ok = true;

    // Empty tracks go before finalize; flows refer to tracks by index, so they follow.
    dropEmptyTracks(trace, flows);
    // Columns were assembled at their exact size (ChunkMerger::assemble); any slack left, such as from
    // several files on one track, is given back here (memory per event).
    for (Track& t : trace.tracks) shrinkColumns(t);
    const TimeNs originBefore = trace.originAbsNs;
    trace.finalize(true, threads);
    const TimeNs shift = trace.originAbsNs - originBefore;

    // Latency timestamps are absolute ns, and finalize has moved them to trace time with the
    // starts. A track whose activities carry none (Kineto writes "queued": 0 unless latency
    // timestamps were on) keeps no latency columns.
    dropUnknownLatencyColumns(trace);
    // Flows: bind endpoints to events. ac2g flows (launch -> GPU) become launch links when the
    // events carry no correlation id of their own; other flows are kept as flows.
    if (bindFlows(trace, flows, shift)) trace.resolveLinks();
#if defined(__GLIBC__)
    // The batches' buffers and the flow tables were freed while the model grew: hand the free heap
    // back to the system so that resident memory is the model's, not the peak of the import. Last,
    // once nothing of the import is left (a trim that ran beside the flow binding left ~10 B/event
    // of freed heap resident on 2 threads).
    std::vector<ResolvedFlow>().swap(flows);
    std::vector<ChromeEventParser>().swap(parsers);  // simdjson's buffers: ~2 MB per thread
    ::malloc_trim(0);
#endif
    if (const uint64_t shared = trace.sharedLaunchCorrelations(); shared > 0)
        result.warnings.push_back((paths.size() == 1 ? paths.front() + ": " : std::string()) + std::to_string(shared) +
                                  " launch call" + (shared == 1 ? " reuses" : "s reuse") +
                                  " the correlation id of an earlier call; GPU work with that id links to the earlier one");
    return result;
}

ImportResult importChromeTrace(const std::string& path, Trace& trace, uint32_t, const ImportOptions& options) {
    return importTraces({path}, trace, options);
}

}  // namespace gaplens
