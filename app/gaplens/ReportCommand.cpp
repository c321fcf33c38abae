// Placeholder: report, gaps and sweep are built with the analyses.
#include <cstdio>
#include "app/gaplens/Commands.h"
namespace gaplens::cli {
int reportCommand(const std::vector<std::string>&) { std::fputs("gaplens report: not built yet\n", stderr); return kUsage; }
int gapsCommand(const std::vector<std::string>&) { std::fputs("gaplens gaps: not built yet\n", stderr); return kUsage; }
int sweepCommand(const std::vector<std::string>&) { std::fputs("gaplens sweep: not built yet\n", stderr); return kUsage; }
}  // namespace gaplens::cli
