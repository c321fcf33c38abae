#pragma once
// Interned strings: every event name, category and args text is stored once and referred to by a
// 32-bit id, so a track's name column costs 4 bytes per event however long the names are.
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace gaplens {

using StringId = uint32_t;

class StringTable {
public:
    StringTable();
    // Id 0 is always the empty string.
    StringId intern(std::string_view text);
    std::optional<StringId> find(std::string_view text) const;
    std::string_view str(StringId id) const { return storage_[id]; }
    size_t size() const { return storage_.size(); }
    // Heap bytes held (strings and index), for the memory-per-event figures.
    size_t memoryBytes() const;

private:
    std::deque<std::string> storage_;  // deque: growing never moves existing strings
    std::unordered_map<std::string_view, StringId> index_;
    size_t textBytes_ = 0;
};

}  // namespace gaplens
