#pragma once
// Text for numbers in the docks, in the units people read profiles in.
#include <QString>

#include <string_view>

#include "core/model/Trace.h"

namespace gaplens {

QString durationText(TimeNs ns);        // "135.9 ms", "52.3 us" (core's formatDuration)
QString percentText(double pct);       // "12.3 %"
QString utf8Text(std::string_view text);  // core's text (UTF-8) as a QString

}  // namespace gaplens
