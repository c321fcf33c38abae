// The share page in a real browser: headless Chromium loads it, inflates the embedded trace with
// DecompressionStream and writes the decoded event count into #decoded-events, which --dump-dom
// shows. Skipped (GAPLENS_SKIP) where no Chromium is installed.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <unistd.h>

#include "core/io/OutputFile.h"
#include "core/share/ComparePage.h"
#include "core/share/GzipBytes.h"
#include "core/share/SharePage.h"

using namespace gaplens;
namespace fs = std::filesystem;

namespace {

std::string findChromium() {
    for (const char* candidate : {"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"})
        if (::access(candidate, X_OK) == 0) return candidate;
    return {};
}

// Runs the browser on `html` and returns the DOM after the page's scripts ran.
std::string dumpDom(const std::string& chromium, const std::string& htmlPath, const fs::path& dir) {
    const fs::path domPath = dir / "dom.html";
    const std::string command = chromium +
                                " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run"
                                " --disable-background-networking --disable-component-update --disable-sync"
                                " --user-data-dir=" + (dir / "profile").string() +
                                " --virtual-time-budget=10000 --dump-dom file://" + htmlPath + " > " +
                                domPath.string() + " 2>/dev/null";
    if (std::system(command.c_str()) != 0) return {};
    std::ifstream in(domPath);
    std::stringstream dom;
    dom << in.rdbuf();
    return dom.str();
}

// The DOM of `html` after headless Chromium ran its scripts; empty (and a skip) without Chromium.
std::string domOf(const std::string& html) {
    const std::string chromium = findChromium();
    if (chromium.empty()) {
        WARN("GAPLENS_SKIP: no Chromium found");
        return {};
    }
    const fs::path dir = fs::temp_directory_path() / ("gaplens_share_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const std::string htmlPath = (dir / "page.html").string();
    REQUIRE(writeFileAtomically(htmlPath, html) == "");
    const std::string dom = dumpDom(chromium, htmlPath, dir);
    fs::remove_all(dir);
    REQUIRE(!dom.empty());
    return dom;
}

std::string gzipOf(const std::string& fixture) {
    std::string gz, error;
    REQUIRE(readFileAsGzip(std::string(GAPLENS_TEST_DATA) + "/" + fixture, gz, error));
    return gz;
}

void checkDecodedCount(const std::string& fixture, const std::string& expectedCount) {
    SharePageInput in;
    in.title = fixture;
    in.report = nlohmann::json::object();
    in.traceGzip = gzipOf(fixture);
    in.traceFileName = fixture;
    const std::string dom = domOf(renderSharePage(in));
    if (dom.empty()) return;
    CHECK(dom.find("<b id=\"decoded-events\"") != std::string::npos);
    CHECK(dom.find(">" + expectedCount + "</b>") != std::string::npos);
}

}  // namespace

TEST_CASE("chromium decodes the share page's embedded .json trace to its 441 events", "[share][browser]") {
    checkDecodedCount("torch_mm64_cold.json", "441");
}

TEST_CASE("chromium decodes the share page's embedded .json.gz trace to its 10017 events", "[share][browser]") {
    checkDecodedCount("torch_train_step.json.gz", "10017");
}

TEST_CASE("chromium decodes both runs embedded in a comparison page", "[share][browser][compare]") {
    ComparePageInput in;
    in.title = "before → after";
    in.comparison = nlohmann::json::object();
    in.before.label = "torch_mm64_cold.json";
    in.before.traceGzip = gzipOf("torch_mm64_cold.json");
    in.before.traceFileName = "before.json";
    in.after.label = "torch_train_step.json.gz";
    in.after.traceGzip = gzipOf("torch_train_step.json.gz");
    in.after.traceFileName = "after.json";
    const std::string dom = domOf(renderComparePage(in));
    if (dom.empty()) return;
    // The counts follow their elements' ids (the script adds a data-bytes attribute between them).
    const size_t beforeAt = dom.find("<b id=\"decoded-events-before\"");
    const size_t afterAt = dom.find("<b id=\"decoded-events-after\"");
    REQUIRE(beforeAt != std::string::npos);
    REQUIRE(afterAt != std::string::npos);
    CHECK(dom.find(">441</b>", beforeAt) < dom.find("</b>", beforeAt) + 1);
    CHECK(dom.find(">10017</b>", afterAt) < dom.find("</b>", afterAt) + 1);
}
