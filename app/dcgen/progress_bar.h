// A one-line terminal progress bar for generation jobs:
//   denoise [##########----------] 10/20  1.9 it/s  ETA 5 s
// Redraws in place on a terminal; on a pipe or log file it prints a line per
// phase and every 10% instead, so logs stay readable.
#pragma once

#include <cstdio>
#include <string>

#include "core/pipeline/text_to_image.h"

namespace dcgen {

class ProgressBar {
 public:
  explicit ProgressBar(std::FILE* out);
  void update(const dc::pipeline::GenerationProgress& p);
  void message(const std::string& text);  // printed on its own line, the bar redrawn after
  void finish();

 private:
  void draw();

  std::FILE* out_;
  bool tty_;
  bool drawn_ = false;
  dc::pipeline::GenerationProgress last_;
  double phase_start_ = 0;
  int last_logged_decile_ = -1;
};

}  // namespace dcgen
