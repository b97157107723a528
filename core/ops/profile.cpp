#include "core/ops/profile.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <vector>

#include "core/tensor/cuda_context.h"

namespace dc::ops {
namespace {

struct Entry {
  int64_t calls = 0;
  double ms = 0;
};

std::mutex g_mu;
std::map<std::string, Entry> g_table;
thread_local int t_depth = 0;

double now_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

void sync_device() {
  if (cuda_available()) (void)cuda_synchronize();
}

}  // namespace

bool op_profiling_enabled() {
  static const bool on = [] {
    const char* v = std::getenv("DC_PROFILE_OPS");
    return v && v[0] == '1';
  }();
  return on;
}

OpScope::OpScope(const char* name) : name_(name), active_(op_profiling_enabled() && t_depth == 0) {
  ++t_depth;
  if (!active_) return;
  sync_device();
  start_ms_ = now_ms();
}

OpScope::~OpScope() {
  --t_depth;
  if (!active_) return;
  sync_device();
  const double ms = now_ms() - start_ms_;
  std::lock_guard lock(g_mu);
  Entry& e = g_table[name_];
  ++e.calls;
  e.ms += ms;
}

std::string op_profile_report() {
  std::lock_guard lock(g_mu);
  std::vector<std::pair<std::string, Entry>> rows(g_table.begin(), g_table.end());
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.second.ms > b.second.ms; });
  double total = 0;
  for (const auto& [_, e] : rows) total += e.ms;
  std::string out = "op                          calls     total_ms   share\n";
  char line[160];
  for (const auto& [name, e] : rows) {
    std::snprintf(line, sizeof line, "%-26s %7lld %12.2f %6.1f%%\n", name.c_str(), static_cast<long long>(e.calls), e.ms,
                  total > 0 ? 100 * e.ms / total : 0.0);
    out += line;
  }
  return out;
}

void reset_op_profile() {
  std::lock_guard lock(g_mu);
  g_table.clear();
}

}  // namespace dc::ops
