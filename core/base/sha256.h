// SHA-256 (FIPS 180-4), for content hashes other tools compare with ours: the
// "Lora hashes" of A1111-style image metadata (core/io/lora/lora_hash.h).
//
//   Sha256 h;
//   h.update(bytes);
//   std::string hex = h.hex_digest();   // 64 lowercase hex digits
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace dc {

class Sha256 {
 public:
  Sha256();
  void update(std::span<const uint8_t> bytes);
  void update(std::string_view text);
  // The digest of everything given so far (the object may keep taking bytes).
  std::array<uint8_t, 32> digest() const;
  std::string hex_digest() const;

 private:
  void compress(const uint8_t* block);

  std::array<uint32_t, 8> state_;
  std::array<uint8_t, 64> buffer_{};
  size_t buffered_ = 0;
  uint64_t total_bytes_ = 0;
};

}  // namespace dc
