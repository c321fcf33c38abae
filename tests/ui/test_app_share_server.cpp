// "Open in Perfetto UI": the server answers a real HTTP GET from 127.0.0.1 with the file and the
// CORS header ui.perfetto.dev needs, and listens on 127.0.0.1 only.
#include <catch2/catch.hpp>

#include <QEventLoop>
#include <QFile>
#include <QNetworkInterface>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTimer>

#include "ui/app/PerfettoServer.h"

using namespace gaplens;

namespace {
// Sends `request` and reads until the server closes the connection, keeping the event loop running
// (the server lives on this thread).
QByteArray httpExchange(quint16 port, const QByteArray& request) {
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    QByteArray response;
    QEventLoop loop;
    QObject::connect(&socket, &QTcpSocket::connected, &loop, [&] { socket.write(request); });
    QObject::connect(&socket, &QTcpSocket::readyRead, &loop, [&] { response += socket.readAll(); });
    QObject::connect(&socket, &QTcpSocket::disconnected, &loop, &QEventLoop::quit);
    QTimer::singleShot(10000, &loop, &QEventLoop::quit);
    loop.exec();
    response += socket.readAll();
    return response;
}
}  // namespace

TEST_CASE("share server answers GET from 127.0.0.1 with the file and Perfetto's CORS header", "[app][share]") {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("run one.json"));
    QFile file(path);
    REQUIRE(file.open(QIODevice::WriteOnly));
    const QByteArray body = "{\"traceEvents\": []}";
    file.write(body);
    file.close();

    PerfettoServer server;
    QString error;
    REQUIRE(server.serve(path, 0, &error));
    CHECK(server.serverAddress() == QHostAddress(QHostAddress::LocalHost));
    CHECK(server.serverAddress().toString() == QStringLiteral("127.0.0.1"));
    const quint16 port = server.serverPort();
    INFO(server.perfettoUrl().toString(QUrl::FullyEncoded).toStdString());
    CHECK(server.fileUrl().toString(QUrl::FullyEncoded) == QStringLiteral("http://127.0.0.1:%1/run%20one.json").arg(port));
    CHECK(server.perfettoUrl().toString(QUrl::FullyEncoded) ==
          QStringLiteral("https://ui.perfetto.dev/#!/?url=http://127.0.0.1:%1/run%20one.json").arg(port));

    const QByteArray response = httpExchange(port, "GET /run%20one.json HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                                   "Origin: https://ui.perfetto.dev\r\n\r\n");
    INFO(response.toStdString());
    CHECK(response.startsWith("HTTP/1.1 200 OK\r\n"));
    CHECK(response.contains("\r\nAccess-Control-Allow-Origin: https://ui.perfetto.dev\r\n"));
    CHECK(response.contains("\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n"));
    CHECK(response.endsWith("\r\n\r\n" + body));
    CHECK(server.requestsServed() == 1);

    const QByteArray preflight = httpExchange(port, "OPTIONS /run%20one.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    CHECK(preflight.startsWith("HTTP/1.1 204 No Content\r\n"));
    CHECK(preflight.contains("Access-Control-Allow-Origin: https://ui.perfetto.dev"));

    const QByteArray missing = httpExchange(port, "GET /etc/passwd HTTP/1.1\r\n\r\n");
    CHECK(missing.startsWith("HTTP/1.1 404 Not Found\r\n"));
    CHECK(server.requestsServed() == 1);
}

TEST_CASE("share server is not reachable on the machine's other addresses", "[app][share]") {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("t.json"));
    QFile file(path);
    REQUIRE(file.open(QIODevice::WriteOnly));
    file.write("{}");
    file.close();
    PerfettoServer server;
    REQUIRE(server.serve(path, 0));
    int tried = 0;
    for (const QHostAddress& address : QNetworkInterface::allAddresses()) {
        if (address.isLoopback() || address.protocol() != QAbstractSocket::IPv4Protocol) continue;
        QTcpSocket socket;
        socket.connectToHost(address, server.serverPort());
        CHECK_FALSE(socket.waitForConnected(2000));
        ++tried;
    }
    if (tried == 0) WARN("GAPLENS_SKIP: this machine has no non-loopback IPv4 address to try");
}

TEST_CASE("share server refuses a missing file with one line", "[app][share]") {
    PerfettoServer server;
    QString error;
    CHECK_FALSE(server.serve(QStringLiteral("/nonexistent/x.json"), 0, &error));
    CHECK(error == QStringLiteral("/nonexistent/x.json: cannot read the file to serve"));
    CHECK_FALSE(server.isServing());
}
