#include "core/pipeline/text_to_image.h"

namespace dc::pipeline {

SigmaShift sigma_shift_from_name(std::string_view name) {
  if (name == "flux") return SigmaShift::kFlux;
  if (name == "flux2") return SigmaShift::kFlux2;
  return SigmaShift::kAuto;
}

const char* sigma_shift_name(SigmaShift shift) {
  switch (shift) {
    case SigmaShift::kAuto: return "auto";
    case SigmaShift::kFlux: return "flux";
    case SigmaShift::kFlux2: return "flux2";
  }
  return "auto";
}

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
