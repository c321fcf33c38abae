// gaplens export puts the findings in by default (as the app's File > Export does), as annotation
// tracks of a "gaplens findings" process: every listed gap on its device-and-cause track and every
// dead window, the same ones `gaplens gaps` and `gaplens report` list. --no-findings leaves them out.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include <nlohmann/json.hpp>

#include "core/io/ChromeTraceImporter.h"
#include "TestSupport.h"

using namespace gaplens;
using namespace gaplens::test;

namespace {

// The tracks of the "gaplens findings" process of an exported trace, by name.
std::map<std::string, const Track*> findingsTracks(const Trace& t) {
    std::map<std::string, const Track*> out;
    for (const Track& tr : t.tracks)
        if (t.processes[tr.process].name == "gaplens findings") out[tr.name] = &tr;
    return out;
}

TimeNs ns(const nlohmann::json& us) { return TimeNs(std::llround(us.get<double>() * 1000)); }

}  // namespace

TEST_CASE("gaplens export adds the findings by default, --no-findings leaves them out", "[export][cli]") {
    TempDir dir;
    const std::string cold = dataPath("torch_mm64_cold.json");
    const CliResult r = runCli("export '" + cold + "' -o '" + dir.file("f.json") + "'");
    REQUIRE(r.exitCode == 0);
    Trace original, back;
    REQUIRE(importChromeTrace(cold, original).ok);
    REQUIRE(importChromeTrace(dir.file("f.json"), back).ok);
    const auto tracks = findingsTracks(back);
    REQUIRE_FALSE(tracks.empty());

    // Gaps: what `gaplens gaps --csv` lists (>= 1 us), each on the track of its device and cause.
    const CliResult csv = runCli("gaps '" + cold + "' --csv");
    REQUIRE(csv.exitCode == 0);
    std::set<std::tuple<std::string, TimeNs, TimeNs>> listed, exported;
    std::istringstream lines(csv.out);
    std::string line;
    std::getline(lines, line);  // header
    while (std::getline(lines, line)) {
        std::istringstream f(line);
        std::string device, start, dur, cause;
        std::getline(f, device, ',');
        std::getline(f, start, ',');
        std::getline(f, dur, ',');
        std::getline(f, cause, ',');
        listed.emplace("GPU " + device + " gaps: " + cause, std::llround(std::stod(start) * 1000),
                       std::llround(std::stod(dur) * 1000));
    }
    size_t gapItems = 0;
    for (const auto& [name, tr] : tracks) {
        if (name.find(" gaps: ") == std::string::npos) continue;
        for (size_t i = 0; i < tr->size(); ++i) exported.emplace(name, tr->start[i], tr->dur[i]);
        gapItems += tr->size();
    }
    CHECK(gapItems == listed.size());
    CHECK(exported == listed);
    // The cold start: 141 ms of setup from the first event (as `gaplens gaps` says, test_cli_report).
    CHECK(exported.count({"GPU 0 gaps: setup", 0, 141118868}) == 1);

    // Dead windows: the report's, with their durations; the first matmul_add is the cold one.
    const auto report = nlohmann::json::parse(runCli("report '" + cold + "' --format json 2>/dev/null").out);
    REQUIRE(tracks.count("Dead windows"));
    const Track& dead = *tracks.at("Dead windows");
    std::vector<std::pair<TimeNs, TimeNs>> want, got;
    for (const auto& w : report["dead_windows"])
        if (ns(w["dur_us"]) > 0) want.emplace_back(ns(w["start_us"]), ns(w["dur_us"]));
    for (size_t i = 0; i < dead.size(); ++i) got.emplace_back(dead.start[i], dead.dur[i]);
    std::sort(want.begin(), want.end());
    CHECK(got == want);
    REQUIRE(dead.size() > 0);
    CHECK(back.strings.str(dead.nameId[0]).rfind("cold dead window matmul_add ", 0) == 0);

    // Every event of the trace plus one per finding.
    CHECK(back.eventCount() == original.eventCount() + gapItems + dead.size());

    const CliResult bare = runCli("export '" + cold + "' -o '" + dir.file("bare.json") + "' --no-findings");
    REQUIRE(bare.exitCode == 0);
    Trace plain;
    REQUIRE(importChromeTrace(dir.file("bare.json"), plain).ok);
    CHECK(findingsTracks(plain).empty());
    CHECK(plain.eventCount() == original.eventCount());
}

TEST_CASE("gaplens export --min-gap annotates only the gaps at least that long", "[export][cli]") {
    TempDir dir;
    const std::string cold = dataPath("torch_mm64_cold.json");
    REQUIRE(runCli("export '" + cold + "' -o '" + dir.file("m.json") + "' --min-gap 1ms").exitCode == 0);
    Trace back;
    REQUIRE(importChromeTrace(dir.file("m.json"), back).ok);
    size_t gapItems = 0;
    for (const auto& [name, tr] : findingsTracks(back))
        if (name.find(" gaps: ") != std::string::npos) gapItems += tr->size();
    CHECK(gapItems == 2);  // the 141 ms and 34.6 ms gaps, as `gaplens gaps --min-gap 1ms` lists
    CHECK(runCli("export '" + cold + "' -o '" + dir.file("x.json") + "' --min-gap 10parsecs").exitCode == 1);
}
