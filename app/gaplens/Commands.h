#pragma once
// One function per `gaplens` subcommand, each in its own file. argv[0] is the subcommand name.
// Their --help texts live in CommandHelp.cpp (main.cpp answers -h/--help before calling them).
// Exit codes (DESIGN.md): 0 ok, 1 usage error, 2 bad input file, 3 no GPU/CUPTI, 4 child failed.
#include <string>
#include <vector>

namespace gaplens::cli {

enum ExitCode { kOk = 0, kUsage = 1, kBadInput = 2, kNoGpu = 3, kChildFailed = 4 };

int reportCommand(const std::vector<std::string>& args);
int gapsCommand(const std::vector<std::string>& args);
int exportCommand(const std::vector<std::string>& args);
int sweepCommand(const std::vector<std::string>& args);
int shareCommand(const std::vector<std::string>& args);
int mergeCommand(const std::vector<std::string>& args);
int diffCommand(const std::vector<std::string>& args);

}  // namespace gaplens::cli
