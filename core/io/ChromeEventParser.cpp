#include "core/io/ChromeEventParser.h"

#include <algorithm>
#include <string>

#include "core/io/ChromeEventFields.h"
#include "core/io/Utf8Repair.h"

namespace gaplens::importer {

struct ChromeEventParser::Impl {
    od::parser parser;
    std::string padded;  // for events too close to the end of the buffer to over-read
    std::string repaired;  // for events with invalid UTF-8
    ParsedArgs argsScratch;  // the args of the event being parsed
    od::parser runParser;    // runs of events (parseRange)
    std::string runText;     // a run as a JSON array, padded

    void parse(const TextWindow& window, const json::EventSlice& slice, ChunkState& chunk, char forcedPhase = 0) {
        const char* data = window.data + slice.offset;
        size_t capacity = window.readable - slice.offset;
        const size_t at = static_cast<size_t>(window.start + slice.offset);  // for messages
        if (capacity < slice.length + simdjson::SIMDJSON_PADDING) {
            padded.assign(data, slice.length);
            padded.append(simdjson::SIMDJSON_PADDING, ' ');
            data = padded.data();
            capacity = padded.size();
        }
        od::document doc;
        simdjson::error_code error = parser.iterate(data, slice.length, capacity).get(doc);
        if (error == simdjson::UTF8_ERROR) {
            // A stray byte in a name (Latin-1 text, a multi-byte character cut short) should not
            // cost the whole event: parse a copy with each invalid byte replaced by '?'.
            repaired.assign(data, slice.length);
            replaceInvalidUtf8(repaired);
            repaired.append(simdjson::SIMDJSON_PADDING, ' ');
            data = repaired.data();
            error = parser.iterate(data, slice.length, repaired.size()).get(doc);
            if (!error && !forcedPhase) ++chunk.utf8Repaired;
        }
        if (error) {
            chunk.skip(error == simdjson::UTF8_ERROR ? "not valid UTF-8" : "not valid JSON", at);
            return;
        }
        od::object obj;
        if (doc.get_object().get(obj)) {
            chunk.skip("event is not an object", at);
            return;
        }
        parseEvent(obj, window, slice, chunk, forcedPhase, false);
    }

    // Parses events [lo, hi) of `window` into `chunk`. Runs of events are parsed as one JSON array
    // each (one simdjson document for a few hundred events: its per-document cost, stage 1 above
    // all, dwarfs a 250-byte event's own). Anything unusual in a run (a malformed event, a field of
    // the wrong type, invalid UTF-8, "args" before "ph") drops what the range added and reads its
    // events one by one as parse() does, so the result is the same either way.
    void parseRange(const TextWindow& window, const std::vector<json::EventSlice>& events, size_t lo, size_t hi,
                    ChunkState& chunk) {
        constexpr size_t kRunBytes = 256u << 10;  // stage 1's output stays in cache
        for (size_t first = lo; first < hi;) {
            size_t last = first + 1;
            const size_t begin = events[first].offset;
            while (last < hi && events[last].offset + events[last].length - begin <= kRunBytes) ++last;
            if (!parseRun(window, events, first, last, chunk)) {
                chunk = ChunkState();
                for (size_t i = lo; i < hi; ++i) parse(window, events[i], chunk);
                return;
            }
            first = last;
        }
    }

    bool parseRun(const TextWindow& window, const std::vector<json::EventSlice>& events, size_t first, size_t last,
                  ChunkState& chunk) {
        const size_t begin = events[first].offset, end = events[last - 1].offset + events[last - 1].length;
        runText.clear();
        runText.reserve(end - begin + 2 + simdjson::SIMDJSON_PADDING);
        runText += '[';
        runText.append(window.data + begin, end - begin);
        runText += ']';
        const size_t length = runText.size();
        runText.append(simdjson::SIMDJSON_PADDING, ' ');
        od::document doc;
        od::array array;
        if (runParser.iterate(runText.data(), length, runText.size()).get(doc) || doc.get_array().get(array))
            return false;
        size_t i = first;
        for (auto element : array) {
            od::object obj;
            if (i == last || element.get_object().get(obj)) return false;
            if (!parseEvent(obj, window, events[i], chunk, 0, true)) return false;
            ++i;
        }
        return i == last;
    }

    // One event's fields. `inRun`: the event is an element of a run (parseRange): instead of
    // skipping it, give up (false) so that the run is read event by event.
    bool parseEvent(od::object obj, const TextWindow& window, const json::EventSlice& slice, ChunkState& chunk,
                    char forcedPhase, bool inRun) {
        const size_t at = static_cast<size_t>(window.start + slice.offset);  // for messages
        std::string_view ph, bp;
        std::string_view nameStore, catStore;  // in the parser's string buffer, valid for this event
        char phaseChar = forcedPhase;
        char argsParsedAs = 0;
        bool hasArgs = false;
        int64_t pid = 0, tid = 0;
        TimeNs ts = 0, dur = 0;
        bool hasTs = false, hasDur = false;
        uint64_t flowId = 0;
        bool hasId = false;
        ParsedArgs& args = argsScratch;
        args.clear();
        for (auto field : obj) {
            EventKey key;
            od::value value;
            if (!readEventField(field, key, value)) {
                if (inRun) return false;
                chunk.skip("malformed event", at);
                return true;
            }
            bool good = true;
            const char* keyName = "";  // for the message when the value has the wrong type
            switch (key) {
            case EventKey::Ph:
                keyName = "ph";
                good = !value.get_string().get(ph);
                if (good && !forcedPhase) phaseChar = ph.size() == 1 ? ph[0] : '?';
                break;
            case EventKey::Name: {
                keyName = "name";
                std::string_view s;
                good = !value.get_string().get(s);
                if (good) nameStore = s;
                break;
            }
            case EventKey::Cat: {
                keyName = "cat";
                std::string_view s;
                good = !value.get_string().get(s);
                if (good) catStore = s;
                break;
            }
            case EventKey::Pid:
                keyName = "pid";
                good = readId(value, pid, chunk);
                break;
            case EventKey::Tid:
                keyName = "tid";
                good = readId(value, tid, chunk);
                break;
            case EventKey::Ts:
                keyName = "ts";
                good = parseMicrosToNs(trim(value.raw_json_token()), ts);
                hasTs = good;
                break;
            case EventKey::Dur:
                keyName = "dur";
                good = parseMicrosToNs(trim(value.raw_json_token()), dur) && dur <= kMaxDurationNs;
                hasDur = good;
                break;
            case EventKey::Id:
            case EventKey::BindId: {
                int64_t id = 0;
                std::string_view s;
                if (readInt(value, id)) {
                    flowId = static_cast<uint64_t>(id);
                    hasId = true;
                } else if (!value.get_string().get(s)) {
                    flowId = static_cast<uint64_t>(labelKey(s));
                    hasId = true;
                }
                break;
            }
            case EventKey::Bp: {
                std::string_view s;
                if (!value.get_string().get(s)) bp = s.size() == 1 && s[0] == 'e' ? "e" : "";
                break;
            }
            case EventKey::Args: {
                keyName = "args";
                od::json_type type;
                if (!value.type().get(type) && type == od::json_type::object) {
                    hasArgs = true;
                    argsParsedAs = phaseChar;
                    good = parseArgs(value, phaseChar, args);
                }  // args that are not an object are ignored, not fatal
                break;
            }
            case EventKey::Other: break;
            }
            if (!good) {
                if (inRun) return false;
                chunk.skip("field \"" + std::string(keyName) + "\" has the wrong type", at);
                return true;
            }
        }
        const char phase = phaseChar;
        if (hasArgs && (phase == 'M' || phase == 'C') && argsParsedAs != phase && !forcedPhase) {
            // "args" came before "ph": read the event again now that its phase is known.
            if (inRun) return false;
            parse(window, slice, chunk, phase);
            return true;
        }
        if (phase == 0) {
            chunk.skip("event has no \"ph\"", at);
            return true;
        }
        const TrackKey key{pid, tid};
        switch (phase) {
        case 'X': {
            if (!hasTs) {
                chunk.skip("event has no \"ts\"", at);
                return true;
            }
            if (!hasDur || dur < 0) dur = 0;
            chunk.lastEnd = std::max(chunk.lastEnd, ts + dur);
            addSlice(chunk, key, ts, dur, nameStore, catStore, args);
            break;
        }
        case 'B':
        case 'E': {
            if (!hasTs) {
                chunk.skip("event has no \"ts\"", at);
                return true;
            }
            chunk.lastEnd = std::max(chunk.lastEnd, ts);
            (void)chunk.track(key);  // the track is named here (its slice comes with the merge)
            chunk.beginEnds.push_back({key, phase == 'B', ts, chunk.strings.intern(nameStore),
                                       chunk.strings.intern(catStore),
                                       args.compact.empty() ? 0 : chunk.argTexts.intern(args.compact), at});
            ++chunk.events;
            break;
        }
        case 'i':
        case 'I':
        case 'R': {
            if (!hasTs) {
                chunk.skip("event has no \"ts\"", at);
                return true;
            }
            chunk.lastEnd = std::max(chunk.lastEnd, ts);
            LocalTrack& t = chunk.track(key);
            appendEvent(t.columns, ts, 0, chunk.strings.intern(nameStore), chunk.strings.intern(catStore),
                        EventKind::Instant, 0, args.compact.empty() ? 0 : chunk.argTexts.intern(args.compact));
            ++chunk.events;
            break;
        }
        case 'C': {
            if (!hasTs) {
                chunk.skip("event has no \"ts\"", at);
                return true;
            }
            if (!args.counterValues.empty()) chunk.nameProcess(key.pid);
            for (auto& [series, value] : args.counterValues)
                chunk.counters.push_back({key, args.counterValues.size() == 1 ? std::string(nameStore) : std::string(nameStore) + "." + series,
                                          ts, value});
            ++chunk.events;
            break;
        }
        case 'M': {
            MetaRecord m{key, MetaKind::ProcessName, args.name, args.sortIndex};
            if (nameStore == "process_name") m.kind = MetaKind::ProcessName;
            else if (nameStore == "process_labels") m.kind = MetaKind::ProcessLabels;
            else if (nameStore == "process_sort_index") m.kind = MetaKind::ProcessSort;
            else if (nameStore == "thread_name") m.kind = MetaKind::ThreadName;
            else if (nameStore == "thread_sort_index") m.kind = MetaKind::ThreadSort;
            else break;  // other metadata (e.g. process_uptime) carries nothing we show
            const bool sort = m.kind == MetaKind::ProcessSort || m.kind == MetaKind::ThreadSort;
            if (sort ? !args.hasSortIndex : !args.hasName) break;  // a name that is not a string, ...
            if (m.kind == MetaKind::ThreadName || m.kind == MetaKind::ThreadSort) (void)chunk.track(key);
            else chunk.nameProcess(key.pid);
            chunk.metas.push_back(std::move(m));
            break;
        }
        case 's':
        case 't':
        case 'f': {
            if (!hasTs || !hasId) {
                chunk.skip("flow event without \"ts\" or \"id\"", at);
                return true;
            }
            chunk.flows.push_back({key, ts, flowId, phase, phase != 'f' || !bp.empty(),
                                   chunk.strings.intern(catStore), chunk.strings.intern(nameStore)});
            break;
        }
        default:
            ++chunk.unknownPhases[json::printable(std::string_view(&phase, 1))];
            break;
        }
        return true;
    }

    static std::string_view trim(std::string_view s) {
        while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t'))
            s.remove_suffix(1);
        return s;
    }

    static void appendEvent(Track& t, TimeNs ts, TimeNs dur, StringId name, StringId cat, EventKind kind,
                            int64_t correlation, StringId args) {
        t.start.push_back(ts);
        t.dur.push_back(dur);
        t.nameId.push_back(name);
        t.category.push_back(cat);
        t.kind.push_back(kind);
        t.correlation.push_back(correlation);
        t.args.push_back(args);
    }

    static void addSlice(ChunkState& chunk, TrackKey key, TimeNs ts, TimeNs dur, std::string_view name,
                         std::string_view cat, const ParsedArgs& args) {
        EventKind kind;
        const StringId category = chunk.category(cat, kind);
        LocalTrack& t = chunk.track(key);
        appendEvent(t.columns, ts, dur, chunk.strings.intern(name), category, kind, args.correlation,
                    args.compact.empty() ? 0 : chunk.argTexts.intern(args.compact));
        if (isGpuWork(kind) || kind == EventKind::GpuUserRange || kind == EventKind::GpuSync) {
            t.gpuHint = true;
            if (args.device >= 0) t.device = static_cast<int32_t>(args.device);
            // latency columns only on tracks that have GPU work
            if (t.columns.queued.size() + 1 < t.columns.size()) {
                t.columns.queued.resize(t.columns.size() - 1, 0);
                t.columns.submitted.resize(t.columns.size() - 1, 0);
            }
            t.columns.queued.push_back(args.queuedNs);
            t.columns.submitted.push_back(args.submittedNs);
        }
        ++chunk.events;
    }
};

ChromeEventParser::ChromeEventParser() : impl_(std::make_unique<Impl>()) {}
ChromeEventParser::~ChromeEventParser() = default;
ChromeEventParser::ChromeEventParser(ChromeEventParser&&) noexcept = default;
ChromeEventParser& ChromeEventParser::operator=(ChromeEventParser&&) noexcept = default;

void ChromeEventParser::parseRange(const TextWindow& window, const std::vector<json::EventSlice>& events, size_t lo,
                                   size_t hi, ChunkState& chunk) {
    impl_->parseRange(window, events, lo, hi, chunk);
}

}  // namespace gaplens::importer
