#include "tests/bench/random_weights.h"

#include <cmath>
#include <functional>
#include <map>

#include "core/ops/copy.h"
#include "core/ops/elementwise.h"
#include "core/ops/random.h"

namespace dc::bench {

Status load_random_weights(nn::Module& root, const nn::LoadOptions& options, uint64_t seed) {
  std::map<std::string, Shape> shapes;
  for (const nn::Parameter* p : root.parameters()) shapes[p->key()] = p->expected_shape();
  nn::WeightSource source{
      .contains = [&](const std::string& key) { return shapes.count(key) > 0; },
      .tensor = [&](const std::string& key) -> Result<Tensor> {
        return catch_errors([&] {
          const Shape& shape = shapes.at(key);
          const uint64_t s = seed ^ std::hash<std::string>{}(key);
          const bool is_vector = shape.size() <= 1;
          if (key.find("running_var") != std::string::npos) {
            return ops::add(ops::rand(shape, s, DType::kF32, options.device), ops::full(shape, 0.5f, DType::kF32, options.device));
          }
          // Drawn on the load device (Philox gives the same values there): billions of
          // weights would take minutes on the host.
          Tensor t = ops::randn(shape, s, DType::kF32, options.device);
          if (is_vector) {
            // Norm gains near 1 (a trained net's), every other vector small.
            const bool scale_like = key.find("norm") != std::string::npos && key.ends_with(".weight");
            return scale_like ? ops::add(ops::scale(t, 0.1f), ops::full(shape, 1.0f, DType::kF32, t.device()))
                              : ops::scale(t, 0.1f);
          }
          const int64_t fan_in = shape_numel(shape) / shape[0];
          return ops::cast(ops::scale(t, static_cast<float>(1.0 / std::sqrt(static_cast<double>(fan_in)))), options.dtype);
        });
      },
  };
  return root.load(source, options);
}

}  // namespace dc::bench
