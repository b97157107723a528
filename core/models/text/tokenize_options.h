// Options shared by the text tokenizers, with transformers' meaning, and the step that lays
// content ids out as the model input (special tokens, truncation, padding).
//
// FluxPipeline calls its tokenizers as
//   tokenizer(prompt, padding="max_length", max_length=77, truncation=True)      // CLIP
//   tokenizer_2(prompt, padding="max_length", max_length=512, truncation=True)   // T5
// which is TokenizeOptions{} (max_length 0 = the folder's model_max_length).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace dc::models::text {

struct TokenizeOptions {
  int64_t max_length = 0;          // 0: model_max_length from tokenizer_config.json
  bool pad_to_max_length = true;   // padding="max_length" (false: padding="longest" of one prompt)
  bool truncation = true;          // cut the content so the result has max_length ids
  bool add_special_tokens = true;  // CLIP: <|startoftext|> ... <|endoftext|>; T5: ... </s>
};

// What truncation removed, for the "part of your input was truncated" warning diffusers prints
// (it decodes the same ids: the untruncated content past the last one kept).
struct TruncationReport {
  int64_t dropped_tokens = 0;
  std::vector<int64_t> dropped_ids;
};

// prefix + content + suffix; with `truncation` the content is cut from the right so the whole
// fits `max_length` (transformers' default truncation side), and with `pad` the result is
// filled up to `max_length` with `pad_id` (right side). DC_CHECKs that max_length leaves room
// for the special tokens when truncating.
std::vector<int64_t> assemble_sequence(std::span<const int64_t> prefix, std::vector<int64_t> content,
                                       std::span<const int64_t> suffix, int64_t max_length, bool truncation,
                                       bool pad, int64_t pad_id, TruncationReport* report);

}  // namespace dc::models::text
