#include "app/dcgen/progress_bar.h"

#include <unistd.h>

namespace dcgen {

ProgressBar::ProgressBar(std::FILE* out) : out_(out), tty_(isatty(fileno(out)) != 0) {}

void ProgressBar::update(const dc::pipeline::GenerationProgress& p) {
  if (p.phase != last_.phase) {
    phase_start_ = p.seconds;
    last_logged_decile_ = -1;
  }
  last_ = p;
  draw();
}

void ProgressBar::draw() {
  const auto& p = last_;
  const double elapsed = p.seconds - phase_start_;
  const double rate = p.step > 0 && elapsed > 0 ? p.step / elapsed : 0;
  char line[160];
  if (p.phase == dc::pipeline::GenerationPhase::kDenoising && p.total > 0) {
    constexpr int kWidth = 24;
    const int filled = p.step * kWidth / p.total;
    std::string bar(static_cast<size_t>(filled), '#');
    bar += std::string(static_cast<size_t>(kWidth - filled), '-');
    const double eta = rate > 0 ? (p.total - p.step) / rate : 0;
    std::snprintf(line, sizeof line, "%-7s [%s] %d/%d  %.2f it/s  ETA %.0f s", phase_name(p.phase), bar.c_str(), p.step,
                  p.total, rate, eta);
    if (!tty_) {
      const int decile = p.step * 10 / p.total;
      if (decile == last_logged_decile_) return;
      last_logged_decile_ = decile;
    }
  } else {
    std::snprintf(line, sizeof line, "%-7s %.1f s", phase_name(p.phase), p.seconds);
    if (!tty_ && last_logged_decile_ == 0) return;
    last_logged_decile_ = 0;
  }
  if (tty_) std::fprintf(out_, "\r\033[K%s", line);
  else std::fprintf(out_, "%s\n", line);
  std::fflush(out_);
  drawn_ = true;
}

void ProgressBar::message(const std::string& text) {
  if (tty_ && drawn_) std::fprintf(out_, "\r\033[K");
  std::fprintf(out_, "%s\n", text.c_str());
  if (tty_ && drawn_) draw();
}

void ProgressBar::finish() {
  if (tty_ && drawn_) std::fprintf(out_, "\n");
  drawn_ = false;
}

}  // namespace dcgen
