#pragma once
// A minimal HTTP server for `gaplens share` without -o (no Qt: the CLI builds without it). It binds
// 127.0.0.1 only, serves one file at /<name> with the CORS header Perfetto UI needs to fetch it
// (Access-Control-Allow-Origin: https://ui.perfetto.dev), answers anything else with 404, and runs
// until stopped.
#include <atomic>
#include <cstdint>
#include <string>

namespace gaplens {

class LocalTraceServer {
public:
    LocalTraceServer() = default;
    ~LocalTraceServer();
    LocalTraceServer(const LocalTraceServer&) = delete;
    LocalTraceServer& operator=(const LocalTraceServer&) = delete;

    // Binds 127.0.0.1:port (0: any free port). Returns an empty string or a one-line error.
    std::string listen(const std::string& filePath, uint16_t port);
    uint16_t port() const { return port_; }
    std::string fileUrl() const;      // http://127.0.0.1:<port>/<name>
    std::string perfettoUrl() const;  // https://ui.perfetto.dev/#!/?url=<fileUrl>
    // Answers requests one after another until `stop` becomes true (checked every 200 ms) or
    // `maxRequests` (0: no limit) were answered.
    void run(const std::atomic<bool>& stop, int maxRequests = 0);

private:
    void answer(int client);
    int fd_ = -1;
    uint16_t port_ = 0;
    std::string path_;
    std::string name_;
};

}  // namespace gaplens
