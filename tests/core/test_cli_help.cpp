// Every `gaplens` subcommand answers --help and -h on stdout with its options and an example and
// ends with the line pointing to the definitions; `gaplens --version` prints CMake's project
// version; an unknown option is one line on stderr naming it and pointing to --help (exit 1).
#include <catch2/catch.hpp>

#include "TestSupport.h"

using namespace gaplens;

namespace {

struct Command {
    std::string name;
    std::string option;  // one option its help must explain
};
const Command kCommands[] = {{"report", "--group-by range"}, {"gaps", "--csv"},   {"export", "--no-findings"},
                             {"sweep", "--format"},          {"share", "--port"}, {"capture", "--workload NAME"},
                             {"diff", "--top N"},            {"merge", "--clock"}};

const std::string kDefinitions = "Definitions of every figure, cause, window and verdict: docs/analyses.md";

std::string lastLine(const std::string& text) {
    if (text.empty() || text.back() != '\n') return {};
    const size_t start = text.rfind('\n', text.size() - 2);
    return text.substr(start == std::string::npos ? 0 : start + 1);
}

}  // namespace

TEST_CASE("every subcommand answers --help and -h on stdout with its options, an example and the definitions",
          "[cli][help]") {
    for (const Command& c : kCommands) {
        for (const std::string flag : {"--help", "-h"}) {
            INFO("gaplens " << c.name << " " << flag);
            const auto r = test::runCliStreams(c.name + " " + flag);
            CHECK(r.exitCode == 0);
            CHECK(r.err.empty());
            CHECK(r.out.rfind("gaplens " + c.name + ": ", 0) == 0);  // its one-line summary first
            CHECK(r.out.find("\n\nusage: gaplens " + c.name + " ") != std::string::npos);
            CHECK(r.out.find("\noptions:\n") != std::string::npos);
            CHECK(r.out.find(c.option) != std::string::npos);
            CHECK(r.out.find("\nexamples:\n  gaplens " + c.name + " ") != std::string::npos);
            CHECK(lastLine(r.out).rfind(kDefinitions, 0) == 0);
        }
    }
}

TEST_CASE("--help after the inputs still answers, capture answers it among its own options", "[cli][help]") {
    const std::string warm = test::dataPath("torch_mm64_warm.json");
    const auto e = test::runCliStreams("export " + warm + " -o /nonexistent/out.json --help");
    CHECK(e.exitCode == 0);
    CHECK(e.out.rfind("gaplens export: ", 0) == 0);
    const auto g = test::runCliStreams("gaps " + warm + " --min-gap 10us -h");
    CHECK(g.exitCode == 0);
    CHECK(g.out.find("usage: gaplens gaps ") != std::string::npos);
    // After an option of capture's own: the same text as `gaplens capture --help`, nothing captured.
    const auto c = test::runCliStreams("capture -o /nonexistent/run.json --help");
    CHECK(c.exitCode == 0);
    CHECK(c.err.empty());
    CHECK(c.out == test::runCliStreams("capture --help").out);
}

TEST_CASE("gaplens --help lists every command and points to each one's --help and to the definitions", "[cli][help]") {
    for (const std::string flag : {"--help", "-h", "help"}) {
        INFO(flag);
        const auto r = test::runCliStreams(flag);
        CHECK(r.exitCode == 0);
        CHECK(r.err.empty());
        for (const Command& c : kCommands) CHECK(r.out.find("\n  " + c.name + " ") != std::string::npos);
        CHECK(r.out.find("gaplens <command> --help") != std::string::npos);
        CHECK(lastLine(r.out).rfind(kDefinitions, 0) == 0);
    }
    // No command at all is a usage error: the same overview, on stderr.
    const auto none = test::runCliStreams("");
    CHECK(none.exitCode == 1);
    CHECK(none.out.empty());
    CHECK(none.err == test::runCliStreams("--help").out);
}

TEST_CASE("gaplens --version prints the project version from CMake", "[cli][help]") {
    const auto r = test::runCliStreams("--version");
    CHECK(r.exitCode == 0);
    CHECK(r.out == "gaplens " GAPLENS_VERSION "\n");
}

TEST_CASE("an unknown option is one line naming it and pointing to --help, exit 1", "[cli][help]") {
    const std::string warm = test::dataPath("torch_mm64_warm.json");
    for (const Command& c : kCommands) {
        INFO(c.name);
        const auto r = test::runCliStreams(c.name + " --bogus-option " + warm + " -o /nonexistent/x.json");
        if (c.name == "capture" && r.err.find("this build has no capture") != std::string::npos) {
            CHECK(r.exitCode == 3);  // built without CUDA: capture says so before it parses anything
            continue;
        }
        CHECK(r.exitCode == 1);
        CHECK(r.out.empty());
        CHECK(r.err == "gaplens " + c.name + ": unknown option '--bogus-option' (gaplens " + c.name +
                           " --help shows the options)\n");
    }
    const auto unknown = test::runCliStreams("frobnicate run.json");
    CHECK(unknown.exitCode == 1);
    CHECK(unknown.err == "gaplens: unknown command 'frobnicate' (gaplens --help lists the commands)\n");
}
