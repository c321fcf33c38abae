// `gaplens merge` of a large job: 4,096 per-rank reports (synthetic, 1,000 collectives each),
// target <= 5 s and <= 1 GB peak RSS. Prints the wall time and peak RSS of the CLI (a child
// process, measured with wait4), then the in-process split: reading the files, the analysis.
//
// Each report is what `gaplens report --format json` writes for a rank: a report's usual sections
// (100 ops, 300 gaps, 30 launch-latency rows, 10 dead windows, bound, advice: ~90 KB of JSON that
// the merge must skip) and the rank's section with 1,000 collective kernels in two process groups
// ("pg 0" all-reduce, "pg 1" all-gather). The ranks run on 512 hosts of 8, each host's clock off by
// up to +-2 ms (so the clocks are aligned), every rank arrives with a few µs of jitter and rank 1234
// arrives 150 µs late at every all-reduce (the straggler). Files are written first (page cache warm).
//
// usage: bench_merge [--ranks N] [--collectives N] [--dir PATH] [--keep] [--reuse]
//   --reuse: the reports in --dir are from an earlier --keep run: measure again without writing them.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/io/OutputFile.h"
#include "core/report/JobLoading.h"
#include "core/report/RankReportReader.h"

using namespace gaplens;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

namespace {

double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// The sections of a report besides "ranks", as text (the same for every rank: the merge skips them).
std::string otherSections(std::mt19937_64& rng) {
    nlohmann::json j;
    j["trace"] = {{"path", "/scratch/job/run.rank0.json.gz"}, {"events", 2'500'000}, {"cpu_threads", 12},
                  {"gpu_streams", 4}, {"devices", {0}}, {"span_us", 2.1e6}};
    std::uniform_real_distribution<double> u(0.0, 1000.0);
    for (int i = 0; i < 100; ++i)
        j["ops"].push_back({{"name", "aten::op_number_" + std::to_string(i)}, {"calls", 1000 + i}, {"self_cpu_us", u(rng)},
                            {"cpu_total_us", u(rng)}, {"self_gpu_us", u(rng)}, {"gpu_total_us", u(rng)}});
    j["gpu"] = {{{"device", 0}, {"busy_us", 1.7e6}, {"idle_us", 0.4e6}, {"busy_pct", 80.9}, {"kernels", 120000}, {"kernel_us", 1.8e6}}};
    for (int i = 0; i < 300; ++i)
        j["gaps"].push_back({{"device", 0}, {"start_us", u(rng) * 1000}, {"dur_us", u(rng)}, {"cause", "host-overhead"},
                             {"detail", "host ops: aten::copy_ 12.1 µs, aten::to 8.2 µs, cudaLaunchKernel 3.1 µs"}});
    for (int i = 0; i < 30; ++i)
        j["launch_latency"].push_back({{"kernel", "void at::native::elementwise_kernel_" + std::to_string(i)},
                                       {"count", 4000}, {"p50_us", u(rng)}, {"p90_us", u(rng)}, {"max_us", u(rng)},
                                       {"queue_p50_us", u(rng)}, {"dispatch_p50_us", u(rng)}});
    for (int i = 0; i < 10; ++i)
        j["dead_windows"].push_back({{"range", "ProfilerStep#" + std::to_string(i)}, {"start_us", u(rng)}, {"dur_us", u(rng)},
                                     {"host_us", u(rng)}, {"launch_us", u(rng)}, {"cold", i == 0},
                                     {"one_time_calls", nlohmann::json::array({"cudaMalloc"})}});
    j["bound"] = {{"window", "ProfilerStep#1..#9"}, {"class", "mixed"}, {"busy_pct", 80.9}, {"gpu_over_cpu", 1.2}};
    j["advice"] = nlohmann::json::array();
    std::string text = j.dump(1);
    text.pop_back();  // reopen the object
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
}

// One rank's section: its figures and collectives, as RankCollectives gives them (rankToJson).
std::string rankSection(int rank, int world, int collectives, std::mt19937_64& rng, TimeNs hostOffsetNs) {
    RankCollectives r;
    r.rank = rank;
    r.rankKnown = true;
    r.worldSize = world;
    r.path = "/scratch/job/run.rank" + std::to_string(rank) + ".json.gz";
    r.host = "node" + std::to_string(rank / 8);
    r.devices = {rank % 8};
    r.groups = {"pg 0", "pg 1"};
    r.names = {"ncclDevKernel_AllReduce_Sum_bf16_RING_LL(ncclDevKernelArgsStorage<4096ul>)",
               "ncclDevKernel_AllGather_RING_LL(ncclDevKernelArgsStorage<4096ul>)"};
    std::normal_distribution<double> jitter(0.0, 3000.0);
    const TimeNs t0 = 1'790'857'026'000'000'000 + hostOffsetNs;
    uint32_t seq[2] = {0, 0};
    for (int i = 0; i < collectives; ++i) {
        CollectiveKernel k;
        k.group = uint32_t(i % 4 == 3);  // every fourth an all-gather
        k.name = k.group;
        k.seq = seq[k.group]++;
        k.stream = 17 + int32_t(k.group);
        const TimeNs planned = t0 + TimeNs(i) * 2'000'000;  // one every 2 ms
        const TimeNs late = rank == 1234 && k.group == 0 ? 150'000 : 0;
        k.startAbsNs = planned + TimeNs(std::abs(jitter(rng))) + late;
        const TimeNs end = planned + 200'000 + 20'000;  // ends together (on the job's clock)
        k.durNs = std::max<TimeNs>(5'000, end - k.startAbsNs);
        k.aloneNs = k.durNs / 2;
        r.kernels.push_back(k);
        r.collectiveNs += k.durNs;
    }
    r.spanNs = 2'100'000'000;
    r.busyNs = 1'700'000'000;
    r.overlapNs = r.collectiveNs / 3;
    return rankToJson(r, nullptr, true).dump(1);
}

}  // namespace

int main(int argc, char** argv) {
    int ranks = 4096, collectives = 1000;
    bool keep = false, reuse = false;
    fs::path dir = fs::temp_directory_path() / ("gaplens_bench_merge_" + std::to_string(getpid()));
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--ranks" && i + 1 < argc) ranks = std::atoi(argv[++i]);
        else if (a == "--collectives" && i + 1 < argc) collectives = std::atoi(argv[++i]);
        else if (a == "--dir" && i + 1 < argc) dir = argv[++i];
        else if (a == "--keep") keep = true;
        else if (a == "--reuse") reuse = keep = true;
        else {
            std::fprintf(stderr, "usage: bench_merge [--ranks N] [--collectives N] [--dir PATH] [--keep] [--reuse]\n");
            return 1;
        }
    }
    fs::create_directories(dir);
    std::mt19937_64 rng(42);
    const std::string rest = otherSections(rng);
    std::vector<TimeNs> hostOffset(size_t(ranks / 8 + 1));
    std::uniform_int_distribution<TimeNs> offset(-2'000'000, 2'000'000);
    for (TimeNs& o : hostOffset) o = offset(rng);
    hostOffset[0] = 0;

    const auto g0 = Clock::now();
    std::vector<std::string> paths;
    uint64_t bytes = 0;
    for (int r = 0; r < ranks; ++r) {
        paths.push_back((dir / ("rank" + std::to_string(r) + ".report.json")).string());
        if (reuse) {
            std::error_code ec;
            bytes += fs::file_size(paths.back(), ec);
            if (ec) {
                std::fprintf(stderr, "bench_merge: --reuse: %s: %s\n", paths.back().c_str(), ec.message().c_str());
                return 2;
            }
            continue;
        }
        const std::string text = rest + ",\n \"ranks\": [" + rankSection(r, ranks, collectives, rng, hostOffset[size_t(r / 8)]) + "]\n}\n";
        if (std::string err = writeFileAtomically(paths.back(), text); !err.empty()) {
            std::fprintf(stderr, "bench_merge: %s\n", err.c_str());
            return 2;
        }
        bytes += text.size();
    }
    std::printf("%s %d per-rank reports, %d collectives each: %.1f MB of JSON (%.0f KB each) in %.1f s\n",
                reuse ? "reusing" : "wrote", ranks, collectives, double(bytes) / 1e6, double(bytes) / 1e3 / ranks,
                seconds(Clock::now() - g0));
    std::fflush(stdout);

    // The CLI, as a user runs it, in a child process: wall time and peak RSS.
    const fs::path out = dir / "job.json";
    std::vector<std::string> args = {GAPLENS_CLI, "merge", "-o", out.string()};
    args.insert(args.end(), paths.begin(), paths.end());
    std::vector<char*> argvChild;
    for (std::string& a : args) argvChild.push_back(a.data());
    argvChild.push_back(nullptr);
    std::fflush(nullptr);
    const auto c0 = Clock::now();
    const pid_t child = fork();
    if (child == 0) {
        execv(argvChild[0], argvChild.data());
        _exit(127);
    }
    int status = 0;
    struct rusage usage {};
    wait4(child, &status, 0, &usage);
    const double wall = seconds(Clock::now() - c0);
    const double rssMb = double(usage.ru_maxrss) / 1024.0;
    const double cpu = double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                       double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    std::printf("gaplens merge (CLI, %u threads): exit %d, %.2f s wall (target <= 5 s: %.2fx of it), %.2f s CPU, "
                "peak RSS %.0f MB (target <= 1024 MB: %.2fx), %.0f MB/s of JSON\n",
                std::max(1u, std::thread::hardware_concurrency()), WIFEXITED(status) ? WEXITSTATUS(status) : -1, wall,
                wall / 5.0, cpu, rssMb, rssMb / 1024.0, double(bytes) / 1e6 / wall);

    // In process: reading vs analysis, wall and CPU (all threads) of each.
    auto cpuNow = [] {
        struct rusage u {};
        getrusage(RUSAGE_SELF, &u);
        return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
    };
    const auto r0 = Clock::now();
    const double c0cpu = cpuNow();
    RankReports read = readRankReports(paths);
    const auto r1 = Clock::now();
    const double c1cpu = cpuNow();
    numberRanksInOrder(read.ranks, read.errors);
    const JobReport job = makeJobReport(analyzeCollectives(std::move(read.ranks)));
    const auto r2 = Clock::now();
    const double c2cpu = cpuNow();
    const std::string json = jobToJson(job).dump(1);
    const auto r3 = Clock::now();
    std::printf("in process: read %.2f s (%.2f s CPU), analysis %.2f s (%.2f s CPU), JSON %.2f s (%zu KB); %zu instances, "
                "straggler rank %d, %s\n",
                seconds(r1 - r0), c1cpu - c0cpu, seconds(r2 - r1), c2cpu - c1cpu, seconds(r3 - r2), json.size() / 1024,
                job.job.instances.size(),
                job.job.straggler ? job.job.ranks[job.job.straggler->rank].rank : -1,
                job.job.clockAligned ? "clocks aligned" : "one clock");
    if (!keep) fs::remove_all(dir);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
