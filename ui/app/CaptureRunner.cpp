#include "ui/app/CaptureRunner.h"

#include <QFileInfo>
#include <QTimer>

namespace gaplens {

CaptureRunner::CaptureRunner(QObject* parent) : QObject(parent) {
    qRegisterMetaType<gaplens::RunOutcome>();
    process_.setProcessChannelMode(QProcess::MergedChannels);
    connect(&process_, &QProcess::readyReadStandardOutput, this, [this] {
        const QString text = QString::fromLocal8Bit(process_.readAllStandardOutput());
        output_ += text;
        emit outputReceived(text);
    });
    connect(&process_, &QProcess::finished, this, &CaptureRunner::onFinished);
    connect(&process_, &QProcess::errorOccurred, this, &CaptureRunner::onError);
}

CaptureRunner::~CaptureRunner() {
    if (isRunning()) {
        process_.kill();
        process_.waitForFinished(2000);
    }
}

bool CaptureRunner::start(const QString& program, const QStringList& arguments, const QString& workingDirectory,
                          const QStringList& environment, const QString& outputPath) {
    if (isRunning()) return false;
    output_.clear();
    outputPath_ = outputPath;
    program_ = program;
    cancelled_ = false;
    reported_ = false;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString& kv : environment) {
        const qsizetype eq = kv.indexOf(QLatin1Char('='));
        if (eq > 0) env.insert(kv.left(eq), kv.mid(eq + 1));
    }
    process_.setProcessEnvironment(env);
    process_.setWorkingDirectory(workingDirectory);
    process_.start(program, arguments);
    return true;
}

void CaptureRunner::cancel(int graceMs) {
    if (!isRunning()) return;
    cancelled_ = true;
    process_.terminate();
    QTimer::singleShot(graceMs, this, [this] {
        if (isRunning()) process_.kill();
    });
}

void CaptureRunner::onFinished(int exitCode, QProcess::ExitStatus status) {
    if (reported_) return;
    reported_ = true;
    // Pick up what the child printed last.
    const QString rest = QString::fromLocal8Bit(process_.readAllStandardOutput());
    if (!rest.isEmpty()) {
        output_ += rest;
        emit outputReceived(rest);
    }
    RunOutcome outcome;
    outcome.exitCode = exitCode;
    if (QFileInfo(outputPath_).isFile()) outcome.outputPath = outputPath_;
    if (cancelled_) {
        outcome.status = RunOutcome::Status::Cancelled;
        outcome.message = tr("Run cancelled");
    } else if (status == QProcess::CrashExit) {
        // On Unix, QProcess reports the terminating signal as the exit code of a crashed child.
        outcome.status = RunOutcome::Status::Crashed;
        outcome.message = tr("The capture crashed (signal %1)").arg(exitCode);
    } else if (exitCode != 0) {
        outcome.status = RunOutcome::Status::Failed;
        QString why;
        switch (exitCode) {
        case 1: why = tr("usage error"); break;
        case 2: why = tr("bad input file"); break;
        case 3: why = tr("no GPU or CUPTI"); break;
        case 4: why = tr("the program failed"); break;
        default: why = tr("error"); break;
        }
        outcome.message = tr("The capture exited with status %1 (%2)").arg(exitCode).arg(why);
    } else if (outcome.outputPath.isEmpty()) {
        outcome.status = RunOutcome::Status::Failed;
        outcome.message = tr("The capture finished but wrote no trace at %1").arg(outputPath_);
    } else {
        outcome.status = RunOutcome::Status::Succeeded;
        outcome.message = tr("Captured %1").arg(outputPath_);
    }
    if (!outcome.ok() && !outcome.outputPath.isEmpty() && outcome.status != RunOutcome::Status::Cancelled)
        outcome.message += tr("; what was captured before is in %1").arg(outputPath_);
    emit finished(outcome);
}

void CaptureRunner::onError(QProcess::ProcessError error) {
    if (error != QProcess::FailedToStart || reported_) return;
    reported_ = true;
    RunOutcome outcome;
    outcome.status = RunOutcome::Status::FailedToStart;
    outcome.exitCode = -1;
    outcome.message = tr("Cannot start %1: %2").arg(program_, process_.errorString());
    emit finished(outcome);
}

}  // namespace gaplens
