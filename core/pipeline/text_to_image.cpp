#include "core/pipeline/text_to_image.h"

namespace dc::pipeline {

const char* phase_name(GenerationPhase phase) {
  switch (phase) {
    case GenerationPhase::kLoading: return "loading";
    case GenerationPhase::kEncodingText: return "text";
    case GenerationPhase::kDenoising: return "denoise";
    case GenerationPhase::kDecoding: return "decode";
    case GenerationPhase::kDone: return "done";
  }
  return "?";
}

}  // namespace dc::pipeline
