#pragma once
// Runs a capture as a child process (QProcess): its output arrives live, it can be cancelled, and
// whatever happens to it (non-zero exit, crash, hang) ends in one RunOutcome: the app never goes
// down with it.
#include <QObject>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace gaplens {

struct RunOutcome {
    enum class Status { Succeeded, Failed, Crashed, Cancelled, FailedToStart };
    Status status = Status::Failed;
    int exitCode = 0;      // exit status, or the signal number for a crash
    QString message;       // one line for the status bar
    QString outputPath;    // the trace written, when the file exists (also after a failure: partial)
    bool ok() const { return status == Status::Succeeded; }
};

class CaptureRunner : public QObject {
    Q_OBJECT
public:
    explicit CaptureRunner(QObject* parent = nullptr);
    ~CaptureRunner() override;

    // Starts `program args` in `workingDirectory` (empty: current) with `environment` (KEY=VALUE)
    // added; `outputPath` is the trace it is expected to write. Refused while a run is going.
    bool start(const QString& program, const QStringList& arguments, const QString& workingDirectory,
               const QStringList& environment, const QString& outputPath);
    // Asks the child to stop (SIGTERM), then kills it if it is still there after `graceMs`.
    void cancel(int graceMs = 3000);
    bool isRunning() const { return process_.state() != QProcess::NotRunning; }
    const QString& output() const { return output_; }  // everything the child printed so far

signals:
    void outputReceived(const QString& text);
    void finished(const gaplens::RunOutcome& outcome);

private:
    void onFinished(int exitCode, QProcess::ExitStatus status);
    void onError(QProcess::ProcessError error);

    QProcess process_;
    QString output_;
    QString outputPath_;
    QString program_;
    bool cancelled_ = false;
    bool reported_ = false;
};

}  // namespace gaplens

Q_DECLARE_METATYPE(gaplens::RunOutcome)
