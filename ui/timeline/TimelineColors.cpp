#include "ui/timeline/TimelineColors.h"

namespace gaplens {

namespace {
// Muted, distinguishable hues that keep dark text readable.
constexpr QRgb kPalette[kSlicePaletteSize] = {
    0x6fa8dc, 0x93c47d, 0xf6b26b, 0x8e7cc3, 0x76a5af, 0xe06666, 0xffd966, 0xc27ba0,
    0x6d9eeb, 0xb6d7a8, 0xf9cb9c, 0xb4a7d6, 0xa2c4c9, 0xea9999, 0xd5a6bd, 0x9fc5e8,
};
}  // namespace

QColor slicePaletteColor(int index) { return QColor::fromRgb(kPalette[index % kSlicePaletteSize]); }

QColor mergedSliceColor(int index) { return slicePaletteColor(index).darker(135); }

int slicePaletteIndex(StringId name) {
    uint32_t h = name * 2654435761u;  // Knuth's multiplicative hash: neighbouring ids spread out
    return int((h >> 16) % kSlicePaletteSize);
}

QColor gapCauseColor(GapCause cause) {
    switch (cause) {
        case GapCause::QueuedLaunch: return QColor(0x3d, 0x85, 0xc6);
        case GapCause::Setup: return QColor(0xe6, 0x91, 0x38);
        case GapCause::Sync: return QColor(0xcc, 0x00, 0x00);
        case GapCause::HostOverhead: return QColor(0x93, 0x3e, 0xc6);
        case GapCause::HostIdle: return QColor(0x99, 0x99, 0x99);
    }
    return Qt::gray;
}

const char* gapCauseLabel(GapCause cause) {
    return gapCauseName(cause).data();  // core's names are string literals: NUL-terminated
}

}  // namespace gaplens
