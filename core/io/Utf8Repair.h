#pragma once
// Text that is not valid UTF-8 (Latin-1 names, a multi-byte character cut short) made valid, so
// that one stray byte in a name does not cost the whole event: each byte that is not part of a
// well-formed sequence becomes '?'. Overlong forms, surrogates and code points past U+10FFFF count
// as not well-formed, as simdjson's validation has them.
#include <string>

namespace gaplens::importer {

// Replaces each byte that is not part of a well-formed UTF-8 sequence with '?'.
void replaceInvalidUtf8(std::string& s);

}  // namespace gaplens::importer
