#include "core/nn/tap.h"

namespace dc::nn {
namespace {
thread_local TapSink t_sink;
}

TapScope::TapScope(TapSink sink) : previous_(std::move(t_sink)) { t_sink = std::move(sink); }
TapScope::~TapScope() { t_sink = std::move(previous_); }

bool tap_enabled() { return static_cast<bool>(t_sink); }
void emit_tap(const std::string& path, const Tensor& t) {
  if (t_sink) t_sink(path, t);
}

}  // namespace dc::nn
