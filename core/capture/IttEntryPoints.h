#pragma once
// The entry points ittnotify looks up by name (dlsym) in its collector, defined once for every
// library that is one: libgaplens_inject.so, and bench/capture/itt_recording_collector, which must
// measure exactly what a captured program calls. Include this in one source file of such a library.
// __itt_api_version's presence says "version 1": ittnotify then fills each API pointer of the
// enabled groups from the library.
#include "core/capture/IttCollector.h"

#define GAPLENS_ITT_ENTRY extern "C" __attribute__((visibility("default")))

GAPLENS_ITT_ENTRY const char* __itt_api_version(void) { return "gaplens"; }
GAPLENS_ITT_ENTRY gaplens::capture::IttDomain* __itt_domain_create(const char* name) {
    return gaplens::capture::itt::domainCreate(name);
}
GAPLENS_ITT_ENTRY gaplens::capture::IttStringHandle* __itt_string_handle_create(const char* text) {
    return gaplens::capture::itt::stringHandleCreate(text);
}
GAPLENS_ITT_ENTRY void __itt_task_begin(const gaplens::capture::IttDomain* domain, gaplens::capture::IttId,
                                        gaplens::capture::IttId, gaplens::capture::IttStringHandle* name) {
    gaplens::capture::itt::taskBegin(domain, name);
}
GAPLENS_ITT_ENTRY void __itt_task_end(const gaplens::capture::IttDomain* domain) {
    gaplens::capture::itt::taskEnd(domain);
}

#undef GAPLENS_ITT_ENTRY
