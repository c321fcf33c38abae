#pragma once
// Text for numbers in the docks, in the units people read profiles in.
#include <QString>

#include "core/model/Trace.h"

namespace gaplens {

QString durationText(TimeNs ns);        // "135.9 ms", "52.3 us" (core's formatDuration)
QString percentText(double pct);       // "12.3 %"

}  // namespace gaplens
