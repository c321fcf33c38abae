#pragma once
// `gaplens capture`: built-in workloads or any program. args[0] is "capture".
//   gaplens capture --workload matmul_add --sizes 64,1024,8192 [--dtype bf16] [--iters 20]
//                   [--batch 8] [--schedule W,U,A,R] -o runs/
//       one trace per size (runs/matmul_add_64.json, ...), then one verdict line per size.
//   gaplens capture -o run.json [--] <program> [args...]
//       see ProgramCapture.h for what is recorded and for the exit status.
// Exit codes (app/gaplens/Commands.h): 0 ok, 1 usage, 3 no GPU/CUPTI, 4 workload/program failed.
// `helpText` (the CLI's, app/gaplens/CommandHelp.cpp) is printed for -h/--help among capture's own
// options; after the program's first word they belong to the program.
#include <string>
#include <vector>

namespace gaplens::capture {

int captureCommand(const std::vector<std::string>& args, const std::string& helpText);

}  // namespace gaplens::capture
