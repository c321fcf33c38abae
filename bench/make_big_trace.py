#!/usr/bin/env python3
"""Makes a big Kineto trace from a real one, for the import benchmarks (bench_import).

The events of tests/data/torch_train_step.json.gz (a real H100 training step) are repeated, each
repetition shifted in time by the span of the original, with fresh correlation ids, External ids
and flow ids, so the result looks like a long profiling session: launches still link to their
kernels and no two repetitions collide. Metadata events (ph M) are written once. The text layout
follows what torch.profiler writes (one member line per field group, args indented).

    make_big_trace.py --mb 100 -o /tmp/big.json          # about 100 MB of JSON
    make_big_trace.py --mb 200 -o /tmp/big.json.gz       # gzip-compressed (level 1)

Outputs are large: write them under /tmp, never into the repository.
"""
import argparse
import gzip
import json
import os
import sys
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SOURCE = os.path.join(HERE, "..", "tests", "data", "torch_train_step.json.gz")


def load(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as f:
        return json.load(f)


def ts_ns(value):
    """Kineto ts/dur are µs with 3 decimals: exact integer ns."""
    return int(round(float(value) * 1000))


def fmt_us(ns):
    sign = "-" if ns < 0 else ""
    ns = abs(ns)
    return "%s%d.%03d" % (sign, ns // 1000, ns % 1000)


def dump_value(v):
    return json.dumps(v, ensure_ascii=False)


def make_template(event):
    """Returns (format string, field names): the event text with %s where shifted values go."""
    fields = []
    head = []
    for key in ("ph", "cat", "name", "pid", "tid"):
        if key in event:
            head.append('"%s": %s' % (key, dump_value(event[key]).replace("%", "%%")))
    times = []
    if "ts" in event:
        times.append('"ts": %s')
        fields.append("ts")
    if "dur" in event:
        times.append('"dur": %s' % fmt_us(ts_ns(event["dur"])))
    if "id" in event:
        times.append('"id": %s')
        fields.append("id")
    rest = []
    for key, value in event.items():
        if key in ("ph", "cat", "name", "pid", "tid", "ts", "dur", "id", "args"):
            continue
        rest.append('"%s": %s' % (key, dump_value(value).replace("%", "%%")))
    lines = ["  {", "    " + ", ".join(head) + ","]
    lines.append("    " + ", ".join(times + rest) + ("," if "args" in event else ""))
    if "args" in event:
        parts = []
        for key, value in event["args"].items():
            if key in ("correlation", "External id") and isinstance(value, int):
                parts.append('"%s": %%s' % key)
                fields.append("args." + key)
            else:
                parts.append('"%s": %s' % (key.replace("%", "%%"), dump_value(value).replace("%", "%%")))
        lines.append('    "args": {')
        lines.append("      " + ", ".join(parts))
        lines.append("    }")
    lines.append("  }")
    return "\n".join(lines), fields


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--source", default=DEFAULT_SOURCE, help="real trace to repeat (default: the train-step fixture)")
    ap.add_argument("--mb", type=float, default=100, help="approximate size of the JSON text in MB (1e6 bytes)")
    ap.add_argument("-o", "--output", required=True, help="output path; .gz compresses")
    args = ap.parse_args()

    trace = load(args.source)
    events = trace["traceEvents"]
    meta = [e for e in events if e.get("ph") == "M"]
    body = [e for e in events if e.get("ph") != "M"]
    times = [ts_ns(e["ts"]) for e in body if "ts" in e]
    ends = [ts_ns(e["ts"]) + ts_ns(e.get("dur", 0)) for e in body if "ts" in e]
    period = max(ends) - min(times) + 1000  # 1 µs apart
    max_corr = max([e.get("args", {}).get("correlation", 0) for e in body] + [0]) + 1
    max_ext = max([e.get("args", {}).get("External id", 0) for e in body] + [0]) + 1
    max_id = max([e["id"] for e in body if isinstance(e.get("id"), int)] + [0]) + 1
    id_step = max(max_id, max_corr)  # ac2g flow ids are correlation ids: shift both alike

    templates = [(make_template(e), e) for e in body]
    header = {k: v for k, v in trace.items() if k != "traceEvents"}
    head_text = json.dumps(header, indent=2)[:-2] + ',\n  "traceEvents": [\n'
    target = int(args.mb * 1e6)

    raw = open(args.output, "wb")
    out = raw
    compressor = zlib.compressobj(1, zlib.DEFLATED, 31) if args.output.endswith(".gz") else None
    written = 0

    def write(text):
        nonlocal written
        data = text.encode("utf-8")
        written += len(data)
        out.write(compressor.compress(data) if compressor else data)

    def render(template, e, rep):
        tpl, fields = template
        values = []
        for f in fields:
            if f == "ts":
                values.append(fmt_us(ts_ns(e["ts"]) + rep * period))
            elif f == "id":
                values.append(str(e["id"] + rep * id_step))
            elif f == "args.correlation":
                values.append(str(e["args"]["correlation"] + rep * id_step))
            else:
                values.append(str(e["args"]["External id"] + rep * max_ext))
        return tpl % tuple(values)

    write(head_text)
    write(",\n".join(render(make_template(e), e, 0) for e in meta))
    rep = 0
    count = len(meta)
    while written < target:
        chunk = [render(template, e, rep) for template, e in templates]
        write(",\n" + ",\n".join(chunk))
        count += len(chunk)
        rep += 1
    write("\n  ]\n}\n")
    if compressor:
        out.write(compressor.flush())
    raw.close()
    print("%s: %d events (%d repetitions of %d), %.1f MB of JSON, %.1f MB on disk"
          % (args.output, count, rep, len(body), written / 1e6, os.path.getsize(args.output) / 1e6))


if __name__ == "__main__":
    sys.exit(main())
