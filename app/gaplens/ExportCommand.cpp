// Placeholder until the exporter lands.
#include <cstdio>
#include "app/gaplens/Commands.h"
namespace gaplens::cli {
int exportCommand(const std::vector<std::string>&) { std::fputs("gaplens export: not built yet\n", stderr); return kUsage; }
}  // namespace gaplens::cli
