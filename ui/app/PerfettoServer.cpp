#include "ui/app/PerfettoServer.h"

#include <memory>

#include <QFileInfo>
#include <QPointer>
#include <QTcpSocket>

namespace gaplens {

namespace {
constexpr qint64 kChunk = 1 << 20;
constexpr qint64 kMaxRequestBytes = 16 * 1024;

QByteArray statusLine(int code) {
    switch (code) {
    case 200: return "HTTP/1.1 200 OK\r\n";
    case 204: return "HTTP/1.1 204 No Content\r\n";
    case 404: return "HTTP/1.1 404 Not Found\r\n";
    case 405: return "HTTP/1.1 405 Method Not Allowed\r\n";
    default: return "HTTP/1.1 400 Bad Request\r\n";
    }
}

QByteArray corsHeaders() {
    return QByteArray("Access-Control-Allow-Origin: ") + PerfettoServer::kPerfettoOrigin +
           "\r\nAccess-Control-Allow-Methods: GET, OPTIONS\r\nAccess-Control-Allow-Headers: *\r\n"
           "Vary: Origin\r\nCache-Control: no-cache\r\nConnection: close\r\n";
}
}  // namespace

PerfettoServer::PerfettoServer(QObject* parent) : QObject(parent) {
    connect(&server_, &QTcpServer::newConnection, this, &PerfettoServer::onNewConnection);
}

bool PerfettoServer::serve(const QString& filePath, quint16 port, QString* error) {
    const QFileInfo info(filePath);
    if (!info.isFile() || !info.isReadable()) {
        if (error) *error = tr("%1: cannot read the file to serve").arg(filePath);
        return false;
    }
    filePath_ = info.absoluteFilePath();
    fileName_ = info.fileName();
    if (server_.isListening() && (port == 0 || server_.serverPort() == port)) return true;
    server_.close();
    // LocalHost is 127.0.0.1: the trace is never reachable from another machine.
    if (!server_.listen(QHostAddress::LocalHost, port)) {
        if (error)
            *error = tr("cannot listen on 127.0.0.1:%1: %2 (is another \"Open in Perfetto UI\" running?)")
                         .arg(port)
                         .arg(server_.errorString());
        return false;
    }
    return true;
}

void PerfettoServer::stop() { server_.close(); }

QUrl PerfettoServer::fileUrl() const {
    return QUrl(QStringLiteral("http://127.0.0.1:%1/%2").arg(server_.serverPort()).arg(QString::fromUtf8(QUrl::toPercentEncoding(fileName_))));
}

QUrl PerfettoServer::perfettoUrl() const {
    // The fragment is read by Perfetto UI's router; the url parameter is kept readable as the docs show it.
    return QUrl(QStringLiteral("%1/#!/?url=%2").arg(QLatin1String(kPerfettoOrigin), fileUrl().toString(QUrl::FullyEncoded)));
}

void PerfettoServer::onNewConnection() {
    while (QTcpSocket* socket = server_.nextPendingConnection()) {
        // The request head collects here until its blank line; one request per connection.
        auto request = std::make_shared<QByteArray>();
        auto answered = std::make_shared<bool>(false);
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket, request, answered] {
            if (*answered) {
                socket->readAll();
                return;
            }
            request->append(socket->readAll());
            if (request->contains("\r\n\r\n") || request->size() > kMaxRequestBytes) {
                *answered = true;
                answer(socket, *request);
            }
        });
    }
}

void PerfettoServer::answer(QTcpSocket* socket, const QByteArray& request) {
    const QList<QByteArray> parts = request.left(request.indexOf("\r\n")).split(' ');
    const QByteArray method = parts.value(0);
    const QString path = QUrl::fromPercentEncoding(parts.value(1).split('?').value(0));
    if (method == "OPTIONS") {  // CORS preflight
        socket->write(statusLine(204) + corsHeaders() + "Content-Length: 0\r\n\r\n");
        socket->disconnectFromHost();
        return;
    }
    if (method != "GET" && method != "HEAD") {
        socket->write(statusLine(405) + corsHeaders() + "Content-Length: 0\r\n\r\n");
        socket->disconnectFromHost();
        return;
    }
    auto* file = new QFile(filePath_, socket);
    if (path != QLatin1Char('/') + fileName_ || !file->open(QIODevice::ReadOnly)) {
        const QByteArray body = "not found\n";
        socket->write(statusLine(404) + corsHeaders() + "Content-Type: text/plain\r\nContent-Length: " +
                      QByteArray::number(body.size()) + "\r\n\r\n" + body);
        socket->disconnectFromHost();
        return;
    }
    const QByteArray type = fileName_.endsWith(QLatin1String(".gz")) ? "application/gzip" : "application/json";
    socket->write(statusLine(200) + corsHeaders() + "Content-Type: " + type + "\r\nContent-Length: " +
                  QByteArray::number(file->size()) + "\r\n\r\n");
    ++served_;
    emit served(filePath_);
    if (method == "HEAD") {
        socket->disconnectFromHost();
        return;
    }
    // Stream the file in chunks as the socket drains, so a large trace is never held in memory twice.
    auto pump = [socket, file] {
        while (socket->bytesToWrite() < kChunk && !file->atEnd()) socket->write(file->read(kChunk));
        if (file->atEnd() && socket->bytesToWrite() == 0) socket->disconnectFromHost();
    };
    connect(socket, &QTcpSocket::bytesWritten, socket, pump);
    pump();
}

}  // namespace gaplens
