#pragma once
// The NVTX ranges of torch's ops (what `gaplens capture`'s framework context turns on, see
// app/inject/python/gaplens_framework.py) carry the op's name and ids in one string, built by torch
// (getNvtxStr in torch/csrc/profiler/util.cpp):
//     "aten::mm, seq = 12, op_id = 345"        an op recorded by autograd (sequence number 12)
//     "train_step, op_id = 7"                  any other RecordFunction: ops, record_function ranges
//     "aten::mm, op_id = 9, sizes = [[64, 64], [64, 64]], input_op_ids = ..."   with record_shapes
// A trace shows the bare name, as torch.profiler does, with the ids as args. A range whose text does
// not end this way is an NVTX range of the program's own (torch.cuda.nvtx.range, ...).
#include <cstdint>
#include <string_view>

namespace gaplens::capture {

struct TorchRangeName {
    bool fromTorch = false;   // the text has torch's ", op_id = N" part
    std::string_view name;    // the op or range name (the whole text when !fromTorch)
    int64_t sequence = -1;    // autograd sequence number, -1 when absent
    int64_t opId = -1;        // RecordFunction handle
};

TorchRangeName parseTorchRangeName(std::string_view text);

}  // namespace gaplens::capture
