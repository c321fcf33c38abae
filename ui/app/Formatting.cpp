#include "ui/app/Formatting.h"

#include "core/model/TimeText.h"

namespace gaplens {

QString durationText(TimeNs ns) { return QString::fromStdString(formatDuration(ns)); }

QString percentText(double pct) { return QStringLiteral("%1 %").arg(pct, 0, 'f', 1); }

QString utf8Text(std::string_view text) { return QString::fromUtf8(text.data(), qsizetype(text.size())); }

}  // namespace gaplens
