#pragma once
// Which file each process of a capture writes, and the environment the CLI hands the injection
// library: shared by `gaplens capture` (ProgramCapture.h) and libgaplens_inject.so, which must stay
// light (it is loaded into every captured program), so this file needs nothing but the standard
// library.
#include <string>
#include <vector>

namespace gaplens::capture {

// Environment variables shared by the CLI and the injection library.
inline constexpr const char* kEnvOutput = "GAPLENS_OUTPUT";            // where the trace goes
inline constexpr const char* kEnvRootPid = "GAPLENS_CAPTURE_PID";      // the program's own pid
inline constexpr const char* kEnvInjectLibrary = "GAPLENS_INJECT_LIBRARY";  // override of the .so
inline constexpr const char* kEnvFramework = "GAPLENS_FRAMEWORK";      // "auto" or "none", read by the hook

// The rank a process of a distributed job is, from its environment: RANK (torchrun and other
// launchers set it), else LOCAL_RANK; "" when neither is a number. A process whose parent has the
// same rank is a helper that the rank started (a DataLoader or compile worker), not the rank: "".
// `parentRank` is the parent's value of the same variable ("" when it has none).
std::string rankOfProcess(const char* rankEnv, const char* localRankEnv, const std::string& parentRank,
                          const std::string& parentLocalRank);
// The same for this process (its environment, and its parent's from /proc/<ppid>/environ).
std::string rankOfThisProcess();
// The trace path a process of the program writes: `output` for the program itself;
// "<stem>.rank<R>.json[.gz]" for a rank of a job it launches (torchrun), and
// "<stem>.pid<N>.json[.gz]" for other processes it starts that use CUDA too.
std::string outputForProcess(const std::string& output, bool isRoot, int pid, const std::string& rank = "");
// The files the processes of a capture to `output` write besides `output` itself (the rank and pid
// names above) that exist now, sorted: ranks by number, then pids.
std::vector<std::string> processOutputs(const std::string& output);
// The side file in which the injection library leaves a one-line error (CUPTI could not attach).
std::string errorFileFor(const std::string& output);

}  // namespace gaplens::capture
