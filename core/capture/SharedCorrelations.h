#pragma once
// CUPTI gives a driver call made inside a runtime call that runtime call's correlation id. gaplens
// records only the runtime calls the analyses read; when the enclosing runtime call is one it does
// not record (a lazy context or module load inside cudaGetDeviceProperties, say), the driver calls
// inside it all arrive with one shared id: a training step captured on an H100 had
// cuDevicePrimaryCtxRetain and cuLibraryLoadData under one id, and the importer then warned that a
// launch call reused an earlier call's id.
//
// Each id is kept by one call only: the first that can put work on the GPU (a launch, copy or
// memset), else the first; the others get id 0, so every kernel links to its own launch and no two
// calls claim one id.
#include <functional>
#include <string_view>
#include <vector>

#include "core/capture/CaptureData.h"

namespace gaplens::capture {

// `canLaunchWork(call)`: whether the call can put work on the GPU. Returns how many ids were dropped.
size_t keepOneCallPerCorrelation(std::vector<ApiRecord>& calls, const std::function<bool(const ApiRecord&)>& canLaunchWork);

// By name: launches, graph launches, copies and memsets (runtime and driver).
bool isWorkLaunchingCall(std::string_view name);

}  // namespace gaplens::capture
