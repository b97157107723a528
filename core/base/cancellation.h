// Cooperative cancellation: the UI or a signal handler calls cancel(); long
// loops poll cancelled() between steps and return Error::cancelled.
#pragma once

#include <atomic>
#include <memory>

namespace dc {

class CancellationToken {
 public:
  CancellationToken() : flag_(std::make_shared<std::atomic<bool>>(false)) {}
  void cancel() const { flag_->store(true); }
  bool cancelled() const { return flag_->load(); }

 private:
  std::shared_ptr<std::atomic<bool>> flag_;  // copies share one flag
};

}  // namespace dc
