// BlockStreamer: runs a stack of blocks whose weights do not all fit on the
// device. Each block's weights live in a host store (page-locked when the
// device is CUDA); during a pass, a block's weights are uploaded into one of two
// device slots (sized for the largest block) just before it runs, the next
// block's upload overlapping the current block's compute (UploadQueue: a side
// stream and events on CUDA, memcpy on the CPU, so tests run the same path).
//
// The block modules are not rebuilt: every tensor a block reads (its parameters
// and the fused matrices made from them) views a few Storage objects, and the
// streamer re-points those storages (Storage::rebind) at the slot while the
// block runs and back at the host store afterwards. The numbers are the same
// bytes, so a streamed forward is bit-identical to the resident one.
//
//   DC_TRY(auto streamer, BlockStreamer::create(root, blocks, Device::cuda(), {fused_all_blocks.storage().get()}));
//   {
//     BlockStreamer::Pass pass(*streamer);          // uploads block 0
//     for (size_t i = 0; i < blocks.size(); ++i) {
//       pass.enter(i);                               // block i's weights are on the device
//       run(block i);
//       pass.leave(i);                               // its slot may be refilled once that work is done
//     }
//   }                                                // everything points at the host store again
//
// A pass is not capturable into a CUDA graph (it re-points weights between
// kernel launches on the host).
#pragma once

#include <memory>
#include <vector>

#include "core/nn/module.h"
#include "core/tensor/upload_queue.h"

namespace dc::nn {

class BlockStreamer {
 public:
  // Moves the weights of `blocks` (loaded on the CPU; all in `root`'s subtree)
  // into the host store, except storages in `resident` (e.g. a matrix stacking
  // rows of every block, which the caller keeps on the device). A storage shared
  // by two blocks is an internal error. Allocates the two slots on `device`.
  static Result<std::unique_ptr<BlockStreamer>> create(Module& root, const std::vector<const Module*>& blocks,
                                                       Device device, const std::vector<const Storage*>& resident);

  size_t block_count() const { return blocks_.size(); }
  size_t host_bytes() const { return host_bytes_; }  // the host stores: every block's weights
  size_t slot_bytes() const { return slot_bytes_; }  // one slot: the largest block

  // One pass over the blocks, in order. Not re-entrant: one pass at a time.
  class Pass {
   public:
    explicit Pass(BlockStreamer& streamer);
    ~Pass();  // re-points every block at the host store (also after an exception)
    Pass(const Pass&) = delete;
    Pass& operator=(const Pass&) = delete;
    void enter(size_t block);  // block must be the next one; throws on CUDA errors
    void leave(size_t block);

   private:
    BlockStreamer& s_;
    size_t next_ = 0;
  };

 private:
  struct Segment {
    std::shared_ptr<Storage> storage;
    size_t offset = 0;  // in the block's host store and in its slot alike
  };
  struct Block {
    std::shared_ptr<Storage> host;  // the block's weights between passes
    size_t bytes = 0;
    std::vector<Segment> segments;
    bool in_slot = false;
  };
  BlockStreamer(Device device) : device_(device), queue_(device, 2) {}
  void upload(size_t block);
  void point_at_slot(size_t block);
  void point_at_host(size_t block);

  Device device_;
  std::vector<Block> blocks_;
  std::shared_ptr<Storage> slots_[2];
  size_t host_bytes_ = 0, slot_bytes_ = 0;
  UploadQueue queue_;
};

// Moves the storages to `device` (each re-pointed at a fresh copy there), so the
// tensors viewing them follow; for the parts of a model that stay resident while
// its blocks stream. Storages already there are left alone.
Status move_storages(const std::vector<std::shared_ptr<Storage>>& storages, Device device);

}  // namespace dc::nn
