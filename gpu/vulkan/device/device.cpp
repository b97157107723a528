#include "gpu/vulkan/device/device.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <vector>

#include "gpu/vulkan/common/vk_check.h"

namespace dc::gpu::vulkan {
namespace {

struct Candidate {
  VkPhysicalDevice physical = VK_NULL_HANDLE;
  uint32_t queue_family = 0;
  DeviceCapabilities caps;
  std::vector<std::string> extensions;
  std::string unusable;  // why it cannot host a presenter; empty when it can
};

int type_rank(VkPhysicalDeviceType type) {
  switch (type) {
    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU: return 4;
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: return 3;
    case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU: return 2;
    case VK_PHYSICAL_DEVICE_TYPE_CPU: return 1;
    default: return 0;
  }
}

bool has(const std::vector<std::string>& names, const char* name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

Candidate inspect(VkPhysicalDevice physical) {
  Candidate c;
  c.physical = physical;
  VkPhysicalDeviceIDProperties id{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_ID_PROPERTIES};
  VkPhysicalDeviceProperties2 props{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2};
  props.pNext = &id;
  vkGetPhysicalDeviceProperties2(physical, &props);
  c.caps.name = props.properties.deviceName;
  std::memcpy(c.caps.uuid.data(), id.deviceUUID, VK_UUID_SIZE);
  c.caps.type = props.properties.deviceType;
  c.caps.max_image_dimension_2d = props.properties.limits.maxImageDimension2D;

  uint32_t count = 0;
  vkEnumerateDeviceExtensionProperties(physical, nullptr, &count, nullptr);
  std::vector<VkExtensionProperties> exts(count);
  vkEnumerateDeviceExtensionProperties(physical, nullptr, &count, exts.data());
  for (const auto& e : exts) c.extensions.emplace_back(e.extensionName);

  if (props.properties.apiVersion < VK_API_VERSION_1_2) {
    c.unusable = "supports Vulkan " + std::to_string(VK_API_VERSION_MAJOR(props.properties.apiVersion)) + "." +
                 std::to_string(VK_API_VERSION_MINOR(props.properties.apiVersion)) + " (< 1.2)";
    return c;
  }
  VkPhysicalDeviceVulkan12Features f12{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES};
  VkPhysicalDeviceFeatures2 features{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2};
  features.pNext = &f12;
  vkGetPhysicalDeviceFeatures2(physical, &features);
  if (!f12.timelineSemaphore) {
    c.unusable = "has no timeline semaphores";
    return c;
  }
  vkGetPhysicalDeviceQueueFamilyProperties(physical, &count, nullptr);
  std::vector<VkQueueFamilyProperties> families(count);
  vkGetPhysicalDeviceQueueFamilyProperties(physical, &count, families.data());
  for (uint32_t i = 0; i < count; ++i) {
    if (families[i].queueFlags & VK_QUEUE_GRAPHICS_BIT) {  // graphics queues also do transfers
      c.queue_family = i;
      return c;
    }
  }
  c.unusable = "has no graphics queue";
  return c;
}

}  // namespace

std::string uuid_string(const DeviceUuid& uuid) {
  std::string s;
  char hex[3];
  for (size_t i = 0; i < uuid.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s += '-';
    std::snprintf(hex, sizeof hex, "%02x", uuid[i]);
    s += hex;
  }
  return s;
}

Result<std::unique_ptr<Device>> Device::create(const Instance& instance, const DeviceOptions& options) {
  uint32_t count = 0;
  DC_VK_TRY_STATUS(vk_check(vkEnumeratePhysicalDevices(instance.get(), &count, nullptr), "vkEnumeratePhysicalDevices"));
  if (count == 0)
    return Error::not_supported("no Vulkan device found (install a driver, e.g. mesa-vulkan-drivers for lavapipe)");
  std::vector<VkPhysicalDevice> physicals(count);
  DC_VK_TRY_STATUS(
      vk_check(vkEnumeratePhysicalDevices(instance.get(), &count, physicals.data()), "vkEnumeratePhysicalDevices"));

  const Candidate* best = nullptr;
  std::vector<Candidate> candidates;
  for (VkPhysicalDevice p : physicals) candidates.push_back(inspect(p));
  std::string seen;
  for (const Candidate& c : candidates) {
    seen += "\n  " + c.caps.name + " (uuid " + uuid_string(c.caps.uuid) + ")" +
            (c.unusable.empty() ? "" : ": " + c.unusable);
    if (!c.unusable.empty()) continue;
    if (options.swapchain && !has(c.extensions, VK_KHR_SWAPCHAIN_EXTENSION_NAME)) continue;
    if (options.uuid && c.caps.uuid != *options.uuid) continue;
    if (!best || type_rank(c.caps.type) > type_rank(best->caps.type)) best = &c;
  }
  if (!best) {
    std::string want = options.uuid ? "with uuid " + uuid_string(*options.uuid) : "usable";
    if (options.swapchain) want += " with VK_KHR_swapchain";
    return Error::not_supported("no Vulkan device " + want + " (needs Vulkan 1.2, timeline semaphores and a graphics "
                                "queue); devices seen:" + seen);
  }

  std::unique_ptr<Device> device(new Device());
  device->instance_ = instance.get();
  device->physical_ = best->physical;
  device->queue_family_ = best->queue_family;
  device->capabilities_ = best->caps;
  vkGetPhysicalDeviceMemoryProperties(best->physical, &device->memory_);

  std::vector<const char*> extensions;
  if (options.swapchain) {
    extensions.push_back(VK_KHR_SWAPCHAIN_EXTENSION_NAME);
    device->capabilities_.swapchain = true;
  }
  // Interop extensions are enabled whenever present so any presenter can export to CUDA.
  if (has(best->extensions, VK_KHR_EXTERNAL_MEMORY_FD_EXTENSION_NAME)) {
    extensions.push_back(VK_KHR_EXTERNAL_MEMORY_FD_EXTENSION_NAME);
    device->capabilities_.external_memory_fd = true;
  }
  if (has(best->extensions, VK_KHR_EXTERNAL_SEMAPHORE_FD_EXTENSION_NAME)) {
    extensions.push_back(VK_KHR_EXTERNAL_SEMAPHORE_FD_EXTENSION_NAME);
    device->capabilities_.external_semaphore_fd = true;
  }

  const float priority = 1.0f;
  VkDeviceQueueCreateInfo queue_info{VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO};
  queue_info.queueFamilyIndex = best->queue_family;
  queue_info.queueCount = 1;
  queue_info.pQueuePriorities = &priority;
  VkPhysicalDeviceVulkan12Features f12{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES};
  f12.timelineSemaphore = VK_TRUE;
  VkDeviceCreateInfo info{VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO};
  info.pNext = &f12;
  info.queueCreateInfoCount = 1;
  info.pQueueCreateInfos = &queue_info;
  info.enabledExtensionCount = static_cast<uint32_t>(extensions.size());
  info.ppEnabledExtensionNames = extensions.data();
  DC_VK_TRY_STATUS(vk_check(vkCreateDevice(best->physical, &info, nullptr, &device->device_),
                            ("vkCreateDevice on " + best->caps.name).c_str()));
  vkGetDeviceQueue(device->device_, best->queue_family, 0, &device->queue_);
  return device;
}

Device::~Device() {
  if (device_ != VK_NULL_HANDLE) {
    vkDeviceWaitIdle(device_);
    vkDestroyDevice(device_, nullptr);
  }
}

Result<uint32_t> Device::find_memory_type(uint32_t type_bits, VkMemoryPropertyFlags required,
                                          VkMemoryPropertyFlags preferred) const {
  int fallback = -1;
  for (uint32_t i = 0; i < memory_.memoryTypeCount; ++i) {
    if (!(type_bits & (1u << i))) continue;
    const VkMemoryPropertyFlags flags = memory_.memoryTypes[i].propertyFlags;
    if ((flags & required) != required) continue;
    if ((flags & preferred) == preferred) return i;
    if (fallback < 0) fallback = static_cast<int>(i);
  }
  if (fallback >= 0) return static_cast<uint32_t>(fallback);
  char text[96];
  std::snprintf(text, sizeof text, "no Vulkan memory type with property flags 0x%x among allowed types 0x%x",
                static_cast<unsigned>(required), static_cast<unsigned>(type_bits));
  return Error::not_supported(text + (" on " + capabilities_.name));
}

VkMemoryPropertyFlags Device::memory_type_flags(uint32_t type_index) const {
  return type_index < memory_.memoryTypeCount ? memory_.memoryTypes[type_index].propertyFlags : 0;
}

}  // namespace dc::gpu::vulkan
