// Placeholder: share is built with the desktop app's sharing features.
#include <cstdio>
#include "app/gaplens/Commands.h"
namespace gaplens::cli {
int shareCommand(const std::vector<std::string>&) { std::fputs("gaplens share: not built yet\n", stderr); return kUsage; }
}  // namespace gaplens::cli
