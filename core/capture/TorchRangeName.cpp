#include "core/capture/TorchRangeName.h"

#include <charconv>

namespace gaplens::capture {
namespace {

// The number that `text` starts with at `pos`, and where it ends; false when there is none.
bool numberAt(std::string_view text, size_t pos, int64_t& value, size_t& end) {
    const char* first = text.data() + pos;
    const char* last = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(first, last, value);
    if (ec != std::errc() || ptr == first) return false;
    end = size_t(ptr - text.data());
    return true;
}

}  // namespace

TorchRangeName parseTorchRangeName(std::string_view text) {
    TorchRangeName out;
    out.name = text;
    // ", op_id = N" comes after the name and the sequence number and before any sizes: the first one
    // followed by a number and then the end or ", " is torch's (a name may contain anything).
    constexpr std::string_view kOpId = ", op_id = ";
    size_t at = text.find(kOpId);
    while (at != std::string_view::npos) {
        int64_t id = 0;
        size_t end = 0;
        if (numberAt(text, at + kOpId.size(), id, end) && (end == text.size() || text.substr(end, 2) == ", ")) {
            out.fromTorch = true;
            out.opId = id;
            break;
        }
        at = text.find(kOpId, at + 1);
    }
    if (!out.fromTorch) return out;
    std::string_view head = text.substr(0, at);
    constexpr std::string_view kSeq = ", seq = ";
    if (const size_t seq = head.rfind(kSeq); seq != std::string_view::npos) {
        int64_t n = 0;
        size_t end = 0;
        if (numberAt(head, seq + kSeq.size(), n, end) && end == head.size()) {
            out.sequence = n;
            head = head.substr(0, seq);
        }
    }
    out.name = head;
    return out;
}

}  // namespace gaplens::capture
