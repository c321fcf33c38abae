#include "ui/app/RunSpec.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>

namespace gaplens {

QStringList RunSpec::captureArguments() const {
    QStringList args{QStringLiteral("capture")};
    if (mode == Mode::Workload) {
        args << QStringLiteral("--workload") << workload << QStringLiteral("--sizes") << sizes;
        if (!dtype.isEmpty()) args << QStringLiteral("--dtype") << dtype;
        args << QStringLiteral("--iters") << QString::number(iterations);
        if (!schedule.isEmpty()) args << QStringLiteral("--schedule") << schedule;
        args << QStringLiteral("-o") << outputPath;
    } else {
        args << QStringLiteral("-o") << outputPath << QStringLiteral("--") << program << arguments;
    }
    return args;
}

QString RunSpec::commandLine(const QString& gaplensProgram) const {
    QStringList quoted;
    for (const QString& a : QStringList{gaplensProgram} + captureArguments()) {
        if (!a.isEmpty() && !a.contains(QRegularExpression(QStringLiteral("[^A-Za-z0-9_./,=:+-]"))))
            quoted << a;
        else
            quoted << QLatin1Char('\'') + QString(a).replace(QLatin1Char('\''), QStringLiteral("'\\''")) + QLatin1Char('\'');
    }
    return quoted.join(QLatin1Char(' '));
}

void RunSpec::save(QSettings& s) const {
    s.beginGroup(QStringLiteral("run"));
    s.setValue(QStringLiteral("mode"), mode == Mode::Workload ? QStringLiteral("workload") : QStringLiteral("command"));
    s.setValue(QStringLiteral("workload"), workload);
    s.setValue(QStringLiteral("sizes"), sizes);
    s.setValue(QStringLiteral("dtype"), dtype);
    s.setValue(QStringLiteral("iterations"), iterations);
    s.setValue(QStringLiteral("schedule"), schedule);
    s.setValue(QStringLiteral("program"), program);
    s.setValue(QStringLiteral("arguments"), arguments);
    s.setValue(QStringLiteral("workingDirectory"), workingDirectory);
    s.setValue(QStringLiteral("environment"), environment);
    s.setValue(QStringLiteral("outputPath"), outputPath);
    s.endGroup();
}

RunSpec RunSpec::load(QSettings& s) {
    RunSpec spec;
    s.beginGroup(QStringLiteral("run"));
    spec.mode = s.value(QStringLiteral("mode")).toString() == QLatin1String("command") ? Mode::Command : Mode::Workload;
    spec.workload = s.value(QStringLiteral("workload"), spec.workload).toString();
    spec.sizes = s.value(QStringLiteral("sizes"), spec.sizes).toString();
    spec.dtype = s.value(QStringLiteral("dtype"), spec.dtype).toString();
    spec.iterations = s.value(QStringLiteral("iterations"), spec.iterations).toInt();
    spec.schedule = s.value(QStringLiteral("schedule"), spec.schedule).toString();
    spec.program = s.value(QStringLiteral("program")).toString();
    spec.arguments = s.value(QStringLiteral("arguments")).toStringList();
    spec.workingDirectory = s.value(QStringLiteral("workingDirectory")).toString();
    spec.environment = s.value(QStringLiteral("environment")).toStringList();
    spec.outputPath = s.value(QStringLiteral("outputPath")).toString();
    s.endGroup();
    if (spec.outputPath.isEmpty())
        spec.outputPath = QDir(QStandardPaths::writableLocation(QStandardPaths::TempLocation)).filePath(QStringLiteral("gaplens-run.json"));
    return spec;
}

QString locateGaplensCli() {
    const QDir here(QCoreApplication::applicationDirPath());
    for (const QString& candidate : {here.filePath(QStringLiteral("gaplens")), here.filePath(QStringLiteral("../gaplens/gaplens"))}) {
        const QFileInfo info(candidate);
        if (info.isFile() && info.isExecutable()) return info.canonicalFilePath();
    }
    return QStandardPaths::findExecutable(QStringLiteral("gaplens"));
}

}  // namespace gaplens
