#include "gpu/vulkan/interop/interop_target.h"

#include <unistd.h>

#include <string>

#include "gpu/vulkan/common/vk_check.h"

namespace dc::gpu::vulkan {
namespace {

constexpr VkExternalSemaphoreHandleTypeFlagBits kSemaphoreFd = VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_OPAQUE_FD_BIT;

Status check_semaphore_exportable(const Device& device) {
  const std::string name = device.capabilities().name;
  if (!device.capabilities().external_semaphore_fd)
    return Error::not_supported(name + " lacks VK_KHR_external_semaphore_fd, so CUDA cannot share its semaphores");
  VkSemaphoreTypeCreateInfo type{VK_STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO};
  type.semaphoreType = VK_SEMAPHORE_TYPE_TIMELINE;
  VkPhysicalDeviceExternalSemaphoreInfo info{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_EXTERNAL_SEMAPHORE_INFO};
  info.pNext = &type;
  info.handleType = kSemaphoreFd;
  VkExternalSemaphoreProperties props{VK_STRUCTURE_TYPE_EXTERNAL_SEMAPHORE_PROPERTIES};
  vkGetPhysicalDeviceExternalSemaphoreProperties(device.physical(), &info, &props);
  if (!(props.externalSemaphoreFeatures & VK_EXTERNAL_SEMAPHORE_FEATURE_EXPORTABLE_BIT))
    return Error::not_supported(name + " cannot export timeline semaphores as opaque fds");
  return {};
}

}  // namespace

size_t interop_pixel_bytes(InteropFormat format) { return format == InteropFormat::kRgba32F ? 16 : 4; }

Result<std::unique_ptr<InteropTarget>> InteropTarget::create(const Device& device,
                                                             const InteropTargetOptions& options) {
  const uint32_t limit = device.capabilities().max_image_dimension_2d;
  const std::string size = std::to_string(options.width) + "x" + std::to_string(options.height);
  if (options.width == 0 || options.height == 0)
    return Error::invalid_argument("interop target of " + size + " pixels: width and height must be positive");
  if (options.width > limit || options.height > limit)
    return Error::not_supported("interop target of " + size + " pixels exceeds this device's largest 2D image side (" +
                                std::to_string(limit) + ")");
  if (options.export_semaphore) DC_VK_TRY_STATUS(check_semaphore_exportable(device));

  std::unique_ptr<InteropTarget> t(new InteropTarget());
  t->device_ = &device;
  t->options_ = options;
  const VkDeviceSize bytes =
      static_cast<VkDeviceSize>(options.width) * options.height * interop_pixel_bytes(options.format);
  DC_VK_TRY(t->buffer_, Buffer::create(device, {bytes, VK_BUFFER_USAGE_TRANSFER_SRC_BIT, 0,
                                                VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, /*exportable=*/true}));

  VkExportSemaphoreCreateInfo export_info{VK_STRUCTURE_TYPE_EXPORT_SEMAPHORE_CREATE_INFO};
  export_info.handleTypes = kSemaphoreFd;
  VkSemaphoreTypeCreateInfo type{VK_STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO};
  type.pNext = options.export_semaphore ? &export_info : nullptr;
  type.semaphoreType = VK_SEMAPHORE_TYPE_TIMELINE;
  type.initialValue = 0;
  VkSemaphoreCreateInfo info{VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO};
  info.pNext = &type;
  VkSemaphore semaphore = VK_NULL_HANDLE;
  DC_VK_TRY_STATUS(vk_check(vkCreateSemaphore(device.get(), &info, nullptr, &semaphore), "vkCreateSemaphore"));
  t->timeline_ = UniqueSemaphore(device.get(), semaphore);
  return t;
}

InteropTarget::~InteropTarget() = default;

Result<InteropHandles> InteropTarget::export_handles() const {
  InteropHandles h;
  h.allocation_size = buffer_.allocation_size();
  h.dedicated = buffer_.dedicated();
  h.memory_type_index = buffer_.memory_type();
  h.width = options_.width;
  h.height = options_.height;
  h.format = options_.format;
  h.row_pitch = static_cast<size_t>(options_.width) * interop_pixel_bytes(options_.format);
  h.buffer_bytes = buffer_.size();
  DC_VK_TRY(h.memory_fd, export_memory_fd(*device_, buffer_.memory()));
  if (options_.export_semaphore) {
    auto get_fd =
        reinterpret_cast<PFN_vkGetSemaphoreFdKHR>(vkGetDeviceProcAddr(device_->get(), "vkGetSemaphoreFdKHR"));
    VkSemaphoreGetFdInfoKHR info{VK_STRUCTURE_TYPE_SEMAPHORE_GET_FD_INFO_KHR};
    info.semaphore = timeline_.get();
    info.handleType = kSemaphoreFd;
    const Status s = get_fd ? vk_check(get_fd(device_->get(), &info, &h.semaphore_fd), "vkGetSemaphoreFdKHR")
                            : Status(Error::not_supported("vkGetSemaphoreFdKHR is unavailable"));
    if (!s) {
      ::close(h.memory_fd);
      return s.error();
    }
  }
  return h;
}

std::optional<FrameTicket> InteropTarget::try_begin_frame() {
  if (writing_.exchange(true)) return std::nullopt;  // a frame is already being written
  const uint64_t last = published_.load(std::memory_order_acquire);
  uint64_t value = 0;
  if (vkGetSemaphoreCounterValue(device_->get(), timeline_.get(), &value) != VK_SUCCESS || value < 2 * last) {
    writing_.store(false);
    return std::nullopt;
  }
  const uint64_t k = last + 1;
  return FrameTicket{k, 2 * k - 2, 2 * k - 1};
}

void InteropTarget::publish(const FrameTicket& ticket) {
  published_.store(ticket.frame, std::memory_order_release);
  writing_.store(false, std::memory_order_release);
}

void InteropTarget::abandon(const FrameTicket&) { writing_.store(false, std::memory_order_release); }

std::optional<FrameTicket> InteropTarget::take_published() {
  const uint64_t k = published_.load(std::memory_order_acquire);
  if (k == consumed_) return std::nullopt;
  consumed_ = k;
  return FrameTicket{k, 2 * k - 2, 2 * k - 1};
}

}  // namespace dc::gpu::vulkan
