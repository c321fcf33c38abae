#pragma once
// A thread of gaplens' own ("gaplens-drain") that calls the recorders' drain functions every 20 ms.
//
// Why: the first write to fresh memory costs a page fault, and a recorder that keeps appending to
// new memory pays one per 4 KB of records on the program's own thread: about 180 ns per torch op
// range and 300 ns per recorded CUDA call between a program's other work
// (bench/capture/itt_route_cost, range_record_cost). So the recorders let the program's threads
// append into buffers they have written before, and their drain functions, called here, move what
// was appended into the growing store (whose page faults are then this thread's) and hand the
// buffers back (NvtxRecorder.h, ApiCallRecorder.h).
namespace gaplens::capture {

// Adds `drain` to the functions the drain thread calls (at most 8; each once however often it is
// added) and starts the thread with the first one. The thread is never stopped: it holds nothing
// that exit must release, and the recorders' state is never destroyed.
void addToDrainThread(void (*drain)());

// Fork (ForkSafety.h): the lock addToDrainThread takes, held across a fork. In the child, where the
// drain thread does not exist, the next addToDrainThread starts one again.
void lockDrainThreadForFork();
void unlockDrainThreadAfterFork(bool inChild);

}  // namespace gaplens::capture
