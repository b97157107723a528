// The geometry checks every conv2d backend shares: dtype, groups, kernel, and the
// output size implied by input, kernel, stride and padding. P is any params
// struct with the fields of Conv2dParams (dtype, c_in, c_out, h, w, kh, kw, oh,
// ow, stride, padding, groups).
#pragma once

#include <string>

#include "gpu/cuda/common/data_type.h"

namespace dc::gpu {

template <class P>
bool conv_shape_ok(const P& p, std::string* why) {
  auto fail = [why](std::string reason) {
    if (why) *why = std::move(reason);
    return false;
  };
  if (!is_activation_type(p.dtype)) return fail(std::string("dtype ") + data_type_name(p.dtype) + " not supported");
  if (p.groups < 1 || p.stride < 1 || p.padding < 0) return fail("invalid stride/padding/groups");
  if (p.c_in % p.groups != 0 || p.c_out % p.groups != 0) return fail("channels not divisible by groups");
  if (p.kh < 1 || p.kw < 1 || p.c_in < 1) return fail("empty kernel or no input channels");
  if (p.oh != (p.h + 2 * p.padding - p.kh) / p.stride + 1 || p.ow != (p.w + 2 * p.padding - p.kw) / p.stride + 1)
    return fail("output size does not match input, kernel, stride and padding");
  return true;
}

}  // namespace dc::gpu
