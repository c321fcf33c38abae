#include "core/share/LocalTraceServer.h"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace gaplens {

namespace {
constexpr const char* kCors =
    "Access-Control-Allow-Origin: https://ui.perfetto.dev\r\n"
    "Access-Control-Allow-Methods: GET, OPTIONS\r\nAccess-Control-Allow-Headers: *\r\n"
    "Cache-Control: no-cache\r\nConnection: close\r\n";

bool sendAll(int fd, const char* data, size_t size) {
    while (size > 0) {
        const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data += n;
        size -= size_t(n);
    }
    return true;
}
bool sendAll(int fd, const std::string& s) { return sendAll(fd, s.data(), s.size()); }

std::string percentEncode(const std::string& s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += char(c);
        else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}
}  // namespace

LocalTraceServer::~LocalTraceServer() {
    if (fd_ >= 0) ::close(fd_);
}

std::string LocalTraceServer::listen(const std::string& filePath, uint16_t port) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(filePath, ec)) return filePath + ": cannot read the file to serve";
    path_ = filePath;
    name_ = std::filesystem::path(filePath).filename().string();
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) return std::string("socket: ") + std::strerror(errno);
    const int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);  // 127.0.0.1 only: never reachable from other machines
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd_, 8) != 0)
        return "cannot listen on 127.0.0.1:" + std::to_string(port) + ": " + std::strerror(errno);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    return {};
}

std::string LocalTraceServer::fileUrl() const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/" + percentEncode(name_);
}

std::string LocalTraceServer::perfettoUrl() const { return "https://ui.perfetto.dev/#!/?url=" + fileUrl(); }

void LocalTraceServer::run(const std::atomic<bool>& stop, int maxRequests) {
    int answered = 0;
    while (!stop.load() && (maxRequests == 0 || answered < maxRequests)) {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, 200) <= 0) continue;
        const int client = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (client < 0) continue;
        answer(client);
        ::close(client);
        ++answered;
    }
}

void LocalTraceServer::answer(int client) {
    // Read the request head (bounded; a client that sends nothing for 5 s is dropped).
    std::string request;
    char buf[4096];
    while (request.find("\r\n\r\n") == std::string::npos && request.size() < 16384) {
        pollfd p{client, POLLIN, 0};
        if (::poll(&p, 1, 5000) <= 0) return;
        const ssize_t n = ::recv(client, buf, sizeof buf, 0);
        if (n <= 0) return;
        request.append(buf, size_t(n));
    }
    const std::string line = request.substr(0, request.find("\r\n"));
    const size_t sp1 = line.find(' ');
    const size_t sp2 = line.find(' ', sp1 == std::string::npos ? 0 : sp1 + 1);
    const std::string method = line.substr(0, sp1);
    std::string target = sp1 == std::string::npos ? "" : line.substr(sp1 + 1, sp2 - sp1 - 1);
    target = target.substr(0, target.find('?'));
    if (method == "OPTIONS") {
        sendAll(client, std::string("HTTP/1.1 204 No Content\r\n") + kCors + "Content-Length: 0\r\n\r\n");
        return;
    }
    std::ifstream file(path_, std::ios::binary);
    if ((method != "GET" && method != "HEAD") || (target != std::string("/") + name_ && target != std::string("/") + percentEncode(name_)) ||
        !file) {
        sendAll(client, std::string("HTTP/1.1 404 Not Found\r\n") + kCors +
                            "Content-Type: text/plain\r\nContent-Length: 10\r\n\r\nnot found\n");
        return;
    }
    std::error_code ec;
    const auto size = std::filesystem::file_size(path_, ec);
    const bool gz = name_.size() > 3 && name_.compare(name_.size() - 3, 3, ".gz") == 0;
    if (!sendAll(client, std::string("HTTP/1.1 200 OK\r\n") + kCors + "Content-Type: " +
                             (gz ? "application/gzip" : "application/json") +
                             "\r\nContent-Length: " + std::to_string(size) + "\r\n\r\n"))
        return;
    if (method == "HEAD") return;
    std::string chunk(1 << 20, '\0');
    while (file) {
        file.read(chunk.data(), std::streamsize(chunk.size()));
        if (file.gcount() <= 0 || !sendAll(client, chunk.data(), size_t(file.gcount()))) break;
    }
}

}  // namespace gaplens
