#pragma once
// Standard base64 (RFC 4648, with padding): the share page embeds the gzip-compressed trace as
// base64 text that the browser turns back into bytes with atob().
#include <string>
#include <string_view>

namespace gaplens {

std::string base64Encode(std::string_view bytes);
// Decodes; returns false on a character outside the alphabet (whitespace is skipped).
bool base64Decode(std::string_view text, std::string& bytes);

}  // namespace gaplens
