#include "core/base/thread_pool.h"

#include <algorithm>
#include <condition_variable>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace dc {
namespace {

thread_local bool t_inside_parallel = false;

class ThreadPool {
 public:
  explicit ThreadPool(int n) {
    for (int i = 0; i < n; ++i) workers_.emplace_back([this] { run(); });
  }
  ~ThreadPool() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    for (auto& t : workers_) t.join();
  }

  int size() const { return static_cast<int>(workers_.size()); }

  // Runs body(i) for i in [0, tasks), caller participates; rethrows the first exception.
  void run_tasks(int tasks, const std::function<void(int)>& body) {
    std::unique_lock call_lock(call_mu_);  // one parallel region at a time
    {
      std::lock_guard lock(mu_);
      body_ = &body;
      next_ = 0;
      tasks_ = tasks;
      pending_ = tasks;
      error_ = nullptr;
      ++generation_;
    }
    cv_.notify_all();
    work_until_done();
    std::unique_lock lock(mu_);
    done_cv_.wait(lock, [&] { return pending_ == 0; });
    body_ = nullptr;
    if (error_) std::rethrow_exception(error_);
  }

 private:
  void work_until_done() {
    t_inside_parallel = true;
    for (;;) {
      int task;
      {
        std::lock_guard lock(mu_);
        if (!body_ || next_ >= tasks_) break;
        task = next_++;
      }
      try {
        (*body_)(task);
      } catch (...) {
        std::lock_guard lock(mu_);
        if (!error_) error_ = std::current_exception();
      }
      std::lock_guard lock(mu_);
      if (--pending_ == 0) done_cv_.notify_all();
    }
    t_inside_parallel = false;
  }

  void run() {
    uint64_t seen = 0;
    for (;;) {
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return stop_ || (generation_ != seen && body_ && next_ < tasks_); });
        if (stop_) return;
        seen = generation_;
      }
      work_until_done();
    }
  }

  std::vector<std::thread> workers_;
  std::mutex call_mu_, mu_;
  std::condition_variable cv_, done_cv_;
  const std::function<void(int)>* body_ = nullptr;
  int next_ = 0, tasks_ = 0, pending_ = 0;
  uint64_t generation_ = 0;
  bool stop_ = false;
  std::exception_ptr error_;
};

ThreadPool& pool() {
  static ThreadPool p(std::max(0, cpu_thread_count() - 1));
  return p;
}

}  // namespace

int cpu_thread_count() {
  static const int n = [] {
    if (const char* env = std::getenv("DC_NUM_THREADS")) {
      int v = std::atoi(env);
      if (v > 0) return v;
    }
    return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  }();
  return n;
}

void parallel_for(int64_t begin, int64_t end, const std::function<void(int64_t, int64_t)>& body,
                  int64_t grain) {
  const int64_t n = end - begin;
  if (n <= 0) return;
  grain = std::max<int64_t>(grain, 1);
  const int threads = cpu_thread_count();
  const int64_t max_chunks = (n + grain - 1) / grain;
  const int chunks = static_cast<int>(std::min<int64_t>(max_chunks, threads * 4));
  if (chunks <= 1 || threads == 1 || t_inside_parallel) {
    body(begin, end);
    return;
  }
  const int64_t step = (n + chunks - 1) / chunks;
  pool().run_tasks(chunks, [&](int c) {
    const int64_t b = begin + c * step;
    const int64_t e = std::min(end, b + step);
    if (b < e) body(b, e);
  });
}

}  // namespace dc
