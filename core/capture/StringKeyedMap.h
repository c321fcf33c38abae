#pragma once
// A hash map keyed by std::string that is looked up by std::string_view without building a string:
// the recorders look names up on every range they open, from the text the program handed them.
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace gaplens::capture {

struct TransparentStringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

template <class Value>
using StringKeyedMap = std::unordered_map<std::string, Value, TransparentStringHash, std::equal_to<>>;

}  // namespace gaplens::capture
