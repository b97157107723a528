// Per-op time breakdown for finding where a model spends its time.
// Off unless DC_PROFILE_OPS=1: then each outermost op front-end synchronizes the
// device before and after itself and adds the wall time under its name (the
// synchronization perturbs overlap, so use it for shares, not for totals).
//
//   DC_OP_SCOPE("conv2d");            // first line of an op front-end
//   std::puts(ops::op_profile_report().c_str());
#pragma once

#include <string>

namespace dc::ops {

class OpScope {
 public:
  explicit OpScope(const char* name);
  ~OpScope();
  OpScope(const OpScope&) = delete;
  OpScope& operator=(const OpScope&) = delete;

 private:
  const char* name_;
  bool active_;
  double start_ms_ = 0;
};

bool op_profiling_enabled();
std::string op_profile_report();  // table: op, calls, total ms, share
void reset_op_profile();

}  // namespace dc::ops

#define DC_OP_SCOPE(name) ::dc::ops::OpScope dc_op_scope_(name)
