// An f32 value rounded to a storage dtype and read back (round-to-nearest-even),
// for CPU references that reproduce a reference implementation's intermediate
// roundings (a bf16 model stores each op's output in bf16).
#pragma once

#include "core/tensor/dtype.h"

namespace dc::ops::cpu {

inline float round_to(DType dtype, float v) {
  switch (dtype) {
    case DType::kBF16: return bf16_to_f32(f32_to_bf16(v));
    case DType::kF16: return f16_to_f32(f32_to_f16(v));
    default: return v;
  }
}

}  // namespace dc::ops::cpu
