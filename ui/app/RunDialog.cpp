#include "ui/app/RunDialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace gaplens {

namespace {
QWidget* withBrowse(QLineEdit* edit, QWidget* parent, std::function<QString()> pick) {
    auto* row = new QWidget(parent);
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(edit);
    auto* button = new QToolButton(row);
    button->setText(QStringLiteral("…"));
    QObject::connect(button, &QToolButton::clicked, edit, [edit, pick] {
        const QString chosen = pick();
        if (!chosen.isEmpty()) edit->setText(chosen);
    });
    layout->addWidget(button);
    return row;
}
}  // namespace

RunDialog::RunDialog(QWidget* parent) : QDialog(parent), captureProgram_(locateGaplensCli()) {
    setWindowTitle(tr("Run and capture"));
    auto* layout = new QVBoxLayout(this);

    tabs_ = new QTabWidget(this);
    auto* workloadPage = new QWidget(tabs_);
    auto* wf = new QFormLayout(workloadPage);
    workload_ = new QComboBox(workloadPage);
    workload_->setEditable(true);
    workload_->addItems({QStringLiteral("matmul_add"), QStringLiteral("matmul_add_batched"), QStringLiteral("matmul_add_graph")});
    wf->addRow(tr("Workload"), workload_);
    sizes_ = new QLineEdit(workloadPage);
    sizes_->setToolTip(tr("Matrix sizes N, comma-separated: one run per size (a sweep)"));
    wf->addRow(tr("Sizes"), sizes_);
    dtype_ = new QComboBox(workloadPage);
    dtype_->addItems({QStringLiteral("bf16"), QStringLiteral("fp16"), QStringLiteral("fp32")});
    wf->addRow(tr("Data type"), dtype_);
    iterations_ = new QSpinBox(workloadPage);
    iterations_->setRange(1, 1000000);
    wf->addRow(tr("Iterations"), iterations_);
    schedule_ = new QLineEdit(workloadPage);
    schedule_->setToolTip(tr("wait,warmup,active,repeat as torch.profiler's schedule"));
    wf->addRow(tr("Schedule"), schedule_);
    tabs_->addTab(workloadPage, tr("Built-in workload"));

    auto* commandPage = new QWidget(tabs_);
    auto* cf = new QFormLayout(commandPage);
    program_ = new QLineEdit(commandPage);
    program_->setPlaceholderText(tr("python3"));
    cf->addRow(tr("Program"), withBrowse(program_, commandPage, [this] { return QFileDialog::getOpenFileName(this, tr("Program")); }));
    arguments_ = new QLineEdit(commandPage);
    arguments_->setPlaceholderText(tr("train.py --steps 10"));
    cf->addRow(tr("Arguments"), arguments_);
    workingDirectory_ = new QLineEdit(commandPage);
    cf->addRow(tr("Working directory"),
               withBrowse(workingDirectory_, commandPage, [this] { return QFileDialog::getExistingDirectory(this, tr("Working directory")); }));
    environment_ = new QPlainTextEdit(commandPage);
    environment_->setPlaceholderText(tr("KEY=VALUE, one per line"));
    environment_->setMaximumHeight(70);
    cf->addRow(tr("Environment"), environment_);
    tabs_->addTab(commandPage, tr("Command"));
    layout->addWidget(tabs_);

    auto* of = new QFormLayout;
    output_ = new QLineEdit(this);
    of->addRow(tr("Trace file"), withBrowse(output_, this, [this] {
                   return QFileDialog::getSaveFileName(this, tr("Trace file"), output_->text(), tr("Traces (*.json *.json.gz)"));
               }));
    layout->addLayout(of);
    preview_ = new QLabel(this);
    preview_->setWordWrap(true);
    preview_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    preview_->setStyleSheet(QStringLiteral("color: palette(mid);"));
    layout->addWidget(preview_);

    log_ = new QPlainTextEdit(this);
    log_->setReadOnly(true);
    log_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    log_->setMinimumHeight(160);
    log_->setMaximumBlockCount(20000);
    layout->addWidget(log_, 1);

    auto* bottom = new QHBoxLayout;
    busy_ = new QProgressBar(this);
    busy_->setRange(0, 0);
    busy_->setMaximumWidth(140);
    busy_->hide();
    bottom->addWidget(busy_);
    status_ = new QLabel(this);
    bottom->addWidget(status_, 1);
    auto* buttons = new QDialogButtonBox(this);
    runButton_ = buttons->addButton(tr("Run"), QDialogButtonBox::AcceptRole);
    cancelButton_ = buttons->addButton(tr("Cancel run"), QDialogButtonBox::ActionRole);
    cancelButton_->setEnabled(false);
    auto* close = buttons->addButton(QDialogButtonBox::Close);
    bottom->addWidget(buttons);
    layout->addLayout(bottom);

    connect(runButton_, &QPushButton::clicked, this, &RunDialog::startRun);
    connect(cancelButton_, &QPushButton::clicked, this, &RunDialog::cancelRun);
    connect(close, &QPushButton::clicked, this, &QDialog::hide);
    connect(&runner_, &CaptureRunner::outputReceived, this, &RunDialog::appendLog);
    connect(&runner_, &CaptureRunner::finished, this, &RunDialog::onFinished);
    for (QLineEdit* e : {sizes_, schedule_, program_, arguments_, workingDirectory_, output_})
        connect(e, &QLineEdit::textChanged, this, &RunDialog::updatePreview);
    connect(tabs_, &QTabWidget::currentChanged, this, &RunDialog::updatePreview);
    connect(iterations_, &QSpinBox::valueChanged, this, &RunDialog::updatePreview);
    connect(workload_, &QComboBox::currentTextChanged, this, &RunDialog::updatePreview);
    connect(dtype_, &QComboBox::currentTextChanged, this, &RunDialog::updatePreview);
    setSpec(RunSpec{});
    resize(680, 560);
}

void RunDialog::setSpec(const RunSpec& s) {
    tabs_->setCurrentIndex(s.mode == RunSpec::Mode::Workload ? 0 : 1);
    workload_->setCurrentText(s.workload);
    sizes_->setText(s.sizes);
    dtype_->setCurrentText(s.dtype);
    iterations_->setValue(s.iterations);
    schedule_->setText(s.schedule);
    program_->setText(s.program);
    QStringList quoted;
    for (const QString& a : s.arguments)
        quoted << (a.contains(QLatin1Char(' ')) || a.isEmpty() ? QLatin1Char('"') + a + QLatin1Char('"') : a);
    arguments_->setText(quoted.join(QLatin1Char(' ')));
    workingDirectory_->setText(s.workingDirectory);
    environment_->setPlainText(s.environment.join(QLatin1Char('\n')));
    output_->setText(s.outputPath);
    updatePreview();
}

RunSpec RunDialog::spec() const {
    RunSpec s;
    s.mode = tabs_->currentIndex() == 0 ? RunSpec::Mode::Workload : RunSpec::Mode::Command;
    s.workload = workload_->currentText().trimmed();
    s.sizes = sizes_->text().trimmed();
    s.dtype = dtype_->currentText();
    s.iterations = iterations_->value();
    s.schedule = schedule_->text().trimmed();
    s.program = program_->text().trimmed();
    s.arguments = QProcess::splitCommand(arguments_->text());
    s.workingDirectory = workingDirectory_->text().trimmed();
    for (const QString& line : environment_->toPlainText().split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        if (line.contains(QLatin1Char('='))) s.environment << line.trimmed();
    s.outputPath = output_->text().trimmed();
    return s;
}

QString RunDialog::log() const { return log_->toPlainText(); }

void RunDialog::updatePreview() {
    preview_->setText(tr("Runs: %1").arg(spec().commandLine(captureProgram_.isEmpty() ? QStringLiteral("gaplens") : captureProgram_)));
}

bool RunDialog::startRun() {
    if (runner_.isRunning()) return false;
    const RunSpec s = spec();
    QString problem;
    if (captureProgram_.isEmpty()) problem = tr("The gaplens CLI was not found next to gaplens-ui or on PATH.");
    else if (s.outputPath.isEmpty()) problem = tr("Choose a trace file to write.");
    else if (s.mode == RunSpec::Mode::Command && s.program.isEmpty()) problem = tr("Enter the program to run.");
    if (!problem.isEmpty()) {
        status_->setText(problem);
        return false;
    }
    log_->clear();
    appendLog(s.commandLine(captureProgram_) + QLatin1Char('\n'));
    runner_.start(captureProgram_, s.captureArguments(), s.mode == RunSpec::Mode::Command ? s.workingDirectory : QString(),
                  s.mode == RunSpec::Mode::Command ? s.environment : QStringList(), s.outputPath);
    busy_->show();
    runButton_->setEnabled(false);
    cancelButton_->setEnabled(true);
    status_->setText(tr("Running…"));
    return true;
}

void RunDialog::cancelRun() {
    if (!runner_.isRunning()) return;
    status_->setText(tr("Stopping…"));
    runner_.cancel();
}

void RunDialog::appendLog(const QString& text) {
    log_->moveCursor(QTextCursor::End);
    log_->insertPlainText(text);
    log_->moveCursor(QTextCursor::End);
}

void RunDialog::onFinished(const RunOutcome& outcome) {
    lastOutcome_ = outcome;
    busy_->hide();
    runButton_->setEnabled(true);
    cancelButton_->setEnabled(false);
    status_->setText(outcome.message);
    appendLog(QStringLiteral("\n[%1]\n").arg(outcome.message));
    emit runFinished(outcome);
    if (outcome.ok()) emit traceReady(outcome.outputPath);
}

}  // namespace gaplens
