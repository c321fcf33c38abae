#pragma once
// "Open in Perfetto UI": serves one trace file over HTTP on 127.0.0.1 only (never on other
// interfaces: the trace may hold names and paths a user does not want on the network) with the
// CORS header ui.perfetto.dev needs to fetch it, and gives the #!/?url= link that opens it there.
#include <QFile>
#include <QHostAddress>
#include <QObject>
#include <QString>
#include <QTcpServer>
#include <QUrl>

namespace gaplens {

class PerfettoServer : public QObject {
    Q_OBJECT
public:
    static constexpr quint16 kDefaultPort = 9001;  // the port Perfetto UI's docs use for local traces
    static constexpr const char* kPerfettoOrigin = "https://ui.perfetto.dev";

    explicit PerfettoServer(QObject* parent = nullptr);

    // Starts (or restarts) serving `filePath` as /<file name>. port 0 picks a free one (tests).
    // Returns false with a one-line error (port taken, file missing).
    bool serve(const QString& filePath, quint16 port = kDefaultPort, QString* error = nullptr);
    void stop();
    bool isServing() const { return server_.isListening(); }

    QHostAddress serverAddress() const { return server_.serverAddress(); }
    quint16 serverPort() const { return server_.serverPort(); }
    QUrl fileUrl() const;      // http://127.0.0.1:9001/<name>
    QUrl perfettoUrl() const;  // https://ui.perfetto.dev/#!/?url=http://127.0.0.1:9001/<name>
    int requestsServed() const { return served_; }

signals:
    void served(const QString& path);  // a GET was answered with the file

private:
    void onNewConnection();
    void answer(class QTcpSocket* socket, const QByteArray& request);

    QTcpServer server_;
    QString filePath_;
    QString fileName_;
    int served_ = 0;
};

}  // namespace gaplens
