#pragma once
// The Run dialog: a built-in workload (sizes, dtype, iterations, schedule) or any command line
// (program, arguments, working directory, environment), captured by `gaplens capture` as a child
// process. Its output shows live; Cancel stops it; when it ends the trace is handed to the window
// (traceReady). A crash of the child shows its status and output and leaves the app running.
#include <QDialog>

#include "ui/app/CaptureRunner.h"
#include "ui/app/RunSpec.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTabWidget;

namespace gaplens {

class RunDialog : public QDialog {
    Q_OBJECT
public:
    explicit RunDialog(QWidget* parent = nullptr);

    void setSpec(const RunSpec& spec);
    RunSpec spec() const;  // what the fields say now
    // The program run with the capture arguments: the gaplens CLI by default (tests put a fake here).
    void setCaptureProgram(const QString& program) { captureProgram_ = program; }
    QString captureProgram() const { return captureProgram_; }

    bool isRunning() const { return runner_.isRunning(); }
    QString log() const;
    const RunOutcome& lastOutcome() const { return lastOutcome_; }

public slots:
    bool startRun();  // runs spec(); false when it could not start (already running, no gaplens)
    void cancelRun();

signals:
    void traceReady(const QString& path);
    void runFinished(const gaplens::RunOutcome& outcome);

private:
    void updatePreview();
    void onFinished(const RunOutcome& outcome);
    void appendLog(const QString& text);

    CaptureRunner runner_;
    RunOutcome lastOutcome_;
    QString captureProgram_;

    QTabWidget* tabs_ = nullptr;
    QComboBox* workload_ = nullptr;
    QLineEdit* sizes_ = nullptr;
    QComboBox* dtype_ = nullptr;
    QSpinBox* iterations_ = nullptr;
    QLineEdit* schedule_ = nullptr;
    QLineEdit* program_ = nullptr;
    QLineEdit* arguments_ = nullptr;
    QLineEdit* workingDirectory_ = nullptr;
    QPlainTextEdit* environment_ = nullptr;
    QLineEdit* output_ = nullptr;
    QLabel* preview_ = nullptr;
    QPlainTextEdit* log_ = nullptr;
    QProgressBar* busy_ = nullptr;
    QLabel* status_ = nullptr;
    QPushButton* runButton_ = nullptr;
    QPushButton* cancelButton_ = nullptr;
};

}  // namespace gaplens
