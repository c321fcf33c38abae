#include "core/capture/ForkSafety.h"

#include <pthread.h>

#include "core/capture/ApiCallRecorder.h"
#include "core/capture/DrainThread.h"
#include "core/capture/IttCollector.h"
#include "core/capture/NvtxRecorder.h"

namespace gaplens::capture {
namespace {

// The ITT registry interns its names in the range recorder's table (lookUp -> nameIndex): its lock
// comes first. The API-call recorder shares no lock with the other two.
void beforeFork() {
    lockDrainThreadForFork();
    itt::lockForFork();
    NvtxRecorder::lockForFork();
    ApiCallRecorder::instance().lockForFork();
}

void unlockAll(bool inChild) {
    ApiCallRecorder::instance().unlockAfterFork();
    NvtxRecorder::unlockAfterFork();
    itt::unlockAfterFork();
    unlockDrainThreadAfterFork(inChild);
}

void afterForkInParent() { unlockAll(false); }

void afterForkInChild() {
    unlockAll(true);
    NvtxRecorder::instance().setEnabled(false);
}

}  // namespace

void installForkHandlers() {
    static const bool installed = pthread_atfork(beforeFork, afterForkInParent, afterForkInChild) == 0;
    (void)installed;
}

namespace {
// Installed when the library loads too, not only when a recorder's state is first made: a fork
// while another thread is still making that state, before its pthread_atfork, left the child with
// no handlers (still recording) or with the state's static-init guard held for good (a hang on the
// child's first name), seen under load in the fork test. With the handlers in place first, the
// forking thread's beforeFork makes each state itself, or waits for the thread making it.
[[maybe_unused]] const bool g_installedAtLoad = (installForkHandlers(), true);
}  // namespace

}  // namespace gaplens::capture
