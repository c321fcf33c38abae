#include "core/model/StringTable.h"

namespace gaplens {

StringTable::StringTable() { intern(std::string_view{}); }

StringId StringTable::intern(std::string_view text) {
    if (auto it = index_.find(text); it != index_.end()) return it->second;
    const auto id = static_cast<StringId>(storage_.size());
    const std::string& stored = storage_.emplace_back(text);
    index_.emplace(std::string_view(stored), id);
    textBytes_ += stored.capacity() + 1;
    return id;
}

std::optional<StringId> StringTable::find(std::string_view text) const {
    if (auto it = index_.find(text); it != index_.end()) return it->second;
    return std::nullopt;
}

size_t StringTable::memoryBytes() const {
    // string objects + their heap text + hash nodes (key, value, next pointer, hash) + buckets
    return storage_.size() * sizeof(std::string) + textBytes_ +
           index_.size() * (sizeof(std::string_view) + sizeof(StringId) + 2 * sizeof(void*)) +
           index_.bucket_count() * sizeof(void*);
}

}  // namespace gaplens
