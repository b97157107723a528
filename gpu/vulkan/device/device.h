// Physical device selection and the logical device of a presenter: one queue that
// does graphics and transfer, timeline semaphores, and the interop/swapchain
// extensions when the device has them.
//
//   DeviceOptions o;
//   o.uuid = cuda_device_uuid;     // interop: the Vulkan device must be the CUDA device
//   DC_VK_TRY(auto device, Device::create(*instance, o));
#pragma once

#include <vulkan/vulkan.h>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "gpu/vulkan/common/result.h"
#include "gpu/vulkan/device/instance.h"

namespace dc::gpu::vulkan {

using DeviceUuid = std::array<uint8_t, VK_UUID_SIZE>;

struct DeviceOptions {
  // Use the device with this UUID (VkPhysicalDeviceIDProperties::deviceUUID, equal to CUDA's
  // cudaDeviceProp::uuid for the same GPU). Unset: the best device (discrete > integrated >
  // virtual > CPU, e.g. Mesa lavapipe).
  std::optional<DeviceUuid> uuid;
  bool swapchain = false;  // enable VK_KHR_swapchain; a device without it is an error
};

struct DeviceCapabilities {
  std::string name;
  DeviceUuid uuid{};
  VkPhysicalDeviceType type = VK_PHYSICAL_DEVICE_TYPE_OTHER;
  uint32_t max_image_dimension_2d = 0;
  bool swapchain = false;              // VK_KHR_swapchain enabled
  bool external_memory_fd = false;     // VK_KHR_external_memory_fd enabled (export to CUDA)
  bool external_semaphore_fd = false;  // VK_KHR_external_semaphore_fd enabled
};

class Device {
 public:
  static Result<std::unique_ptr<Device>> create(const Instance& instance, const DeviceOptions& options);
  ~Device();
  Device(const Device&) = delete;
  Device& operator=(const Device&) = delete;

  VkInstance instance() const { return instance_; }
  VkPhysicalDevice physical() const { return physical_; }
  VkDevice get() const { return device_; }
  VkQueue queue() const { return queue_; }
  uint32_t queue_family() const { return queue_family_; }
  const DeviceCapabilities& capabilities() const { return capabilities_; }

  // A memory type in `type_bits` with all `required` flags, preferring one that also has
  // `preferred` (e.g. DEVICE_LOCAL for interop buffers that lavapipe keeps in host memory).
  Result<uint32_t> find_memory_type(uint32_t type_bits, VkMemoryPropertyFlags required,
                                    VkMemoryPropertyFlags preferred = 0) const;
  VkMemoryPropertyFlags memory_type_flags(uint32_t type_index) const;

 private:
  Device() = default;

  VkInstance instance_ = VK_NULL_HANDLE;
  VkPhysicalDevice physical_ = VK_NULL_HANDLE;
  VkDevice device_ = VK_NULL_HANDLE;
  VkQueue queue_ = VK_NULL_HANDLE;
  uint32_t queue_family_ = 0;
  VkPhysicalDeviceMemoryProperties memory_{};
  DeviceCapabilities capabilities_;
};

// "0123abcd-..." for messages.
std::string uuid_string(const DeviceUuid& uuid);

}  // namespace dc::gpu::vulkan
