#include "core/capture/Session.h"

#include <cstdio>

#include <cuda_runtime.h>

#include "core/capture/ChromeTraceWriter.h"
#include "core/capture/CuptiCollector.h"
#include "core/io/OutputFile.h"

namespace gaplens {

using capture::CuptiCollector;

Session::Session(std::string outputPath) : path_(std::move(outputPath)) {
    if (std::string why = OutputFile::checkWritable(path_); !why.empty()) {
        error_ = why;
        return;
    }
    CuptiCollector& collector = CuptiCollector::instance();
    if (collector.running()) {
        error_ = "another gaplens::Session is already recording in this process";
        return;
    }
    error_ = collector.start();
    running_ = error_.empty();
}

Session::~Session() {
    if (!running_) return;
    if (std::string err = stop(); !err.empty()) std::fprintf(stderr, "gaplens::Session: %s\n", err.c_str());
}

std::string Session::stop() {
    if (!running_) return error_;
    running_ = false;
    cudaDeviceSynchronize();  // GPU work launched inside the session ends on the record
    CuptiCollector& collector = CuptiCollector::instance();
    collector.stop();
    capture::CaptureData data = collector.take();
    if (std::FILE* f = std::fopen("/proc/self/comm", "r")) {
        char name[64] = {};
        if (std::fgets(name, sizeof name, f)) {
            data.processName = name;
            while (!data.processName.empty() && data.processName.back() == '\n') data.processName.pop_back();
        }
        std::fclose(f);
    }
    error_ = capture::writeChromeTrace(data, path_);
    return error_;
}

Range::Range(std::string_view name) {
    if (!CuptiCollector::instance().running()) return;
    name_ = name;
    start_ = CuptiCollector::now();
}

Range::~Range() {
    if (start_ == 0) return;
    CuptiCollector& collector = CuptiCollector::instance();
    if (collector.running()) collector.addRange(name_, start_, CuptiCollector::now());
}

}  // namespace gaplens
