#include "core/capture/DrainThread.h"

#include <array>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include <pthread.h>

namespace gaplens::capture {
namespace {

constexpr size_t kMaxDrains = 8;
std::mutex g_addMutex;
std::array<std::atomic<void (*)()>, kMaxDrains> g_drains{};
std::atomic<size_t> g_drainCount{0};

}  // namespace

void addToDrainThread(void (*drain)()) {
    std::lock_guard lock(g_addMutex);
    const size_t n = g_drainCount.load();
    for (size_t i = 0; i < n; ++i)
        if (g_drains[i].load() == drain) return;
    if (n == kMaxDrains) return;
    g_drains[n].store(drain);
    g_drainCount.store(n + 1);
    if (n > 0) return;
    std::thread([] {
        pthread_setname_np(pthread_self(), "gaplens-drain");  // how it shows in top, gdb and traces
        for (;;) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            const size_t count = g_drainCount.load();
            for (size_t i = 0; i < count; ++i) g_drains[i].load()();
        }
    }).detach();
}

void lockDrainThreadForFork() { g_addMutex.lock(); }

void unlockDrainThreadAfterFork(bool inChild) {
    if (inChild) g_drainCount.store(0);  // threads do not survive a fork: the drains are added again
    g_addMutex.unlock();
}

}  // namespace gaplens::capture
