#pragma once
// Resident memory of this process as the kernel reports it, for the benchmarks.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

namespace gaplens::bench {

// A field of /proc/self/status in bytes: "VmRSS:" (resident now), "VmHWM:" (the peak); 0 when absent.
inline uint64_t statusBytes(const char* field) {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(field, 0) == 0) return std::strtoull(line.c_str() + std::strlen(field), nullptr, 10) * 1024;
    return 0;
}

}  // namespace gaplens::bench
