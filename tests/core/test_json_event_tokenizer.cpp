// The tokenizer that finds whole events without decoding them, fed all at once and window by window.
#include <catch2/catch.hpp>

#include "core/io/JsonEventTokenizer.h"
#include "TestSupport.h"

using namespace gaplens::json;

namespace {

std::vector<std::string> texts(std::string_view text, const std::vector<EventSlice>& events) {
    std::vector<std::string> out;
    for (const EventSlice& e : events) out.emplace_back(text.substr(e.offset, e.length));
    return out;
}

// Feeds `text` to a scanner in windows of `window` bytes, carrying the unscanned tail over the way
// the importer does; returns the events' texts.
std::vector<std::string> scanInWindows(std::string_view text, size_t window, TraceScanner& scanner) {
    std::vector<std::string> out;
    std::string buffer;
    size_t fed = 0, pos = 0;
    while (!scanner.done()) {
        const size_t take = std::min(window, text.size() - fed);
        buffer.append(text.substr(fed, take));
        fed += take;
        std::vector<EventSlice> events;
        pos = scanner.scan(buffer, pos, fed == text.size(), events, 1 << 20, fed - buffer.size());
        for (const std::string& e : texts(buffer, events)) out.push_back(e);
        buffer.erase(0, pos);
        pos = 0;
        if (fed == text.size() && !scanner.done()) break;  // must not happen: final text always ends the scan
    }
    return out;
}

}  // namespace

TEST_CASE("skipValue finds the end of each kind of value, honouring strings and escapes", "[tokenizer]") {
    CHECK(skipValue(R"({"a":"}"} x)", 0) == 9);
    CHECK(skipValue(R"(  [1,[2,{"b":"]\""}]] )", 0) == 21);
    CHECK(skipValue(R"("a\\" rest)", 0) == 5);
    CHECK(skipValue("123.5e3,", 0) == 7);
    CHECK(skipValue("true]", 0) == 4);
    CHECK(skipValue(R"({"a":"unterminated)", 0) == kNotFound);
    CHECK(skipValue(R"({"a":[1,2})", 0) == kNotFound);
    CHECK(skipValue("   ", 0) == kNotFound);
    // Long strings go through the 16-byte search: a quote at every position of a block.
    for (size_t n = 0; n < 40; ++n) {
        const std::string s = "{\"k\":\"" + std::string(n, 'x') + "\\\"" + std::string(n, 'y') + "\"}";
        CHECK(skipValue(s + ",", 0) == s.size());
    }
}

TEST_CASE("skipValue walks long objects 64 bytes at a time like a byte-by-byte walk", "[tokenizer]") {
    // Reference: the end of the container at 0, byte by byte (strings and escapes honoured).
    auto reference = [](const std::string& s) {
        int depth = 0;
        bool inString = false, escaped = false;
        for (size_t i = 0; i < s.size(); ++i) {
            const char c = s[i];
            if (escaped) escaped = false;
            else if (inString) {
                if (c == '\\') escaped = true;
                else if (c == '"') inString = false;
            } else if (c == '"') inString = true;
            else if (c == '{' || c == '[') ++depth;
            else if ((c == '}' || c == ']') && --depth == 0) return i + 1;
        }
        return kNotFound;
    };
    // Brackets, quotes and backslashes at every offset around the 64-byte block edges, in and out
    // of strings; strings that open in one block and close in the next.
    const char* pieces[] = {"\"a\":", "\"}]\"", "\"\\\"\"", "\"\\\\\"", "[1,{}]", "{\"b\":[]}", "\"x{[\"", ","};
    uint64_t seed = 12345;
    size_t found = 0;
    for (int round = 0; round < 3000; ++round) {
        std::string s = "{";
        const size_t target = 20 + round % 300;
        while (s.size() < target) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            s += pieces[(seed >> 33) % 8];
        }
        s += round % 2 ? "}" : "";  // half of them end inside the object
        s += " ,{\"next\":1}";
        const size_t expected = reference(s);
        CHECK(skipValue(s, 0) == expected);
        found += expected != kNotFound;
    }
    CHECK(found > 1000);  // both outcomes were exercised
}

TEST_CASE("object and array forms, other members, errors", "[tokenizer]") {
    const std::string obj = R"({"schemaVersion": 1, "traceEvents": [ {"ph":"X"} , {"ph":"i"},7 ], "tail": {"x":[1]}})";
    TraceLayout l = scanTraceLayout(obj);
    CHECK(l.error.empty());
    CHECK_FALSE(l.truncated);
    CHECK_FALSE(l.arrayForm);
    CHECK(texts(obj, l.events) == std::vector<std::string>{R"({"ph":"X"})", R"({"ph":"i"})", "7"});
    REQUIRE(l.otherMembers.size() == 2);
    CHECK(l.otherMembers[0] == std::pair<std::string, std::string>{"schemaVersion", "1"});
    CHECK(l.otherMembers[1] == std::pair<std::string, std::string>{"tail", R"({"x":[1]})"});

    const std::string arr = "\xEF\xBB\xBF [{\"ph\":\"B\"},{\"ph\":\"E\"}";  // BOM, no closing ']'
    l = scanTraceLayout(arr);
    CHECK(l.arrayForm);
    CHECK(l.truncated);
    CHECK(l.events.size() == 2);

    l = scanTraceLayout("  nope");
    CHECK(l.error == "not a trace: expected '{' or '['");
    CHECK(l.errorOffset == 2);
    l = scanTraceLayout(R"({"a" 1})");
    CHECK(l.error == "expected ':' after \"a\"");
    CHECK(l.errorOffset == 5);
    l = scanTraceLayout(R"({"a":1})");
    CHECK(l.error == "no \"traceEvents\" array");
    l = scanTraceLayout(R"({"traceEvents":[{"ph":"X"}], 5})");
    CHECK(l.error == "expected a member name");
    CHECK(l.events.size() == 1);
    l = scanTraceLayout("");
    CHECK(l.error == "empty file");
}

TEST_CASE("a truncated text yields every complete event before the cut", "[tokenizer]") {
    const std::string full = R"({"traceEvents":[{"ph":"X","name":"a"},{"ph":"X","name":"b"},{"ph":"X","name":"c"}]})";
    // Event ends (exclusive) at 37, 59, 81: a cut at n keeps the events that end at or before n.
    for (size_t n = 0; n < full.size(); ++n) {
        const TraceLayout l = scanTraceLayout(std::string_view(full).substr(0, n));
        const size_t expected = n >= 81 ? 3 : n >= 59 ? 2 : n >= 37 ? 1 : 0;
        CHECK(l.events.size() == expected);
        CHECK((l.truncated || !l.error.empty()));
    }
}

TEST_CASE("scanning window by window finds the same events as scanning at once", "[tokenizer]") {
    const std::string text = gaplens::test::readFile(gaplens::test::dataPath("torch_mm64_cold.json"));
    const TraceLayout whole = scanTraceLayout(text);
    REQUIRE(whole.events.size() == 441);
    const std::vector<std::string> expected = texts(text, whole.events);
    for (size_t window : {1, 7, 64, 4096}) {
        TraceScanner scanner;
        CHECK(scanInWindows(text, window, scanner) == expected);
        CHECK(scanner.done());
        CHECK_FALSE(scanner.truncated());
        CHECK(scanner.error().empty());
        CHECK(scanner.eventCount() == 441);
        CHECK(scanner.otherMembers().size() == whole.otherMembers.size());
    }
    // A cut text scanned in windows is truncated with the same events as scanned at once.
    const std::string cut = text.substr(0, text.size() / 2);
    const TraceLayout half = scanTraceLayout(cut);
    TraceScanner scanner;
    CHECK(scanInWindows(cut, 100, scanner) == texts(cut, half.events));
    CHECK(scanner.truncated());
}

TEST_CASE("the scanner stops after the requested bytes of events and resumes", "[tokenizer]") {
    const std::string text = R"([{"a":1},{"b":2},{"c":3}])";
    TraceScanner scanner;
    std::vector<EventSlice> events;
    size_t pos = scanner.scan(text, 0, true, events, 1);
    CHECK(events.size() == 1);
    pos = scanner.scan(text, pos, true, events, 1);
    CHECK(events.size() == 2);
    pos = scanner.scan(text, pos, true, events);
    CHECK(texts(text, events) == std::vector<std::string>{R"({"a":1})", R"({"b":2})", R"({"c":3})"});
    CHECK(scanner.done());
    CHECK_FALSE(scanner.truncated());
    CHECK(pos == text.size());
}
