// The Vulkan half of CUDA interop on any device (lavapipe in CI): the target's memory is
// exported as an fd and imported again on the same device, standing in for CUDA; the
// producer writes through that import and signals the timeline from the host. What CUDA
// itself does is covered by vulkan_interop_gpu.cpp on the GPU machine.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstring>

#include "tests/vulkan/presenter_fixture_support.h"

namespace dc::gpu::vulkan::test {
namespace {

// An exported allocation imported again (a second view of the same memory), host-mapped.
class ImportedBuffer {
 public:
  ~ImportedBuffer() {
    if (memory_) vkFreeMemory(device_, memory_, nullptr);
    if (buffer_) vkDestroyBuffer(device_, buffer_, nullptr);
  }
  // Empty string on success, else why not (skip reasons start with "skip: ").
  std::string import(const Device& device, const InteropHandles& h) {
    device_ = device.get();
    if (!(device.memory_type_flags(h.memory_type_index) & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT)) {
      ::close(h.memory_fd);
      return "skip: the interop memory is not host-visible on this device, so the test cannot write it";
    }
    VkExternalMemoryBufferCreateInfo external{VK_STRUCTURE_TYPE_EXTERNAL_MEMORY_BUFFER_CREATE_INFO};
    external.handleTypes = VK_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_FD_BIT;
    VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
    info.pNext = &external;
    info.size = h.buffer_bytes;
    info.usage = VK_BUFFER_USAGE_TRANSFER_SRC_BIT;
    if (vkCreateBuffer(device_, &info, nullptr, &buffer_) != VK_SUCCESS) return "vkCreateBuffer failed";
    VkImportMemoryFdInfoKHR import{VK_STRUCTURE_TYPE_IMPORT_MEMORY_FD_INFO_KHR};
    import.handleType = VK_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_FD_BIT;
    import.fd = h.memory_fd;
    VkMemoryDedicatedAllocateInfo dedicated{VK_STRUCTURE_TYPE_MEMORY_DEDICATED_ALLOCATE_INFO};
    dedicated.buffer = buffer_;
    if (h.dedicated) import.pNext = &dedicated;
    VkMemoryAllocateInfo alloc{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
    alloc.pNext = &import;
    alloc.allocationSize = h.allocation_size;
    alloc.memoryTypeIndex = h.memory_type_index;
    if (vkAllocateMemory(device_, &alloc, nullptr, &memory_) != VK_SUCCESS) {
      ::close(h.memory_fd);
      return "importing the memory fd failed";
    }
    if (vkBindBufferMemory(device_, buffer_, memory_, 0) != VK_SUCCESS) return "vkBindBufferMemory failed";
    if (vkMapMemory(device_, memory_, 0, VK_WHOLE_SIZE, 0, &mapped_) != VK_SUCCESS) return "vkMapMemory failed";
    return {};
  }
  void* mapped() const { return mapped_; }

 private:
  VkDevice device_ = VK_NULL_HANDLE;
  VkBuffer buffer_ = VK_NULL_HANDLE;
  VkDeviceMemory memory_ = VK_NULL_HANDLE;
  void* mapped_ = nullptr;
};

class InteropTest : public PresenterFixture {
 protected:
  // One producer frame: ticket, write, host signal, publish.
  void produce(InteropTarget& target, ImportedBuffer& shared, const std::vector<uint8_t>& rgba, uint64_t frame) {
    std::optional<FrameTicket> ticket = target.try_begin_frame();
    ASSERT_TRUE(ticket) << "the previous frame was consumed, so a new one may start";
    EXPECT_EQ(ticket->frame, frame);
    EXPECT_EQ(ticket->wait_value, 2 * frame - 2);
    EXPECT_EQ(ticket->signal_value, 2 * frame - 1);
    EXPECT_FALSE(target.try_begin_frame()) << "one frame at a time";
    std::memcpy(shared.mapped(), rgba.data(), rgba.size());
    VkSemaphoreSignalInfo signal{VK_STRUCTURE_TYPE_SEMAPHORE_SIGNAL_INFO};
    signal.semaphore = target.timeline();
    signal.value = ticket->signal_value;
    ASSERT_EQ(vkSignalSemaphore(presenter_->device().get(), &signal), VK_SUCCESS);
    target.publish(*ticket);
  }
};

TEST_F(InteropTest, SemaphoreExportNeedsTheExtension) {
  auto target = presenter_->interop_target({16, 16, InteropFormat::kRgba8, /*export_semaphore=*/true});
  if (presenter_->device_capabilities().external_semaphore_fd) {
    EXPECT_TRUE(target.ok()) << target.error().message;
  } else {
    ASSERT_FALSE(target.ok());
    EXPECT_EQ(target.error().kind, ErrorKind::kNotSupported);
    EXPECT_NE(target.error().message.find("VK_KHR_external_semaphore_fd"), std::string::npos)
        << target.error().message;
  }
}

TEST_F(InteropTest, BadSizesAreErrors) {
  auto zero = presenter_->interop_target({0, 16, InteropFormat::kRgba8, false});
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(zero.error().kind, ErrorKind::kInvalidArgument);
  const uint32_t limit = presenter_->device_capabilities().max_image_dimension_2d;
  auto huge = presenter_->interop_target({16, limit + 1, InteropFormat::kRgba32F, false});
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.error().kind, ErrorKind::kNotSupported);
}

TEST_F(InteropTest, FramesWrittenThroughExportedMemoryAreShown) {
  if (!presenter_->device_capabilities().external_memory_fd)
    GTEST_SKIP() << presenter_->device_capabilities().name << " lacks VK_KHR_external_memory_fd";
  const uint32_t w = 23, h = 17;
  auto made = presenter_->interop_target({w, h, InteropFormat::kRgba8, /*export_semaphore=*/false});
  ASSERT_TRUE(made.ok()) << made.error().message;
  InteropTarget& target = **made;
  auto handles = target.export_handles();
  ASSERT_TRUE(handles.ok()) << handles.error().message;
  EXPECT_EQ(handles->row_pitch, w * 4u);
  EXPECT_EQ(handles->semaphore_fd, -1);
  EXPECT_GE(handles->allocation_size, handles->buffer_bytes);
  ImportedBuffer shared;
  const std::string why = shared.import(presenter_->device(), *handles);
  if (why.rfind("skip: ", 0) == 0) GTEST_SKIP() << why.substr(6);
  ASSERT_TRUE(why.empty()) << why;
  ASSERT_TRUE(presenter_->set_view({ViewMode::kOneToOne}).ok());

  for (uint64_t frame = 1; frame <= 3; ++frame) {
    SCOPED_TRACE("frame " + std::to_string(frame));
    const auto rgba = pattern_u8(w, h, 4, 100 + static_cast<uint32_t>(frame));
    produce(target, shared, rgba, frame);
    const HostImage as_host{rgba.data(), w, h, PixelFormat::kRgba8};
    render_and_compare(stored(as_host), 30, 20, 0);
    uint64_t value = 0;
    ASSERT_EQ(vkGetSemaphoreCounterValue(presenter_->device().get(), target.timeline(), &value), VK_SUCCESS);
    EXPECT_EQ(value, 2 * frame) << "the presenter signalled that it consumed the frame";
    // Rendering again without a new frame keeps showing this one (and waits on nothing).
    render_and_compare(stored(as_host), 30, 20, 0);
  }

  // A host upload after the interop frames is shown; a later interop frame wins again.
  const auto host_pixels = pattern_u8(9, 9, 4, 200);
  const HostImage host{host_pixels.data(), 9, 9, PixelFormat::kRgba8};
  ASSERT_TRUE(presenter_->upload(host).ok());
  render_and_compare(stored(host), 30, 20, 0);
  const auto last = pattern_u8(w, h, 4, 300);
  produce(target, shared, last, 4);
  const HostImage last_as_host{last.data(), w, h, PixelFormat::kRgba8};
  render_and_compare(stored(last_as_host), 30, 20, 0);
}

TEST_F(InteropTest, AbandonedTicketFreesTheProducer) {
  auto made = presenter_->interop_target({8, 8, InteropFormat::kRgba32F, false});
  ASSERT_TRUE(made.ok()) << made.error().message;
  InteropTarget& target = **made;
  auto ticket = target.try_begin_frame();
  ASSERT_TRUE(ticket);
  EXPECT_FALSE(target.try_begin_frame());
  target.abandon(*ticket);
  auto again = target.try_begin_frame();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->frame, 1u) << "nothing was published";
  target.abandon(*again);
  // Nothing published: rendering shows no image and waits for nothing.
  const std::vector<uint8_t> got = render(*presenter_, 4, 4);
  ASSERT_EQ(got.size(), 64u);
  EXPECT_EQ(got[0], 51);
}

}  // namespace
}  // namespace dc::gpu::vulkan::test
