// `gaplens share`: the page from the CLI, and the Qt-free server used without -o (127.0.0.1 only,
// CORS header for ui.perfetto.dev, 404 for anything but the file).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/io/OutputFile.h"
#include "core/share/LocalTraceServer.h"

using namespace gaplens;
namespace fs = std::filesystem;

namespace {
std::string httpGet(uint16_t port, const std::string& request) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return {};
    }
    ::send(fd, request.data(), request.size(), 0);
    std::string response;
    char buf[4096];
    for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) response.append(buf, size_t(n));
    ::close(fd);
    return response;
}

std::string readFile(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}
}  // namespace

TEST_CASE("share server serves the file on 127.0.0.1 with Perfetto's CORS header", "[share]") {
    const fs::path dir = fs::temp_directory_path() / ("gaplens_srv_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const std::string path = (dir / "run.json").string();
    REQUIRE(writeFileAtomically(path, "{\"traceEvents\":[]}") == "");

    LocalTraceServer server;
    REQUIRE(server.listen(path, 0) == "");
    REQUIRE(server.port() != 0);
    CHECK(server.fileUrl() == "http://127.0.0.1:" + std::to_string(server.port()) + "/run.json");
    CHECK(server.perfettoUrl() == "https://ui.perfetto.dev/#!/?url=" + server.fileUrl());
    std::atomic<bool> stop{false};
    std::thread serving([&] { server.run(stop, 2); });
    const std::string ok = httpGet(server.port(), "GET /run.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    const std::string missing = httpGet(server.port(), "GET /../secret HTTP/1.1\r\n\r\n");
    stop = true;
    serving.join();
    fs::remove_all(dir);

    CHECK(ok.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
    CHECK(ok.find("\r\nAccess-Control-Allow-Origin: https://ui.perfetto.dev\r\n") != std::string::npos);
    CHECK(ok.find("\r\nContent-Length: 18\r\n") != std::string::npos);
    CHECK(ok.substr(ok.size() - 18) == "{\"traceEvents\":[]}");
    CHECK(missing.rfind("HTTP/1.1 404 Not Found\r\n", 0) == 0);
}

TEST_CASE("share server refuses a missing file", "[share]") {
    LocalTraceServer server;
    CHECK(server.listen("/nonexistent/run.json", 0) == "/nonexistent/run.json: cannot read the file to serve");
}

TEST_CASE("gaplens share -o writes the page, a bad file exits 2 with one line", "[share][cli]") {
    const fs::path dir = fs::temp_directory_path() / ("gaplens_cli_share_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const fs::path out = dir / "run.html";
    const std::string cmd = std::string(GAPLENS_CLI) + " share " GAPLENS_TEST_DATA "/torch_mm64_warm.json -o " +
                            out.string() + " > " + (dir / "stdout.txt").string() + " 2>&1";
    const int rc = std::system(cmd.c_str());
    CHECK(WEXITSTATUS(rc) == 0);
    const std::string page = readFile(out);
    CHECK(page.find("<title>gaplens: torch_mm64_warm.json</title>") != std::string::npos);
    CHECK(page.find(">overhead-bound</span>") != std::string::npos);
    CHECK(page.find("data-file-name=\"torch_mm64_warm.gaplens.json\"") != std::string::npos);
    CHECK(readFile(dir / "stdout.txt").rfind("wrote " + out.string(), 0) == 0);

    const std::string bad = std::string(GAPLENS_CLI) + " share /nonexistent/run.json -o " + out.string() + " 2> " +
                            (dir / "stderr.txt").string();
    CHECK(WEXITSTATUS(std::system(bad.c_str())) == 2);
    const std::string err = readFile(dir / "stderr.txt");
    CHECK(err.find("/nonexistent/run.json") != std::string::npos);
    CHECK(std::count(err.begin(), err.end(), '\n') == 1);
    fs::remove_all(dir);
}
