// A SentencePiece model file (spiece.model) as transformers 5 reads it for T5Tokenizer
// (convert_slow_tokenizer.SentencePieceExtractor): every piece with its score and type, and
// the normalizer's precompiled_charsmap. libsentencepiece loads and validates the file; the
// fields are then read from its serialized ModelProto (the protobuf classes are not public).
//
//   DC_TRY(SentencePieceModel m, SentencePieceModel::load(dir / "spiece.model"));
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/base/result.h"

namespace dc::models::text {

struct SentencePieceModel {
  enum class PieceType { kNormal = 1, kUnknown = 2, kControl = 3, kUserDefined = 4, kUnused = 5, kByte = 6 };
  struct Piece {
    std::string text;
    double score = 0;
    PieceType type = PieceType::kNormal;
  };
  std::vector<Piece> pieces;
  std::string precompiled_charsmap;  // empty: no normalization rule (e.g. "identity")

  // kNotFound: no file; kFormat: not a SentencePiece model (libsentencepiece's reason quoted).
  static Result<SentencePieceModel> load(const std::filesystem::path& path);
};

}  // namespace dc::models::text
