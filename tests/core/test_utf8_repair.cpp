// Invalid UTF-8 made valid byte by byte: each byte that is not part of a well-formed sequence
// becomes '?', and everything well-formed is kept as it was.
#include <catch2/catch.hpp>

#include "core/io/Utf8Repair.h"

using namespace gaplens::importer;

namespace {
std::string repaired(std::string s) {
    replaceInvalidUtf8(s);
    return s;
}
}  // namespace

TEST_CASE("well-formed text of 1 to 4 bytes per character is kept", "[import][utf8]") {
    const std::string text = "aten::mm \xC2\xB5s \xE2\x86\x92 \xF0\x9F\x9A\x80";  // µs → 🚀
    CHECK(repaired(text) == text);
}

TEST_CASE("stray, cut and forbidden bytes become '?' one each", "[import][utf8]") {
    CHECK(repaired("caf\xE9") == "caf?");                 // Latin-1 é
    CHECK(repaired("\xFF\xFE" "ab") == "??ab");
    CHECK(repaired("x\xE2\x86") == "x??");                // a 3-byte character cut short at the end
    CHECK(repaired("\xE2\x86y") == "??y");                // ... and in the middle
    CHECK(repaired("\xC0\xAF") == "??");                  // overlong '/'
    CHECK(repaired("\xED\xA0\x80") == "???");             // a UTF-16 surrogate
    CHECK(repaired("\xF4\x90\x80\x80") == "????");        // past U+10FFFF
    CHECK(repaired("\x80" "ok") == "?ok");                // a continuation byte alone
}
