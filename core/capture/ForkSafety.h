#pragma once
// Recorder locks across fork().
//
// Why: a thread that forks copies the process with every lock as it was, and a lock held at that
// moment by another thread (gaplens' drain thread, or another thread of the program registering
// itself or interning a name) stays held in the child for good, as no thread there will release
// it. PyTorch's DataLoader forks its workers from the training thread, with the autograd and
// gaplens' own threads running, and torch's ops in a worker keep calling gaplens' ITT handlers:
// the worker's first new name or new thread would hang on such a lock.
//
// So the recorders' locks are taken before a fork, in the one order the recorders nest them (the
// drain thread's list, the ITT registry, the range recorder's, the API-call recorder's), and
// released after it in both processes. The child also stops recording ranges: it writes no trace
// unless it starts a capture of its own (which turns recording on again and starts a drain thread
// of its own), and with no drain thread its buffers would only grow.
namespace gaplens::capture {

// Registers the pthread_atfork handlers, once per process however often it is called. It runs when
// the library loads, before any recorder's state is made; the recorders call it again, to no
// effect, where this file's static initializer has not run yet (the static-init order across files).
void installForkHandlers();

}  // namespace gaplens::capture
