#pragma once
// The timeline's colours: slices by name (a stable hash into a palette, as Perfetto does, so one op
// keeps its colour everywhere), gap shading by cause (the legend uses the same table).
#include <QColor>

#include "core/analysis/GapCauses.h"
#include "core/model/StringTable.h"

namespace gaplens {

inline constexpr int kSlicePaletteSize = 16;
QColor slicePaletteColor(int index);
QColor mergedSliceColor(int index);  // runs of merged sub-pixel slices: a darker shade
int slicePaletteIndex(StringId name);
QColor gapCauseColor(GapCause cause);
const char* gapCauseLabel(GapCause cause);  // same names as core's gapCauseName

}  // namespace gaplens
