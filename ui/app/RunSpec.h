#pragma once
// What the Run dialog runs: a built-in workload or any command line, captured by `gaplens capture`
// into one trace file. Kept as plain data so that "re-run" (Ctrl+R) repeats it exactly and the
// settings persist between sessions.
#include <QString>
#include <QStringList>

class QSettings;

namespace gaplens {

struct RunSpec {
    enum class Mode { Workload, Command };
    Mode mode = Mode::Workload;
    // Built-in workload (DESIGN.md "CLI": gaplens capture --workload ... --sizes ... --iters ... --schedule ...).
    QString workload = QStringLiteral("matmul_add");
    QString sizes = QStringLiteral("64,1024,8192");
    QString dtype = QStringLiteral("bf16");
    int iterations = 20;
    QString schedule = QStringLiteral("1,1,3,1");
    // Any program: gaplens capture -o out.json -- program args...
    QString program;
    QStringList arguments;
    QString workingDirectory;
    QStringList environment;  // KEY=VALUE, added to the app's environment
    QString outputPath;       // the trace file to write

    // Arguments for the `gaplens` CLI.
    QStringList captureArguments() const;
    // One line a user can paste in a shell to do the same.
    QString commandLine(const QString& gaplensProgram) const;

    void save(QSettings& settings) const;
    static RunSpec load(QSettings& settings);
};

// The `gaplens` CLI installed next to gaplens-ui (bin/), or in the build tree's app/gaplens/, or on PATH.
QString locateGaplensCli();

}  // namespace gaplens
