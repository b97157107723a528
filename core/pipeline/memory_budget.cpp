#include "core/pipeline/memory_budget.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "core/tensor/cuda_context.h"

namespace dc::pipeline {

Result<size_t> parse_byte_size(std::string_view text) {
  std::string s;
  for (char c : text)
    if (!std::isspace(static_cast<unsigned char>(c))) s += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  size_t pos = 0;
  while (pos < s.size() && (std::isdigit(static_cast<unsigned char>(s[pos])) || s[pos] == '.')) ++pos;
  const std::string number = s.substr(0, pos), unit = s.substr(pos);
  const auto bad = [&] {
    std::string message(1, '\'');  // appended, not "'" + ...: GCC 12 warns falsely (-Wrestrict) on that form
    message.append(text).append("' is not a memory size (examples: 24G, 16GiB, 800M)");
    return Error::invalid_argument(message);
  };
  if (number.empty() || std::count(number.begin(), number.end(), '.') > 1) return bad();
  double scale = 1;
  if (unit.empty() || unit == "B") scale = 1;
  else if (unit == "K" || unit == "KB" || unit == "KIB") scale = 1024.0;
  else if (unit == "M" || unit == "MB" || unit == "MIB") scale = 1024.0 * 1024;
  else if (unit == "G" || unit == "GB" || unit == "GIB") scale = 1024.0 * 1024 * 1024;
  else if (unit == "T" || unit == "TB" || unit == "TIB") scale = 1024.0 * 1024 * 1024 * 1024;
  else return bad();
  const double bytes = std::stod(number) * scale;
  if (!(bytes >= 1) || bytes > 1e18) return bad();
  return static_cast<size_t>(bytes);
}

std::string format_bytes(size_t bytes) {
  char buf[32];
  if (bytes >= (size_t{1} << 30)) std::snprintf(buf, sizeof buf, "%.1f GiB", bytes / double(size_t{1} << 30));
  else std::snprintf(buf, sizeof buf, "%.0f MiB", bytes / double(size_t{1} << 20));
  return buf;
}

size_t weight_bytes(const Checkpoint& weights, DType dtype) {
  size_t total = 0;
  for (const std::string& name : weights.tensor_names()) {
    auto info = weights.info(name);
    if (!info) continue;
    const DType stored = dtype_is_float(info->dtype) ? dtype : info->dtype;
    total += static_cast<size_t>(shape_numel(info->shape)) * dtype_bits(stored) / 8;
  }
  return total;
}

StreamedSize streamed_size(const Checkpoint& weights, DType dtype, const std::vector<std::string>& block_prefixes,
                           const std::vector<std::string>& resident_parts) {
  StreamedSize out;
  std::map<std::pair<size_t, std::string>, size_t> blocks;  // (prefix, index) -> bytes
  for (const std::string& name : weights.tensor_names()) {
    auto info = weights.info(name);
    if (!info) continue;
    const DType stored = dtype_is_float(info->dtype) ? dtype : info->dtype;
    const size_t bytes = static_cast<size_t>(shape_numel(info->shape)) * dtype_bits(stored) / 8;
    bool resident = true;
    for (size_t p = 0; p < block_prefixes.size() && resident; ++p) {
      const std::string head = block_prefixes[p] + ".";
      if (name.rfind(head, 0) != 0) continue;
      const size_t dot = name.find('.', head.size());
      if (dot == std::string::npos) continue;
      bool kept = false;
      for (const std::string& part : resident_parts) kept = kept || name.find(part) != std::string::npos;
      if (kept) continue;
      resident = false;
      blocks[{p, name.substr(head.size(), dot - head.size())}] += (bytes + 511) / 512 * 512;
    }
    if (resident) out.resident += bytes;
  }
  for (const auto& [key, bytes] : blocks) out.slot = std::max(out.slot, bytes);
  return out;
}

namespace {
size_t streamed_need(const StageSize& s) { return s.streamed_resident + 2 * s.stream_slot + s.working; }
std::string mib(size_t bytes) { return std::to_string((bytes + (size_t{1} << 19)) >> 20) + " MiB"; }
}  // namespace

ResidencyPlan plan_residency(const std::vector<StageSize>& stages, size_t budget) {
  ResidencyPlan plan;
  plan.budget = budget;
  size_t all_weights = 0, largest_working = 0, largest_stage = 0;
  const StageSize* too_big = nullptr;
  const StageSize* streamed = nullptr;
  for (const StageSize& s : stages) {
    all_weights += s.weights;
    largest_working = std::max(largest_working, s.working);
    if (s.weights + s.working <= budget && !(s.always_stream && s.stream_slot > 0)) {
      largest_stage = std::max(largest_stage, s.weights + s.working);
    } else if (s.stream_slot > 0 && streamed_need(s) <= budget && !streamed) {
      streamed = &s;
      largest_stage = std::max(largest_stage, streamed_need(s));
    } else if (!too_big) {
      too_big = &s;
    }
  }
  if (too_big) {
    plan.peak_estimate = too_big->weights + too_big->working;
    plan.explanation = "the " + too_big->name + " needs about " + format_bytes(plan.peak_estimate) + " (" +
                       format_bytes(too_big->weights) + " of weights" +
                       (too_big->stream_slot > 0
                            ? ", " + format_bytes(streamed_need(*too_big)) + " with its blocks streamed"
                            : std::string()) +
                       ") but the memory budget is " +
                       format_bytes(budget) + "; raise --vram-budget, lower the resolution, or use a 4-bit model";
    return plan;
  }
  plan.fits = true;
  if (streamed) {
    plan.stream_blocks = true;
    plan.streamed_stage = streamed->name;
    plan.peak_estimate = largest_stage;
    plan.explanation = streamed->name + " streamed block by block: " + mib(streamed->streamed_resident) +
                       " resident + 2 x " + mib(streamed->stream_slot) + " slots (" +
                       (streamed->weights + streamed->working > budget
                            ? "its " + format_bytes(streamed->weights) + " of weights exceed the budget " +
                                  format_bytes(budget)
                            : std::string("as asked; budget ") + format_bytes(budget)) +
                       "); one stage resident at a time";
  } else if (all_weights + largest_working <= budget) {
    plan.keep_all = true;
    plan.peak_estimate = all_weights + largest_working;
    plan.explanation = "all stages resident (" + format_bytes(all_weights) + " of weights, budget " +
                       format_bytes(budget) + ")";
  } else {
    plan.peak_estimate = largest_stage;
    plan.explanation = "one stage resident at a time (all weights " + format_bytes(all_weights) +
                       " exceed the budget " + format_bytes(budget) + "; largest stage " +
                       format_bytes(largest_stage) + ")";
  }
  return plan;
}

size_t default_device_budget() {
  const CudaDeviceMemory m = cuda_device_memory();
  const CudaMemoryStats ours = cuda_memory_stats();
  // What we already cache counts as available to us.
  const size_t available = m.free_bytes + (ours.reserved_bytes - ours.allocated_bytes);
  const size_t margin = std::max<size_t>(size_t{512} << 20, available / 20);
  return available > margin ? available - margin : 0;
}

size_t available_host_memory() {
  std::ifstream meminfo("/proc/meminfo");
  std::string line;
  while (std::getline(meminfo, line)) {
    if (line.rfind("MemAvailable:", 0) != 0) continue;
    std::istringstream fields(line.substr(13));
    size_t kib = 0;
    if (fields >> kib) return kib * 1024;
  }
  return SIZE_MAX;
}

}  // namespace dc::pipeline
