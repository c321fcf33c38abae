#pragma once
// The help of every `gaplens` subcommand, in one table (CommandHelp.cpp), so that each answers
// `--help` and `-h` the same way: on stdout, exit 0, with its usage, its options, an example, and
// a last line pointing to the definitions of every figure (docs/analyses.md). main.cpp answers
// `gaplens <command> --help` from this table before the command runs, and lists the commands in
// `gaplens --help` from it.
//
// How a command joins (e.g. `gaplens diff`):
//   1. add one CommandHelp entry to kCommands in CommandHelp.cpp (name, summary, usage, options,
//      examples), in the order `gaplens --help` lists them;
//   2. dispatch to it in main.cpp; its parser needs no -h/--help branch of its own (main answers
//      it for every word before a `--`);
//   3. report its usage errors with usageError() / unknownOption(): one line on stderr naming the
//      problem and pointing to `gaplens <command> --help`, exit 1.
// A command that runs a program after its own options (capture) is handed its help text instead,
// since only its parser knows where its options end and the program's begin.
#include <string>
#include <string_view>
#include <vector>

namespace gaplens::cli {

struct CommandHelp {
    std::string_view name;      // "export"
    std::string_view summary;   // one line, shown in `gaplens --help` and first in the command's help
    std::string_view usage;     // "usage: gaplens export run.json ...", one or more lines
    std::string_view options;   // one option per line (continuation lines indented), or empty
    std::string_view examples;  // one command line per line
};

// Every command, in the order `gaplens --help` lists them.
const std::vector<CommandHelp>& commandHelps();
// The entry of a command, or nullptr.
const CommandHelp* findCommandHelp(std::string_view name);

// The full help of a command: summary, usage, options, examples, then kDefinitionsLine.
std::string helpText(const CommandHelp& help);
// `gaplens --help`: the commands with their summaries, the exit codes, then kDefinitionsLine.
std::string overviewText();
// The line every help ends with.
extern const char* const kDefinitionsLine;

// True when -h or --help comes before a `--` (what follows `--` belongs to a program).
bool asksForHelp(const std::vector<std::string>& args);
bool isHelpOption(std::string_view arg);

// One line on stderr: "gaplens <command>: <message> (gaplens <command> --help shows the options)".
// Returns the usage-error exit code (1).
int usageError(std::string_view command, std::string_view message);
int unknownOption(std::string_view command, std::string_view option);
// No input given: the command's usage lines and the pointer to --help on stderr; returns 1.
int missingArguments(std::string_view command);

}  // namespace gaplens::cli
