#include "app/dcgen/lora_option.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace dcgen {

void add_lora_option(CLI::App* command, std::vector<std::string>& values) {
  command->add_option("--lora", values,
                      "LoRA to merge into the transformer, FILE[:STRENGTH] (default strength 1; repeat for several; "
                      "kohya or diffusers .safetensors)");
}

dc::Result<std::vector<dc::LoRASpec>> parse_lora_options(const std::vector<std::string>& values) {
  std::vector<dc::LoRASpec> loras;
  for (const std::string& v : values) {
    dc::LoRASpec spec{v, 1.0};
    if (const size_t colon = v.rfind(':'); colon != std::string::npos) {
      const std::string number = v.substr(colon + 1);
      char* end = nullptr;
      errno = 0;
      const double strength = std::strtod(number.c_str(), &end);
      if (!number.empty() && end == number.c_str() + number.size() && errno == 0) {
        if (!std::isfinite(strength)) {
          return dc::Error::invalid_argument("--lora " + v + ": the strength must be a finite number");
        }
        spec = {v.substr(0, colon), strength};
      }
    }
    if (spec.file.empty()) return dc::Error::invalid_argument("--lora " + v + ": no file given");
    loras.push_back(std::move(spec));
  }
  return loras;
}

}  // namespace dcgen
