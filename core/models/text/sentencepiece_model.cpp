#include "core/models/text/sentencepiece_model.h"

#include <sentencepiece_processor.h>

#include <cstring>
#include <optional>

#include "core/io/diffusers/config_reader.h"

namespace dc::models::text {
namespace {

// Just enough of the protobuf wire format to walk ModelProto (sentencepiece_model.proto).
class WireReader {
 public:
  explicit WireReader(std::string_view data) : data_(data) {}
  bool done() const { return pos_ >= data_.size(); }

  struct Field {
    uint32_t number = 0;
    uint32_t wire_type = 0;
    uint64_t varint = 0;     // wire type 0
    uint32_t fixed32 = 0;    // wire type 5
    std::string_view bytes;  // wire type 2
  };

  std::optional<Field> next() {
    Field f;
    auto key = varint();
    if (!key) return std::nullopt;
    f.number = static_cast<uint32_t>(*key >> 3);
    f.wire_type = static_cast<uint32_t>(*key & 7);
    switch (f.wire_type) {
      case 0: {
        auto v = varint();
        if (!v) return std::nullopt;
        f.varint = *v;
        return f;
      }
      case 1:
        if (data_.size() - pos_ < 8) return std::nullopt;
        pos_ += 8;
        return f;
      case 2: {
        auto n = varint();
        if (!n || *n > data_.size() - pos_) return std::nullopt;
        f.bytes = data_.substr(pos_, *n);
        pos_ += *n;
        return f;
      }
      case 5:
        if (data_.size() - pos_ < 4) return std::nullopt;
        std::memcpy(&f.fixed32, data_.data() + pos_, 4);  // little-endian on every supported host
        pos_ += 4;
        return f;
      default:
        return std::nullopt;
    }
  }

 private:
  std::optional<uint64_t> varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64 && pos_ < data_.size(); shift += 7) {
      const auto b = static_cast<uint8_t>(data_[pos_++]);
      v |= static_cast<uint64_t>(b & 0x7F) << shift;
      if (!(b & 0x80)) return v;
    }
    return std::nullopt;
  }

  std::string_view data_;
  size_t pos_ = 0;
};

std::optional<SentencePieceModel::Piece> parse_piece(std::string_view bytes) {
  SentencePieceModel::Piece piece;
  WireReader r(bytes);
  while (!r.done()) {
    auto f = r.next();
    if (!f) return std::nullopt;
    if (f->number == 1 && f->wire_type == 2) piece.text = std::string(f->bytes);
    if (f->number == 2 && f->wire_type == 5) {
      float score;
      std::memcpy(&score, &f->fixed32, 4);
      piece.score = score;
    }
    if (f->number == 3 && f->wire_type == 0) piece.type = static_cast<SentencePieceModel::PieceType>(f->varint);
  }
  return piece;
}

}  // namespace

Result<SentencePieceModel> SentencePieceModel::load(const std::filesystem::path& path) {
  const std::string name = config_context(path);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return Error::not_found(name + ": file not found");
  sentencepiece::SentencePieceProcessor processor;
  if (const auto status = processor.Load(path.string()); !status.ok()) {
    return Error::format(name + ": not a SentencePiece model (" + status.ToString() + ")");
  }
  const std::string proto = processor.serialized_model_proto();
  SentencePieceModel model;
  WireReader r(proto);
  while (!r.done()) {
    auto f = r.next();
    if (!f) return Error::format(name + ": malformed ModelProto");
    if (f->number == 1 && f->wire_type == 2) {  // repeated SentencePiece pieces
      auto piece = parse_piece(f->bytes);
      if (!piece) return Error::format(name + ": malformed piece " + std::to_string(model.pieces.size()));
      model.pieces.push_back(std::move(*piece));
    } else if (f->number == 3 && f->wire_type == 2) {  // NormalizerSpec normalizer_spec
      WireReader spec(f->bytes);
      while (!spec.done()) {
        auto g = spec.next();
        if (!g) return Error::format(name + ": malformed normalizer_spec");
        if (g->number == 2 && g->wire_type == 2) model.precompiled_charsmap = std::string(g->bytes);
      }
    }
  }
  // libsentencepiece accepted the same bytes: the two readings must agree.
  if (static_cast<int>(model.pieces.size()) != processor.GetPieceSize()) {
    return Error::internal(name + ": read " + std::to_string(model.pieces.size()) + " pieces, libsentencepiece has " +
                           std::to_string(processor.GetPieceSize()));
  }
  for (int i = 0; i < processor.GetPieceSize(); ++i) {
    if (model.pieces[i].text != processor.IdToPiece(i)) {
      return Error::internal(name + ": piece " + std::to_string(i) + " read differently from libsentencepiece");
    }
  }
  return model;
}

}  // namespace dc::models::text
