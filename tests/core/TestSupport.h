#pragma once
// Helpers shared by the core tests: fixture paths, temp files, running the CLI.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

#include "core/analysis/OpsTable.h"
#include "core/model/Trace.h"

namespace gaplens::test {

inline std::string dataPath(const std::string& name) { return std::string(GAPLENS_TEST_DATA) + "/" + name; }

// The ops-table row of a name, host-side (onGpu false) or GPU-side; nullptr when there is none.
inline const OpRow* findRow(const OpsTable& table, std::string_view name, bool onGpu) {
    for (const OpRow& r : table.rows)
        if (r.name == name && r.onGpu == onGpu) return &r;
    return nullptr;
}

// A fresh temp folder per test, removed at the end of the test.
struct TempDir {
    std::filesystem::path path;
    TempDir() {
        path = std::filesystem::temp_directory_path() /
               ("gaplens-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
        std::filesystem::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    std::string file(const std::string& name) const { return (path / name).string(); }
    std::string write(const std::string& name, const std::string& contents) const {
        std::ofstream(file(name), std::ios::binary) << contents;
        return file(name);
    }
    static int& counter() {
        static int c = 0;
        return c;
    }
};

inline std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

struct CliResult {
    int exitCode = -1;
    std::string out;  // stdout and stderr together
};

// Runs a shell command line; out is what it writes on stdout.
inline CliResult runShell(const std::string& cmd) {
    CliResult r;
    FILE* p = ::popen(cmd.c_str(), "r");
    if (!p) return r;
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
    const int status = ::pclose(p);
    r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

// Runs the built gaplens CLI with `args` (a shell-quoted string).
inline CliResult runCli(const std::string& args) { return runShell(std::string(GAPLENS_CLI) + " " + args + " 2>&1"); }

// The same with stdout and stderr apart (what is help and what is an error).
struct CliStreams {
    int exitCode = -1;
    std::string out, err;
};
inline CliStreams runCliStreams(const std::string& args) {
    TempDir dir;
    const CliResult r = runShell(std::string(GAPLENS_CLI) + " " + args + " 2>'" + dir.file("stderr") + "'");
    return {r.exitCode, r.out, readFile(dir.file("stderr"))};
}

// Events of a kind across all tracks.
inline size_t countKind(const Trace& t, EventKind k) {
    size_t n = 0;
    for (const Track& tr : t.tracks)
        for (EventKind e : tr.kind) n += e == k;
    return n;
}

// The first event with this name (scanning tracks in order), or an invalid ref.
inline EventRef findEvent(const Trace& t, std::string_view name, size_t nth = 0) {
    const auto id = t.strings.find(name);
    if (!id) return {};
    for (uint32_t ti = 0; ti < t.tracks.size(); ++ti)
        for (uint32_t i = 0; i < t.tracks[ti].size(); ++i)
            if (t.tracks[ti].nameId[i] == *id && nth-- == 0) return {ti, i};
    return {};
}

}  // namespace gaplens::test
