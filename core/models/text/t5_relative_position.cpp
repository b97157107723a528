#include "core/models/text/t5_relative_position.h"

#include <algorithm>
#include <cmath>

namespace dc::models::text {

int64_t t5_relative_position_bucket(int64_t relative_position, bool bidirectional, int64_t num_buckets,
                                    int64_t max_distance) {
  int64_t bucket = 0;
  int64_t distance = 0;
  if (bidirectional) {
    num_buckets /= 2;
    if (relative_position > 0) bucket += num_buckets;
    distance = relative_position < 0 ? -relative_position : relative_position;
  } else {
    distance = relative_position < 0 ? -relative_position : 0;
  }
  const int64_t max_exact = num_buckets / 2;
  if (distance < max_exact) return bucket + distance;
  // torch: log(float(d) / max_exact) / math.log(max_distance / max_exact) * (num_buckets - max_exact),
  // each step an f32 tensor op (the Python scalars rounded to f32), then truncated toward zero.
  const float ratio = static_cast<float>(distance) / static_cast<float>(max_exact);
  const auto log_range = static_cast<float>(std::log(static_cast<double>(max_distance) / static_cast<double>(max_exact)));
  const float scaled = std::log(ratio) / log_range * static_cast<float>(num_buckets - max_exact);
  if (!std::isfinite(scaled) || scaled >= static_cast<float>(num_buckets)) return bucket + num_buckets - 1;
  const int64_t large = std::min(max_exact + static_cast<int64_t>(scaled), num_buckets - 1);
  return bucket + large;
}

Tensor t5_relative_position_buckets(int64_t query_length, int64_t key_length, bool bidirectional, int64_t num_buckets,
                                    int64_t max_distance) {
  Tensor out = Tensor::empty({query_length, key_length}, DType::kI64);
  int64_t* b = out.data<int64_t>();
  for (int64_t i = 0; i < query_length; ++i)
    for (int64_t j = 0; j < key_length; ++j)
      b[i * key_length + j] = t5_relative_position_bucket(j - i, bidirectional, num_buckets, max_distance);
  return out;
}

}  // namespace dc::models::text
