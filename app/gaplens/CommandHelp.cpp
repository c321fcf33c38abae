#include "app/gaplens/CommandHelp.h"

#include <algorithm>
#include <cstdio>

#include "app/gaplens/Commands.h"

namespace gaplens::cli {

const char* const kDefinitionsLine =
    "Definitions of every figure, cause, window and verdict: docs/analyses.md "
    "(installed: share/doc/gaplens/analyses.md)\n";

namespace {

// One entry per command; a new command adds its own here (see CommandHelp.h).
const std::vector<CommandHelp> kCommands = {
    {"capture", "record a built-in CUDA workload or any CUDA program as a trace (needs a GPU and CUPTI)",
     "usage: gaplens capture --workload NAME [--sizes 64,1024,8192] [--iters 20] [--batch 8] [--schedule W,U,A,R]\n"
     "                       [--dtype bf16] -o DIR/|FILE.json[.gz]\n"
     "       gaplens capture [-o run.json[.gz]] [--framework=auto|none] [--] <program> [args...]\n",
     "  -o, --output PATH     where to write: DIR/ gets one trace per size (DIR/<workload>_<size>.json);\n"
     "                        FILE.json[.gz] one file (FILE_<size>.json with several sizes); .gz compresses.\n"
     "                        Default runs/ for workloads, gaplens_trace.json for programs\n"
     "  --workload NAME       matmul_add (cuBLAS bf16 GEMM + add kernel per step), matmul_add_batched (one\n"
     "                        strided-batched GEMM over --batch matrices per step), matmul_add_graph (the step\n"
     "                        captured once as a CUDA graph and replayed); each step is a user range 'matmul_add'\n"
     "  --sizes N,N,...       matrix sizes, one run each (default 64)\n"
     "  --iters N             steps per size (default 20)\n"
     "  --batch N             matrices per step of matmul_add_batched (default 8)\n"
     "  --schedule W,U,A,R    wait, warmup, active, repeat: which steps are recorded, as torch.profiler's\n"
     "                        schedule (default: all)\n"
     "  --dtype bf16          the data type (only bf16 is built in)\n"
     "  <program> [args...]   runs with libgaplens_inject.so loaded by CUDA: kernels, copies, runtime and\n"
     "                        driver calls, syncs and NVTX ranges are recorded and written when it exits\n"
     "                        (also on a crash). Put the program after -- when its own arguments include\n"
     "                        -h or --help. A program that cannot be started is a usage error (exit 1).\n"
     "                        Processes it starts that use CUDA write their own traces: the ranks a\n"
     "                        launcher starts (torchrun sets RANK) to run.rank<R>.json[.gz], others to\n"
     "                        run.pid<N>.json[.gz]; then the job's verdict follows\n"
     "  --framework=auto|none  auto (default): a Python program that imports torch also gets torch's ops and\n"
     "                        record_function ranges recorded (cpu_op / user_annotation, as torch.profiler\n"
     "                        writes them); none: CUDA-level capture only. Costs: docs/capture-overhead.md\n"
     "  exit codes: 0 ok, 1 usage, 3 no GPU/CUPTI, 4 the workload or program failed (its code is printed)\n",
     "gaplens capture --workload matmul_add --sizes 64,1024,8192 --iters 20 --schedule 1,2,5,1 -o runs/\n"
     "gaplens capture -o train.json.gz -- python train.py --epochs 1\n"
     "gaplens capture -o run.json.gz -- torchrun --nproc_per_node=8 train.py\n"},
    {"report", "the whole analysis of a trace: verdict, ops table, GPU busy, gaps, launch latency, dead windows, advice",
     "usage: gaplens report run.json [more.json ...] [--format text|json|md] [--sort KEY] [--top N]\n"
     "                      [--group-by range] [--min-gap 10us] [--clock auto|shared|align]\n",
     "  --format text|json|md  text (default), JSON (a stable schema for scripts) or Markdown\n"
     "  --sort KEY             order of the ops table: cpu_total (default), self_cpu, gpu_total, self_gpu,\n"
     "                         calls, cpu_avg, gpu_avg, name\n"
     "  --top N                rows of the ops table (default 0: all)\n"
     "  --group-by range       also the ops table per user range (record_function, NVTX, gaplens::Range):\n"
     "                         each op in the innermost range enclosing it on its thread, each kernel with\n"
     "                         its launch call, the rest under \"(no range)\"; --top applies per range\n"
     "  --min-gap DURATION     list gaps at least this long (default 1us; e.g. 10us, 1.5ms); shorter gaps\n"
     "                         still count in the idle totals\n"
     "  --clock MODE           ranks' clocks: auto (default: one host unless the traces or the collectives\n"
     "                         say otherwise), shared (one host), align (shift each rank onto rank 0's clock)\n"
     "  several files: one report each, then the sweep table over them; files that are the ranks of one\n"
     "                         job (their traces carry distributedInfo): the job's collectives (per rank:\n"
     "                         wait, transfer, last to arrive, overlap) and its straggler (docs/distributed.md)\n",
     "gaplens report run.json --sort self_gpu --top 20\n"
     "gaplens report run.rank0.json.gz run.rank1.json.gz\n"
     "gaplens report run.json --format json > run.report.json\n"},
    {"gaps", "every idle gap of the GPUs, longest first, with its cause; then idle time per cause",
     "usage: gaplens gaps run.json [--min-gap 10us] [--csv]\n",
     "  --min-gap DURATION  list gaps at least this long (default 1us; e.g. 10us, 1.5ms, 200ns)\n"
     "  --csv               one line per gap: device,start_us,dur_us,cause,detail\n",
     "gaplens gaps run.json --min-gap 100us\n"
     "gaplens gaps run.json --csv > gaps.csv\n"},
    {"export", "a Perfetto / Chrome trace JSON of the run, with the findings as annotation tracks",
     "usage: gaplens export run.json [more.json ...] -o out.json[.gz] [--window 1.2ms:3.4ms] [--no-findings]\n"
     "                      [--min-gap 10us]\n",
     "  -o, --output FILE   the trace to write; .gz compresses. Opens in ui.perfetto.dev, chrome://tracing,\n"
     "                      HTA and gaplens\n"
     "  --window START:END  keep only the events overlapping this window of trace time (e.g. 1.2ms:3.4ms)\n"
     "  --no-findings       leave out the findings; by default a \"gaplens findings\" process holds one track\n"
     "                      of idle gaps per GPU and cause and one of dead windows\n"
     "  --min-gap DURATION  gaps shorter than this get no annotation (default 1us)\n",
     "gaplens export run.json -o run.perfetto.json.gz\n"
     "gaplens export run.json -o step.json --window 120ms:135ms --no-findings\n"},
    {"sweep", "runs of one workload at several sizes side by side, and the size where it turns compute-bound",
     "usage: gaplens sweep a.json b.json ... [--format text|json|md]\n",
     "  --format text|json|md  text (default), JSON or Markdown\n"
     "  per run: size, µs/iter on CPU and GPU, GPU busy %, launch p50, dead window cold/warm, TFLOP/s, class.\n"
     "  To capture the runs: gaplens capture --workload matmul_add --sizes 64,1024,8192 -o runs/\n",
     "gaplens sweep runs/matmul_add_64.json runs/matmul_add_1024.json runs/matmul_add_8192.json\n"},
    {"share", "one self-contained HTML page for a teammate, or a link that opens the trace in Perfetto UI",
     "usage: gaplens share run.json [-o run.html] [--min-gap 10us] [--port 9001]\n"
     "       gaplens share before.json after.json -o cmp.html\n",
     "  -o FILE.html        write one page: the findings and the trace, with an Open in Perfetto UI button\n"
     "                      (nothing is uploaded); with two runs, the page of their comparison (gaplens\n"
     "                      diff) with both runs' busy charts and a button per run\n"
     "  without -o          serve the trace on 127.0.0.1 and print the Perfetto UI link (Ctrl+C stops)\n"
     "  --port N            the port to serve on (default 9001, the one Perfetto UI allows)\n"
     "  --min-gap DURATION  list gaps at least this long on the page (default 1us)\n",
     "gaplens share run.json -o run.html\n"
     "gaplens share run.json\n"
     "gaplens share before.json after.json -o cmp.html\n"},
    {"diff", "what changed between two runs, per steady iteration of each, and why",
     "usage: gaplens diff before.json after.json [--format text|md|json] [--top 20] [--min-gap 1us]\n",
     "  --format text|md|json  text (default), Markdown, or JSON (a stable schema for scripts)\n"
     "  --top N                op and kernel rows shown, largest change first (default 20, 0 = all)\n"
     "  --min-gap DURATION     gaps listed in each run's report (idle per cause counts all gaps)\n"
     "  Each run is compared per steady iteration: iteration time, GPU busy, idle per cause, launches,\n"
     "  kernels, launch latency and dead window p50, every op and kernel matched by name; a change within\n"
     "  the run-to-run spread of the iterations (p10-p90) is reported as \"same\" (docs/compare.md)\n",
     "gaplens diff runs/matmul_add_64.json runs/matmul_add_graph_64.json\n"
     "gaplens diff before.json after.json --format md > diff.md\n"},
    {"merge", "a job's cross-rank figures (collectives, waits, straggler) from per-rank report JSONs alone",
     "usage: gaplens merge rank*.report.json [-o job.json] [--format text|md|json] [--clock auto|shared|align]\n",
     "  -o FILE               write the result to FILE (format from its name: .md Markdown, .txt text, else JSON)\n"
     "                        and print a one-line verdict\n"
     "  --format text|md|json  text (default without -o), md or json\n"
     "  --clock auto|shared|align  auto (default): ranks of one host share a clock, ranks of several hosts\n"
     "                        are shifted so that their collectives end together; shared: no shift; align:\n"
     "                        always shift\n"
     "  Each input is `gaplens report --format json` of one rank's trace, made where that trace lives\n"
     "  (docs/distributed.md: a Slurm job array or a Kubernetes indexed Job, then one merge)\n",
     "gaplens merge rank*.report.json -o job.json\n"
     "for r in 0 1 2 3; do gaplens report --format json run.rank$r.json.gz > rank$r.report.json; done\n"},
};

void appendIndented(std::string& out, std::string_view lines) {
    while (!lines.empty()) {
        const size_t eol = lines.find('\n');
        out += "  ";
        out += lines.substr(0, eol);
        out += '\n';
        lines.remove_prefix(eol == std::string_view::npos ? lines.size() : eol + 1);
    }
}

}  // namespace

const std::vector<CommandHelp>& commandHelps() { return kCommands; }

const CommandHelp* findCommandHelp(std::string_view name) {
    for (const CommandHelp& c : kCommands)
        if (c.name == name) return &c;
    return nullptr;
}

std::string helpText(const CommandHelp& help) {
    std::string out = "gaplens ";
    out += help.name;
    out += ": ";
    out += help.summary;
    out += "\n\n";
    out += help.usage;
    if (!help.options.empty()) {
        out += "\noptions:\n";
        out += help.options;
    }
    out += "\nexamples:\n";
    appendIndented(out, help.examples);
    out += "\n";
    out += kDefinitionsLine;
    return out;
}

std::string overviewText() {
    std::string out = "gaplens: where does my GPU sit idle, and why?\n\nusage: gaplens <command> [options]\n\n";
    size_t width = 0;
    for (const CommandHelp& c : kCommands) width = std::max(width, c.name.size());
    for (const CommandHelp& c : kCommands) {
        out += "  ";
        out += c.name;
        out += std::string(width + 2 - c.name.size(), ' ');
        out += c.summary;
        out += '\n';
    }
    out += "\n`gaplens <command> --help` shows a command's options and examples; `gaplens --version` the version.\n"
           "exit codes: 0 ok, 1 usage error, 2 bad input file, 3 no GPU/CUPTI, 4 child program failed\n\n";
    out += kDefinitionsLine;
    return out;
}

bool isHelpOption(std::string_view arg) { return arg == "-h" || arg == "--help"; }

bool asksForHelp(const std::vector<std::string>& args) {
    for (size_t i = 1; i < args.size(); ++i) {
        if (args[i] == "--") return false;
        if (isHelpOption(args[i])) return true;
    }
    return false;
}

int usageError(std::string_view command, std::string_view message) {
    const std::string c(command);
    std::fprintf(stderr, "gaplens %s: %.*s (gaplens %s --help shows the options)\n", c.c_str(), int(message.size()),
                 message.data(), c.c_str());
    return kUsage;
}

int unknownOption(std::string_view command, std::string_view option) {
    return usageError(command, "unknown option '" + std::string(option) + "'");
}

int missingArguments(std::string_view command) {
    const CommandHelp* help = findCommandHelp(command);
    if (help) std::fputs(std::string(help->usage).c_str(), stderr);
    const std::string c(command);
    std::fprintf(stderr, "gaplens %s --help shows the options and examples\n", c.c_str());
    return kUsage;
}

}  // namespace gaplens::cli
