// Named debug taps (llama.cpp's `cb`, nunchaku's `debug`): modules call
// tap("attn_out", t); while a TapScope is alive, each call records the tensor
// under its full module path so parity bugs can be bisected against the
// reference's forward hooks. Without a scope a tap is one branch.
#pragma once

#include <functional>
#include <string>

#include "core/tensor/tensor.h"

namespace dc::nn {

using TapSink = std::function<void(const std::string& path, const Tensor& t)>;

class TapScope {
 public:
  explicit TapScope(TapSink sink);
  ~TapScope();
  TapScope(const TapScope&) = delete;
  TapScope& operator=(const TapScope&) = delete;

 private:
  TapSink previous_;
};

bool tap_enabled();
void emit_tap(const std::string& path, const Tensor& t);

}  // namespace dc::nn
