// Framework context of `gaplens capture` without a GPU: torch's NVTX range names, gaplens' own
// NVTX recorder, the trace writer's categories for them, the correlation ids that nested driver
// calls share, and the Python start-up hook (run against a stand-in torch package made by the test).
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include "core/capture/ChromeTraceWriter.h"
#include "core/capture/NvtxRecorder.h"
#include "core/capture/ProgramCapture.h"
#include "core/capture/SharedCorrelations.h"
#include "core/capture/TorchRangeName.h"
#include "tests/gpu/GpuTestSupport.h"

using namespace gaplens::capture;
namespace fs = std::filesystem;

TEST_CASE("torch's NVTX op names split into the op name, its sequence number and its id", "[gpu][capture][framework]") {
    const TorchRangeName mm = parseTorchRangeName("aten::mm, seq = 12, op_id = 345");
    CHECK(mm.fromTorch);
    CHECK(mm.name == "aten::mm");
    CHECK(mm.sequence == 12);
    CHECK(mm.opId == 345);

    const TorchRangeName step = parseTorchRangeName("train_step, op_id = 7");
    CHECK(step.fromTorch);
    CHECK(step.name == "train_step");
    CHECK(step.sequence == -1);
    CHECK(step.opId == 7);

    const TorchRangeName shapes = parseTorchRangeName("aten::add, seq = 3, op_id = 9, sizes = [[64, 64], [64, 64]], input_op_ids = [(8, 0)]");
    CHECK(shapes.name == "aten::add");
    CHECK(shapes.sequence == 3);
    CHECK(shapes.opId == 9);

    // A range of the program's own keeps its whole text, commas and all.
    const TorchRangeName own = parseTorchRangeName("load batch, op_id = later");
    CHECK_FALSE(own.fromTorch);
    CHECK(own.name == "load batch, op_id = later");
    CHECK(parseTorchRangeName("").name.empty());
    CHECK_FALSE(parseTorchRangeName("x, seq = 5").fromTorch);
}

TEST_CASE("the NVTX recorder pairs pushes and pops per thread and splits torch's names", "[gpu][capture][framework]") {
    NvtxRecorder& nvtx = NvtxRecorder::instance();
    CaptureData cleared;
    nvtx.take(cleared, 0);  // whatever an earlier test left

    nvtx.setEnabled(false);
    nvtx.push("before the capture");  // pushed while off: popped without a record, the stack stays paired
    nvtx.setEnabled(true);
    nvtx.push("train_step, op_id = 1");
    nvtx.push("aten::mm, seq = 4, op_id = 2");
    nvtx.pop();
    std::thread other([&] {
        nvtx.push("torch::autograd::AccumulateGrad, op_id = 3");
        nvtx.pop();
    });
    other.join();
    nvtx.pop();
    nvtx.pop();  // the one pushed while off
    nvtx.pop();  // one pop too many: ignored
    nvtx.push("still open");
    const uint64_t id = nvtx.start("process-wide range");
    nvtx.end(id);

    CaptureData data;
    nvtx.take(data, 0);
    nvtx.setEnabled(false);
    nvtx.pop();  // closes "still open" on this thread's stack

    REQUIRE(data.ranges.size() == 5);
    auto find = [&](std::string_view name) { return gaplens::test::rangeNamed(data, name); };
    const RangeRecord* step = find("train_step");
    const RangeRecord* mm = find("aten::mm");
    const RangeRecord* grad = find("torch::autograd::AccumulateGrad");
    REQUIRE(step);
    REQUIRE(mm);
    REQUIRE(grad);
    CHECK(step->opId == 1);
    CHECK(mm->opId == 2);
    CHECK(mm->sequence == 4);
    CHECK(step->start > 0);
    CHECK(step->start < mm->start);
    CHECK(mm->end <= step->end);
    CHECK(grad->tid != step->tid);
    CHECK(step->tid == mm->tid);
    REQUIRE(find("process-wide range"));
    CHECK(find("process-wide range")->opId == -1);
    REQUIRE(find("still open"));
    CHECK(data.openRanges == 1);
}

TEST_CASE("torch's ranges are written as cpu_op, record_function ranges as user_annotation", "[gpu][capture][framework]") {
    CaptureData d;
    d.pid = 10;
    const uint64_t t = 1790000000000000000ull;
    d.ranges.push_back({t, t + 9000, 10, 11, d.strings.intern("train_step"), true, 1, -1});
    d.ranges.push_back({t + 1000, t + 5000, 10, 11, d.strings.intern("aten::mm"), true, 2, 4});
    d.ranges.push_back({t, t + 9500, 10, 11, d.strings.intern("train_step")});  // the program's own NVTX range
    d.ranges.push_back({t + 6000, t + 7000, 10, 11, d.strings.intern("aten::relu"), true});  // through ITT: no ids
    d.frameworkUserRanges = {"train_step"};
    const fs::path out = fs::temp_directory_path() / ("gaplens_framework_" + std::to_string(::getpid()) + ".json");
    REQUIRE(writeChromeTrace(d, out.string()).empty());
    std::ifstream in(out);
    const nlohmann::json trace = nlohmann::json::parse(in);
    fs::remove(out);
    int userRanges = 0, ops = 0;
    for (const auto& e : trace["traceEvents"]) {
        if (e.value("ph", "") != "X") continue;
        if (e.value("cat", "") == "user_annotation") {
            ++userRanges;
            CHECK(e.value("name", "") == "train_step");
        }
        if (e.value("cat", "") == "cpu_op") {
            ++ops;
            if (e.value("name", "") == "aten::relu") {
                CHECK(e["args"].empty());
                continue;
            }
            CHECK(e.value("name", "") == "aten::mm");
            CHECK(e["args"].value("Sequence number", -1) == 4);
            CHECK(e["args"].value("Record function id", -1) == 2);
            CHECK(e.value("dur", 0.0) == Approx(4.0));
        }
    }
    CHECK(userRanges == 2);
    CHECK(ops == 2);
}

TEST_CASE("driver calls sharing the id of an unrecorded runtime call: one keeps it", "[gpu][capture][framework]") {
    // As captured on an H100 (bench/train_step.py): two driver calls of a lazy context and module
    // load under one correlation id, 5674; and a runtime launch with its nested driver launch.
    std::vector<ApiRecord> calls = {
        {7652538438, 7652539718, 1, 1608, 5674, 0, 0, true},   // cuDevicePrimaryCtxRetain
        {7652548671, 7652845969, 1, 1608, 5674, 0, 1, true},   // cuLibraryLoadData
        {7700000000, 7700005000, 1, 1608, 6000, 0, 2, false},  // cudaLaunchKernel
        {7700001000, 7700004000, 1, 1608, 6000, 0, 3, true},   // cuLaunchKernel inside it
        {7700010000, 7700012000, 1, 1608, 6001, 0, 2, false},  // an ordinary launch
    };
    const char* names[] = {"cuDevicePrimaryCtxRetain", "cuLibraryLoadData", "cudaLaunchKernel", "cuLaunchKernel"};
    const size_t dropped = keepOneCallPerCorrelation(calls, [&](const ApiRecord& c) { return isWorkLaunchingCall(names[c.name]); });
    CHECK(dropped == 2);
    CHECK(calls[0].correlation == 5674);  // no launch among them: the first keeps the id
    CHECK(calls[1].correlation == 0);
    CHECK(calls[2].correlation == 6000);  // the runtime launch, first of the two launches
    CHECK(calls[3].correlation == 0);
    CHECK(calls[4].correlation == 6001);
}

namespace {

struct PythonRun {
    int exitCode = -1;
    std::string out, err;
};

std::string readFile(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Runs python3 with the given PYTHONPATH (empty: unset) in `dir`.
PythonRun runPython(const fs::path& dir, const std::string& pythonPath, const std::string& code,
                    const std::string& env = "") {
    const fs::path script = dir / "program.py";
    std::ofstream(script) << code;
    const std::string command = "cd '" + dir.string() + "' && env -u PYTHONPATH -u GAPLENS_FRAMEWORK " +
                                (pythonPath.empty() ? "" : "PYTHONPATH='" + pythonPath + "' ") + env + " python3 program.py >out.txt 2>err.txt";
    const int status = std::system(command.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, readFile(dir / "out.txt"), readFile(dir / "err.txt")};
}

bool havePython() { return std::system("python3 -c 'pass' >/dev/null 2>&1") == 0; }

fs::path freshDir(const std::string& name) {
    const fs::path dir = fs::temp_directory_path() / ("gaplens_hook_" + std::to_string(::getpid()) + "_" + name);
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

// A stand-in for the few parts of torch the hook touches, logging each call, under dir/fake. With
// `itt`, it says torch was built with ITT (torch._C._itt.is_available()).
void makeStandInTorch(const fs::path& dir, bool itt) {
    fs::create_directories(dir / "fake" / "torch" / "autograd");
    fs::create_directories(dir / "fake" / "torch" / "_C");
    std::ofstream(dir / "fake" / "torch" / "__init__.py") << "__version__ = 'stand-in'\nimport torch._C\nimport torch.autograd\n";
    std::ofstream(dir / "fake" / "torch" / "_C" / "__init__.py") << (itt ? "from torch._C import _itt\n" : "");
    // As torch's ittnotify does: the "PyTorch" domain is made before any collector is loaded, and
    // the first task (mark) loads INTEL_LIBITTNOTIFY64 and hands it that domain and a handle of its own.
    if (itt)
        std::ofstream(dir / "fake" / "torch" / "_C" / "_itt.py")
            << "import ctypes, os\n"
               "class _Domain(ctypes.Structure):\n"
               "    _fields_ = [('flags', ctypes.c_int), ('nameA', ctypes.c_char_p), ('nameW', ctypes.c_void_p),\n"
               "                ('extra1', ctypes.c_int), ('extra2', ctypes.c_void_p), ('next', ctypes.c_void_p)]\n"
               "class _Handle(ctypes.Structure):\n"
               "    _fields_ = [('strA', ctypes.c_char_p), ('strW', ctypes.c_void_p), ('extra1', ctypes.c_int),\n"
               "                ('extra2', ctypes.c_void_p), ('next', ctypes.c_void_p)]\n"
               "class _Id(ctypes.Structure):\n"
               "    _fields_ = [('d1', ctypes.c_ulonglong), ('d2', ctypes.c_ulonglong), ('d3', ctypes.c_ulonglong)]\n"
               "_domain = _Domain(1, b'PyTorch', None, 0, None, None)\n"
               "def is_available():\n    return True\n"
               "MARKS = []\n"
               "def mark(msg):\n"
               "    MARKS.append(msg)\n"
               "    path = os.environ.get('INTEL_LIBITTNOTIFY64')\n"
               "    if not path:\n        return\n"
               "    lib = ctypes.CDLL(path)\n"
               "    handle = _Handle(msg.encode(), None, 0, None, None)\n"
               "    lib.__itt_task_begin(ctypes.byref(_domain), _Id(), _Id(), ctypes.byref(handle))\n"
               "    lib.__itt_task_end(ctypes.byref(_domain))\n";
    std::ofstream(dir / "fake" / "torch" / "_C" / "_profiler.py") << "class _ExperimentalConfig:\n    pass\n";
    std::ofstream(dir / "fake" / "torch" / "autograd" / "__init__.py")
        << "LOG = []\n"
           "class ProfilerState:\n    NVTX = 'NVTX'\n    ITT = 'ITT'\n    KINETO = 'KINETO'\n"
           "class ProfilerConfig:\n    def __init__(self, state, *rest):\n        self.state = state\n"
           "def _enable_profiler(config, activities, *rest):\n    LOG.append('enable ' + config.state)\n"
           "def _disable_profiler():\n    LOG.append('disable')\n"
           "from torch.autograd import profiler\n";
    std::ofstream(dir / "fake" / "torch" / "autograd" / "profiler.py")
        << "from torch.autograd import _enable_profiler, _disable_profiler, LOG\n"
           "def _set_is_profiler_enabled(on):\n    LOG.append('python flag %s' % on)\n"
           "class record_function:\n    def __init__(self, name, args=None):\n        self.name = name\n"
           "class profile:\n"
           "    def __enter__(self):\n        _enable_profiler(type('C', (), {'state': 'KINETO'})(), {'CPU'})\n        return self\n"
           "    def __exit__(self, *a):\n        _disable_profiler()\n";
}

const std::string kHook = GAPLENS_FRAMEWORK_HOOK_DIR;

}  // namespace

TEST_CASE("the start-up hook leaves a program without torch as it was: sys.path, output, exit code", "[gpu][capture][framework]") {
    if (!havePython()) {
        std::printf("GAPLENS_SKIP: python3 is not installed here\n");
        return;
    }
    const fs::path dir = freshDir("plain");
    const std::string code =
        "import sys\nprint(repr(sys.path))\nprint('torch' in sys.modules, sorted(m for m in sys.modules if 'gaplens' in m))\nsys.exit(7)\n";
    const PythonRun bare = runPython(dir, "", code);
    const PythonRun hooked = runPython(dir, kHook + ":/opt/elsewhere", code);
    const PythonRun withOther = runPython(dir, "/opt/elsewhere", code);
    CHECK(bare.exitCode == 7);
    CHECK(hooked.exitCode == 7);
    CHECK(hooked.err.empty());
    // Same sys.path as the program run with only its own PYTHONPATH.
    CHECK(hooked.out.substr(0, hooked.out.find('\n')) == withOther.out.substr(0, withOther.out.find('\n')));
    CHECK(hooked.out.find("False ['_gaplens_framework']") != std::string::npos);  // torch never imported
    fs::remove_all(dir);
}

TEST_CASE("the start-up hook runs the sitecustomize it shadows", "[gpu][capture][framework]") {
    if (!havePython()) {
        std::printf("GAPLENS_SKIP: python3 is not installed here\n");
        return;
    }
    const fs::path dir = freshDir("shadowed");
    fs::create_directories(dir / "site");
    std::ofstream(dir / "site" / "sitecustomize.py") << "import sys\nsys.stdout.write('own sitecustomize ran\\n')\n";
    const PythonRun run = runPython(dir, kHook + ":" + (dir / "site").string(), "import sitecustomize\nprint(sitecustomize.__file__)\n");
    CHECK(run.exitCode == 0);
    CHECK(run.out.find("own sitecustomize ran") != std::string::npos);
    CHECK(run.out.find((dir / "site" / "sitecustomize.py").string()) != std::string::npos);
    fs::remove_all(dir);
}

TEST_CASE("with torch imported, the hook turns torch's NVTX ranges on and steps aside for the program's profiler", "[gpu][capture][framework]") {
    if (!havePython()) {
        std::printf("GAPLENS_SKIP: python3 is not installed here\n");
        return;
    }
    const fs::path dir = freshDir("torch");
    makeStandInTorch(dir, false);
    const std::string code =
        "import torch, torch.autograd\n"
        "from torch.autograd import LOG\n"
        "from torch.autograd.profiler import record_function, profile\n"
        "record_function('step')\n"
        "with profile():\n    pass\n"
        "print(LOG)\n";
    const PythonRun run = runPython(dir, kHook + ":" + (dir / "fake").string(), code);
    INFO(run.err);
    CHECK(run.exitCode == 0);
    // On at import; off while the program's own profiler runs; on again after it.
    CHECK(run.out.find("['enable NVTX', 'python flag True', 'disable', 'enable KINETO', 'disable', 'enable NVTX', "
                       "'python flag True']") != std::string::npos);
    CHECK(run.err.find("steps aside") != std::string::npos);
    fs::remove_all(dir);
}

TEST_CASE("the hook takes torch's ITT mode when gaplens is torch's ITT collector, NVTX otherwise", "[gpu][capture][framework]") {
    if (!havePython()) {
        std::printf("GAPLENS_SKIP: python3 is not installed here\n");
        return;
    }
    const fs::path dir = freshDir("itt");
    makeStandInTorch(dir, true);
    const std::string lib = GAPLENS_INJECT_LIBRARY;
    std::string env = "CUDA_INJECTION64_PATH='" + lib + "' GAPLENS_OUTPUT=unused.json";
#ifdef GAPLENS_SANITIZER_PRELOAD
    env += " LD_PRELOAD='" GAPLENS_SANITIZER_PRELOAD "' ASAN_OPTIONS=detect_leaks=0";  // python3 itself is not ours to check
#endif
    const std::string ittnotify = " INTEL_LIBITTNOTIFY64='" + lib + "' INTEL_ITTNOTIFY_GROUPS=structure";
    const std::string report = "import torch\nfrom torch.autograd import LOG\nprint(LOG)\n";
    const std::string path = kHook + ":" + (dir / "fake").string();
    const PythonRun itt = runPython(dir, path, report, env + ittnotify);
    INFO(itt.err);
    INFO(itt.out);
    CHECK(itt.out.find("['enable ITT', 'python flag True']") != std::string::npos);
    // The library loaded, but torch's ittnotify never reached it (another collector named, or none): NVTX.
    const PythonRun nvtx = runPython(dir, path, "import ctypes, os\nctypes.CDLL(os.environ['CUDA_INJECTION64_PATH'])\n" + report, env);
    INFO(nvtx.err);
    CHECK(nvtx.out.find("['enable NVTX', 'python flag True']") != std::string::npos);
    // The way is decided once: after the program's own profiler the context comes back without a
    // second check (whose mark would be on the record once CUDA has started).
    // The program's profiler is told to the injection library too, so that a pause leaves CUPTI
    // attached while it runs (the library's calls are caught here).
    const PythonRun again = runPython(dir, path,
                                      "import sys, torch\nfrom torch.autograd import LOG\nfrom torch.autograd.profiler import profile\n"
                                      "hook = sys.modules['_gaplens_framework']\ntold = []\n"
                                      "hook._call_library = lambda name, *args: told.append((name,) + args)\n"
                                      "with profile():\n    pass\nprint(LOG, len(torch._C._itt.MARKS))\nprint(told)\n",
                                      env + ittnotify);
    INFO(again.out);
    CHECK(again.out.find("'disable', 'enable ITT', 'python flag True'] 1") != std::string::npos);
    CHECK(again.out.find("[('gaplens_framework_program_profiler', 1), ('gaplens_framework_program_profiler', 0)]") !=
          std::string::npos);
    // A paused capture turns torch's emission off on the thread that turned it on, and a resume on
    // again (the listener the hook registers with the injection library; called here directly).
    const PythonRun paused = runPython(dir, path,
                                       "import sys, threading, torch\nfrom torch.autograd import LOG\n"
                                       "hook = sys.modules['_gaplens_framework']\n"
                                       "print('listening', hook._state['pause_listener'] is not None)\n"
                                       "hook._on_capture_pause(torch, 1)\nprint(LOG)\n"
                                       "t = threading.Thread(target=hook._on_capture_pause, args=(torch, 0))\n"
                                       "t.start(); t.join(); print(LOG)\n"
                                       "hook._on_capture_pause(torch, 0)\nprint(LOG)\n",
                                       env + ittnotify);
    INFO(paused.err);
    INFO(paused.out);
    CHECK(paused.out.find("listening True") != std::string::npos);
    CHECK(paused.out.find("['enable ITT', 'python flag True', 'disable']\n"
                          "['enable ITT', 'python flag True', 'disable']\n"  // a resume from another thread: left off
                          "['enable ITT', 'python flag True', 'disable', 'enable ITT', 'python flag True']") !=
          std::string::npos);
    // Forced to NVTX, to compare the two ways.
    const PythonRun forced = runPython(dir, path, report, env + ittnotify + " GAPLENS_FRAMEWORK_PROBE=nvtx");
    CHECK(forced.out.find("['enable NVTX', 'python flag True']") != std::string::npos);
    // In the NVTX way nobody has loaded the injection library at `import torch` (the driver loads it
    // when CUDA starts): the hook loads it, so that a pause turns torch's NVTX emission off too.
    const PythonRun nvtxPaused = runPython(dir, path,
                                           "import ctypes, os, sys, torch\nfrom torch.autograd import LOG\n"
                                           "hook = sys.modules['_gaplens_framework']\n"
                                           "print('listening', hook._state['pause_listener'] is not None)\n"
                                           "ctypes.CDLL(os.environ['CUDA_INJECTION64_PATH'], mode=os.RTLD_NOLOAD)\n"
                                           "hook._on_capture_pause(torch, 1)\nprint(LOG)\n",
                                           env);
    INFO(nvtxPaused.err);
    INFO(nvtxPaused.out);
    CHECK(nvtxPaused.exitCode == 0);
    CHECK(nvtxPaused.out.find("listening True\n['enable NVTX', 'python flag True', 'disable']") != std::string::npos);
    fs::remove_all(dir);
}

TEST_CASE("the child's ITT groups always include structure, and keep the user's", "[gpu][capture][framework]") {
    CHECK(ittGroupsWithStructure(nullptr) == "structure");
    CHECK(ittGroupsWithStructure("") == "structure");
    CHECK(ittGroupsWithStructure("sync") == "sync,structure");
    CHECK(ittGroupsWithStructure("sync;structure") == "sync;structure");
    CHECK(ittGroupsWithStructure("structure mark") == "structure mark");
    CHECK(ittGroupsWithStructure("structures") == "structures,structure");
}

TEST_CASE("the recorder keeps every range across its buffer's chunks and across take() calls", "[gpu][capture][framework]") {
    NvtxRecorder& nvtx = NvtxRecorder::instance();
    nvtx.setEnabled(true);
    for (int i = 0; i < 5000; ++i) {  // 10,000 events: several chunks of the thread's buffer
        nvtx.push("step");
        nvtx.push("aten::mm, seq = 1, op_id = 2");
        nvtx.pop();
        nvtx.pop();
    }
    nvtx.push("outer");  // still open at the first take()
    CaptureData first;
    nvtx.take(first, 0);
    size_t steps = 0, mms = 0;
    for (const RangeRecord& r : first.ranges) {
        steps += first.strings.str(r.name) == "step";
        mms += first.strings.str(r.name) == "aten::mm";
    }
    CHECK(steps == 5000);
    CHECK(mms == 5000);
    CHECK(first.ranges.size() == 10001);
    CHECK(first.openRanges == 1);

    nvtx.pop();  // closes "outer": reported open already, no second record
    nvtx.push("after");
    nvtx.pop();
    nvtx.push("closed while off");
    nvtx.setEnabled(false);
    nvtx.pop();  // recording stopped before its close: no record
    CaptureData second;
    nvtx.take(second, 0);
    REQUIRE(second.ranges.size() == 1);
    CHECK(second.strings.str(second.ranges[0].name) == "after");
    CHECK(second.openRanges == 0);
}

TEST_CASE("ranges recorded on one thread while another takes them: none lost, none twice", "[gpu][capture][framework]") {
    NvtxRecorder& nvtx = NvtxRecorder::instance();
    nvtx.setEnabled(true);
    constexpr int kRanges = 100000;
    std::atomic<bool> done{false};
    std::thread writer([&] {
        for (int i = 0; i < kRanges; ++i) {
            nvtx.push("written while taken");
            nvtx.pop();
        }
        done = true;
    });
    size_t taken = 0;
    auto takeSome = [&] {
        CaptureData data;
        nvtx.take(data, 0);
        // A range open at this take() is reported there, as open, and its close adds nothing later.
        for (const RangeRecord& r : data.ranges) taken += data.strings.str(r.name) == "written while taken";
    };
    while (!done) takeSome();
    writer.join();
    takeSome();
    nvtx.setEnabled(false);
    CHECK(taken == size_t(kRanges));
}

TEST_CASE("a thread that keeps recording writes into the buffer chunks it used before", "[gpu][capture][framework]") {
    NvtxRecorder& nvtx = NvtxRecorder::instance();
    nvtx.setEnabled(true);
    const uint64_t before = NvtxRecorder::chunksAllocated();
    size_t taken = 0;
    std::thread writer([&] {
        for (int round = 0; round < 20; ++round) {
            for (int i = 0; i < 3000; ++i) {  // 6,000 events: about three chunks
                nvtx.push("step");
                nvtx.pop();
            }
            CaptureData out;
            nvtx.take(out, 0);  // drains, and hands the chunks read back to this thread
            taken += out.ranges.size();
        }
    });
    writer.join();
    nvtx.setEnabled(false);
    CHECK(taken == 60000);
    // Without chunks handed back it would be 30: one per 2,048 events.
    CHECK(NvtxRecorder::chunksAllocated() - before <= 5);
}
