// The Run dialog with fake captures: one that writes a trace (it is handed on), one that crashes
// (its status and output are shown, the app goes on), one that hangs and is cancelled.
#include <catch2/catch.hpp>

#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>

#include "ui/app/CaptureRunner.h"
#include "ui/app/RunDialog.h"

using namespace gaplens;

namespace {
// A stand-in for `gaplens capture`: it gets the same arguments, finds -o and does `body` with it.
QString writeFakeCapture(const QTemporaryDir& dir, const QString& body) {
    const QString path = dir.filePath(QStringLiteral("fake-gaplens"));
    QFile f(path);
    REQUIRE(f.open(QIODevice::WriteOnly));
    f.write(("#!/bin/sh\nargs=\"$*\"\nout=\nwhile [ $# -gt 0 ]; do [ \"$1\" = -o ] && out=\"$2\"; shift; done\n" + body + "\n").toUtf8());
    f.close();
    f.setPermissions(f.permissions() | QFileDevice::ExeOwner);
    return path;
}

RunOutcome runAndWait(RunDialog& dialog, int timeoutMs = 20000) {
    QSignalSpy finished(&dialog, &RunDialog::runFinished);
    REQUIRE(dialog.startRun());
    REQUIRE(finished.wait(timeoutMs));
    return finished.at(0).at(0).value<RunOutcome>();
}
}  // namespace

TEST_CASE("run dialog runs a capture that writes a trace and hands the trace on", "[app][run]") {
    QTemporaryDir dir;
    RunDialog dialog;
    dialog.setCaptureProgram(writeFakeCapture(
        dir, QStringLiteral("echo \"capturing $args\"; cp '" GAPLENS_TEST_DATA "/torch_mm64_warm.json' \"$out\"")));
    RunSpec spec;
    spec.sizes = QStringLiteral("64");
    spec.iterations = 7;
    spec.outputPath = dir.filePath(QStringLiteral("run.json"));
    dialog.setSpec(spec);
    QSignalSpy ready(&dialog, &RunDialog::traceReady);
    const RunOutcome outcome = runAndWait(dialog);
    CHECK(outcome.status == RunOutcome::Status::Succeeded);
    REQUIRE(ready.count() == 1);
    CHECK(ready.at(0).at(0).toString() == spec.outputPath);
    CHECK(QFileInfo(spec.outputPath).size() == 25849);
    // The child's output is shown, with the arguments the dialog built.
    INFO(dialog.log().toStdString());
    CHECK(dialog.log().contains(QStringLiteral("capturing capture --workload matmul_add --sizes 64 --dtype bf16 --iters 7 "
                                               "--schedule 1,1,3,1 -o ") + spec.outputPath));
}

TEST_CASE("run dialog runs any command line through gaplens capture --", "[app][run]") {
    QTemporaryDir dir;
    RunDialog dialog;
    dialog.setCaptureProgram(writeFakeCapture(dir, QStringLiteral("echo \"args: $args\"; echo \"env: $GAPLENS_TEST_VAR\"; pwd; echo '{}' > \"$out\"")));
    RunSpec spec;
    spec.mode = RunSpec::Mode::Command;
    spec.program = QStringLiteral("python3");
    spec.arguments = {QStringLiteral("train.py"), QStringLiteral("--steps"), QStringLiteral("10")};
    spec.workingDirectory = dir.path();
    spec.environment = {QStringLiteral("GAPLENS_TEST_VAR=forty two")};
    spec.outputPath = dir.filePath(QStringLiteral("cmd.json"));
    dialog.setSpec(spec);
    CHECK(dialog.spec().arguments == spec.arguments);
    const RunOutcome outcome = runAndWait(dialog);
    CHECK(outcome.status == RunOutcome::Status::Succeeded);
    INFO(dialog.log().toStdString());
    CHECK(dialog.log().contains(QStringLiteral("args: capture -o ") + spec.outputPath + QStringLiteral(" -- python3 train.py --steps 10")));
    CHECK(dialog.log().contains(QStringLiteral("env: forty two")));
    CHECK(dialog.log().contains(QStringLiteral("\n") + dir.path() + QStringLiteral("\n")));
}

TEST_CASE("a capture that crashes shows its signal and output and the app goes on", "[app][run]") {
    QTemporaryDir dir;
    RunDialog dialog;
    dialog.setCaptureProgram(writeFakeCapture(dir, QStringLiteral("echo 'about to fail'; kill -SEGV $$")));
    RunSpec spec;
    spec.outputPath = dir.filePath(QStringLiteral("never.json"));
    dialog.setSpec(spec);
    QSignalSpy ready(&dialog, &RunDialog::traceReady);
    const RunOutcome outcome = runAndWait(dialog);
    CHECK(outcome.status == RunOutcome::Status::Crashed);
    CHECK(outcome.exitCode == 11);
    CHECK(outcome.message == QStringLiteral("The capture crashed (signal 11)"));
    CHECK(dialog.log().contains(QStringLiteral("about to fail")));
    CHECK(ready.count() == 0);
    CHECK_FALSE(dialog.isRunning());
}

TEST_CASE("a capture that exits non-zero reports its status and keeps what it wrote", "[app][run]") {
    QTemporaryDir dir;
    RunDialog dialog;
    dialog.setCaptureProgram(writeFakeCapture(dir, QStringLiteral("echo '{}' > \"$out\"; echo 'no GPU' >&2; exit 3")));
    RunSpec spec;
    spec.outputPath = dir.filePath(QStringLiteral("partial.json"));
    dialog.setSpec(spec);
    const RunOutcome outcome = runAndWait(dialog);
    CHECK(outcome.status == RunOutcome::Status::Failed);
    CHECK(outcome.exitCode == 3);
    CHECK(outcome.outputPath == spec.outputPath);
    CHECK(outcome.message == QStringLiteral("The capture exited with status 3 (no GPU or CUPTI); what was captured before is in ") +
                                 spec.outputPath);
    CHECK(dialog.log().contains(QStringLiteral("no GPU")));  // stderr is shown too
}

TEST_CASE("a capture that hangs is cancelled", "[app][run]") {
    QTemporaryDir dir;
    RunDialog dialog;
    dialog.setCaptureProgram(writeFakeCapture(dir, QStringLiteral("echo started; exec sleep 100")));
    RunSpec spec;
    spec.outputPath = dir.filePath(QStringLiteral("hang.json"));
    dialog.setSpec(spec);
    QSignalSpy finished(&dialog, &RunDialog::runFinished);
    REQUIRE(dialog.startRun());
    CHECK(dialog.isRunning());
    CHECK_FALSE(dialog.startRun());  // one run at a time
    dialog.cancelRun();
    REQUIRE(finished.wait(10000));
    const RunOutcome outcome = finished.at(0).at(0).value<RunOutcome>();
    CHECK(outcome.status == RunOutcome::Status::Cancelled);
    CHECK(outcome.message == QStringLiteral("Run cancelled"));
    CHECK_FALSE(dialog.isRunning());
}

TEST_CASE("a program that does not exist fails to start with one line", "[app][run]") {
    CaptureRunner runner;
    QSignalSpy finished(&runner, &CaptureRunner::finished);
    runner.start(QStringLiteral("/nonexistent/gaplens"), {}, {}, {}, QStringLiteral("/tmp/x.json"));
    REQUIRE(finished.wait(10000));
    const RunOutcome outcome = finished.at(0).at(0).value<RunOutcome>();
    CHECK(outcome.status == RunOutcome::Status::FailedToStart);
    CHECK(outcome.message.startsWith(QStringLiteral("Cannot start /nonexistent/gaplens:")));
}
