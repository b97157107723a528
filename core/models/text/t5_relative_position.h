// T5's relative position buckets (transformers T5Attention._relative_position_bucket,
// after Mesh TensorFlow): a key at distance key - query from its query falls in
// an exact bucket when close, a log-spaced one up to max_distance, and the last
// bucket beyond. Bidirectional (the encoder) spends half the buckets on each sign.
#pragma once

#include <cstdint>

#include "core/tensor/tensor.h"

namespace dc::models::text {

// The bucket of one relative position (key - query). The log part is computed
// in f32 with the operations transformers performs, so boundary positions fall
// in the same bucket.
int64_t t5_relative_position_bucket(int64_t relative_position, bool bidirectional, int64_t num_buckets,
                                    int64_t max_distance);

// CPU i64 [query_length, key_length]: bucket of (key j - query i).
Tensor t5_relative_position_buckets(int64_t query_length, int64_t key_length, bool bidirectional, int64_t num_buckets,
                                    int64_t max_distance);

}  // namespace dc::models::text
