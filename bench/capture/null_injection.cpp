// A CUDA injection library that does nothing, for bench/capture/framework_overhead.py's
// null_injection mode: the CUDA driver loads it through CUDA_INJECTION64_PATH, as it loads
// libgaplens_inject.so, and InitializeInjection returns at once. It links no CUPTI. So the mode
// measures what any tool loaded that way costs the program, which a paused capture cannot go under.
#define NULL_INJECTION_API extern "C" __attribute__((visibility("default")))

NULL_INJECTION_API int InitializeInjection(void) { return 1; }
