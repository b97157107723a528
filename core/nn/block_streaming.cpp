#include "core/nn/block_streaming.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <set>

#include "core/base/assert.h"
#include "core/ops/copy.h"
#include "core/tensor/cuda_context.h"

namespace dc::nn {
namespace {

// Segment offsets in a slot keep the alignment the caching allocator gives each
// tensor, so kernels (and cuBLASLt's algorithm choice) see the same alignment as
// in the resident model.
constexpr size_t kSegmentAlign = 512;

size_t align_up(size_t n) { return (n + kSegmentAlign - 1) / kSegmentAlign * kSegmentAlign; }

}  // namespace

Result<std::unique_ptr<BlockStreamer>> BlockStreamer::create(Module& root, const std::vector<const Module*>& blocks,
                                                             Device device,
                                                             const std::vector<const Storage*>& resident) {
  const std::set<const Storage*> keep(resident.begin(), resident.end());
  std::unique_ptr<BlockStreamer> s(new BlockStreamer(device));
  std::map<const Storage*, size_t> owner_block;
  for (size_t i = 0; i < blocks.size(); ++i) {
    Block b;
    for (const Parameter* p : blocks[i]->parameters()) {
      if (!p->defined()) continue;
      // A parameter still viewing the checkpoint mapping shares that storage with
      // every other tensor of the file: give it its own first.
      const Tensor t = root.writable_parameter(*p);
      const std::shared_ptr<Storage>& storage = t.storage();
      if (keep.count(storage.get())) continue;
      if (!storage->device().is_cpu()) {
        return Error::invalid_argument("block streaming: '" + p->key() + "' is on " + t.describe() +
                                       "; load the model on the CPU first");
      }
      auto [it, added] = owner_block.emplace(storage.get(), i);
      if (!added) {
        if (it->second != i) {
          return Error::internal("block streaming: '" + p->key() + "' shares its storage with block " +
                                 std::to_string(it->second) + "; only per-block weights can stream");
        }
        continue;
      }
      b.segments.push_back({storage, b.bytes});
      b.bytes += align_up(storage->bytes());
    }
    // One store per block, filled now: the load's copies are dropped block by
    // block (rebind releases them), so host memory peaks at the model + one block.
    DC_TRY(b.host, allocate_host_store(b.bytes, device));
    auto* host = static_cast<char*>(b.host->data());
    for (Segment& seg : b.segments) {
      std::memcpy(host + seg.offset, seg.storage->data(), seg.storage->bytes());
      seg.storage->rebind(host + seg.offset, Device::cpu(), b.host);
    }
    s->host_bytes_ += b.bytes;
    s->slot_bytes_ = std::max(s->slot_bytes_, b.bytes);
    s->blocks_.push_back(std::move(b));
  }
  for (std::shared_ptr<Storage>& slot : s->slots_) {
    DC_TRY(std::shared_ptr<Storage> allocated, Storage::allocate(s->slot_bytes_, device));
    slot = std::move(allocated);
  }
  return s;
}

void BlockStreamer::upload(size_t block) {
  const Block& b = blocks_[block];
  const int slot = static_cast<int>(block % 2);
  queue_.upload(slot, slots_[slot]->data(), b.host->data(), b.bytes);
}

void BlockStreamer::point_at_slot(size_t block) {
  Block& b = blocks_[block];
  const std::shared_ptr<Storage>& slot = slots_[block % 2];
  for (Segment& seg : b.segments) seg.storage->rebind(static_cast<char*>(slot->data()) + seg.offset, device_, slot);
  b.in_slot = true;
}

void BlockStreamer::point_at_host(size_t block) {
  Block& b = blocks_[block];
  auto* host = static_cast<char*>(b.host->data());
  for (Segment& seg : b.segments) seg.storage->rebind(host + seg.offset, Device::cpu(), b.host);
  b.in_slot = false;
}

BlockStreamer::Pass::Pass(BlockStreamer& streamer) : s_(streamer) {
  if (!s_.blocks_.empty()) s_.upload(0);
}

BlockStreamer::Pass::~Pass() {
  // Work already queued keeps the slot addresses it was launched with; only the
  // tensors' view of where the weights live changes here.
  for (size_t i = 0; i < s_.blocks_.size(); ++i)
    if (s_.blocks_[i].in_slot) s_.point_at_host(i);
}

void BlockStreamer::Pass::enter(size_t block) {
  DC_CHECK(block == next_ && block < s_.blocks_.size(),
           "BlockStreamer: entered block " << block << ", expected " << next_);
  const int slot = static_cast<int>(block % 2);
  s_.queue_.acquire(slot);
  s_.point_at_slot(block);
  // The other slot is free once the previous block's work is done (its leave()).
  if (block + 1 < s_.blocks_.size()) s_.upload(block + 1);
  next_ = block + 1;
}

void BlockStreamer::Pass::leave(size_t block) {
  DC_CHECK(block + 1 == next_, "BlockStreamer: left block " << block << " while in " << next_ - 1);
  s_.queue_.release(static_cast<int>(block % 2));
  s_.point_at_host(block);
}

Status move_storages(const std::vector<std::shared_ptr<Storage>>& storages, Device device) {
  return catch_errors([&] {
    for (const std::shared_ptr<Storage>& s : storages) {
      if (s->device() == device) continue;
      const Tensor bytes = Tensor::from_storage(s, {static_cast<int64_t>(s->bytes())}, DType::kU8);
      const Tensor moved = ops::to_device(bytes, device);
      s->rebind(moved.data_ptr(), device, moved.storage());
    }
    // An asynchronous copy may still read a source that the rebind released.
    if (device.is_cuda()) cuda_synchronize().value_or_throw();
  });
}

}  // namespace dc::nn
