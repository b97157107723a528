#include "gpu/vulkan/device/memory.h"

#include <string>

#include "gpu/vulkan/common/vk_check.h"

namespace dc::gpu::vulkan {
namespace {

constexpr VkExternalMemoryHandleTypeFlagBits kOpaqueFd = VK_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_FD_BIT;

Status check_exportable(const Device& device, VkBufferUsageFlags usage) {
  if (!device.capabilities().external_memory_fd)
    return Error::not_supported(device.capabilities().name + " lacks VK_KHR_external_memory_fd (memory export)");
  VkPhysicalDeviceExternalBufferInfo info{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_EXTERNAL_BUFFER_INFO};
  info.usage = usage;
  info.handleType = kOpaqueFd;
  VkExternalBufferProperties props{VK_STRUCTURE_TYPE_EXTERNAL_BUFFER_PROPERTIES};
  vkGetPhysicalDeviceExternalBufferProperties(device.physical(), &info, &props);
  if (!(props.externalMemoryProperties.externalMemoryFeatures & VK_EXTERNAL_MEMORY_FEATURE_EXPORTABLE_BIT))
    return Error::not_supported(device.capabilities().name + " cannot export buffer memory as an opaque fd");
  return {};
}

}  // namespace

Result<Buffer> Buffer::create(const Device& device, const BufferSpec& spec) {
  if (spec.size == 0) return Error::invalid_argument("buffer of 0 bytes");
  if (spec.exportable) DC_VK_TRY_STATUS(check_exportable(device, spec.usage));
  VkDevice dev = device.get();
  Buffer b;
  b.size_ = spec.size;

  VkExternalMemoryBufferCreateInfo external{VK_STRUCTURE_TYPE_EXTERNAL_MEMORY_BUFFER_CREATE_INFO};
  external.handleTypes = kOpaqueFd;
  VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
  info.pNext = spec.exportable ? &external : nullptr;
  info.size = spec.size;
  info.usage = spec.usage;
  info.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
  VkBuffer raw = VK_NULL_HANDLE;
  DC_VK_TRY_STATUS(vk_check(vkCreateBuffer(dev, &info, nullptr, &raw), "vkCreateBuffer"));
  b.buffer_ = UniqueBuffer(dev, raw);

  VkMemoryDedicatedRequirements dedicated_req{VK_STRUCTURE_TYPE_MEMORY_DEDICATED_REQUIREMENTS};
  VkMemoryRequirements2 req{VK_STRUCTURE_TYPE_MEMORY_REQUIREMENTS_2};
  req.pNext = &dedicated_req;
  VkBufferMemoryRequirementsInfo2 req_info{VK_STRUCTURE_TYPE_BUFFER_MEMORY_REQUIREMENTS_INFO_2};
  req_info.buffer = raw;
  vkGetBufferMemoryRequirements2(dev, &req_info, &req);
  DC_VK_TRY(b.memory_type_, device.find_memory_type(req.memoryRequirements.memoryTypeBits, spec.required,
                                                    spec.preferred));
  // Exported memory goes alone into its allocation when the driver asks, and CUDA must be told.
  b.dedicated_ = spec.exportable && (dedicated_req.prefersDedicatedAllocation || dedicated_req.requiresDedicatedAllocation);

  VkExportMemoryAllocateInfo export_info{VK_STRUCTURE_TYPE_EXPORT_MEMORY_ALLOCATE_INFO};
  export_info.handleTypes = kOpaqueFd;
  VkMemoryDedicatedAllocateInfo dedicated_info{VK_STRUCTURE_TYPE_MEMORY_DEDICATED_ALLOCATE_INFO};
  dedicated_info.buffer = raw;
  VkMemoryAllocateInfo alloc{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
  alloc.allocationSize = req.memoryRequirements.size;
  alloc.memoryTypeIndex = b.memory_type_;
  if (spec.exportable) {
    alloc.pNext = &export_info;
    if (b.dedicated_) export_info.pNext = &dedicated_info;
  }
  VkDeviceMemory memory = VK_NULL_HANDLE;
  DC_VK_TRY_STATUS(vk_check(vkAllocateMemory(dev, &alloc, nullptr, &memory),
                            ("vkAllocateMemory (" + std::to_string(alloc.allocationSize) + " bytes)").c_str()));
  b.memory_ = UniqueMemory(dev, memory);
  b.allocation_size_ = alloc.allocationSize;
  DC_VK_TRY_STATUS(vk_check(vkBindBufferMemory(dev, raw, memory, 0), "vkBindBufferMemory"));
  if (device.memory_type_flags(b.memory_type_) & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT)
    DC_VK_TRY_STATUS(vk_check(vkMapMemory(dev, memory, 0, VK_WHOLE_SIZE, 0, &b.mapped_), "vkMapMemory"));
  return b;
}

Result<Image> Image::create(const Device& device, const ImageSpec& spec) {
  const uint32_t limit = device.capabilities().max_image_dimension_2d;
  if (spec.width == 0 || spec.height == 0)
    return Error::invalid_argument("image of " + std::to_string(spec.width) + "x" + std::to_string(spec.height) +
                                   " pixels (width and height must be positive)");
  if (spec.width > limit || spec.height > limit)
    return Error::not_supported("image of " + std::to_string(spec.width) + "x" + std::to_string(spec.height) +
                                " pixels exceeds this device's largest 2D image side (" + std::to_string(limit) +
                                ", maxImageDimension2D of " + device.capabilities().name + ")");
  VkDevice dev = device.get();
  Image img;
  img.width_ = spec.width;
  img.height_ = spec.height;
  img.format_ = spec.format;

  VkImageCreateInfo info{VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO};
  info.imageType = VK_IMAGE_TYPE_2D;
  info.format = spec.format;
  info.extent = {spec.width, spec.height, 1};
  info.mipLevels = 1;
  info.arrayLayers = 1;
  info.samples = VK_SAMPLE_COUNT_1_BIT;
  info.tiling = VK_IMAGE_TILING_OPTIMAL;
  info.usage = spec.usage;
  info.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
  info.initialLayout = VK_IMAGE_LAYOUT_UNDEFINED;
  VkImage raw = VK_NULL_HANDLE;
  DC_VK_TRY_STATUS(vk_check(vkCreateImage(dev, &info, nullptr, &raw), "vkCreateImage"));
  img.image_ = UniqueImage(dev, raw);

  VkMemoryRequirements req;
  vkGetImageMemoryRequirements(dev, raw, &req);
  DC_VK_TRY(uint32_t type, device.find_memory_type(req.memoryTypeBits, 0, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT));
  VkMemoryAllocateInfo alloc{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
  alloc.allocationSize = req.size;
  alloc.memoryTypeIndex = type;
  VkDeviceMemory memory = VK_NULL_HANDLE;
  DC_VK_TRY_STATUS(vk_check(vkAllocateMemory(dev, &alloc, nullptr, &memory),
                            ("vkAllocateMemory for a " + std::to_string(spec.width) + "x" +
                             std::to_string(spec.height) + " image").c_str()));
  img.memory_ = UniqueMemory(dev, memory);
  DC_VK_TRY_STATUS(vk_check(vkBindImageMemory(dev, raw, memory, 0), "vkBindImageMemory"));

  VkImageViewCreateInfo view{VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO};
  view.image = raw;
  view.viewType = VK_IMAGE_VIEW_TYPE_2D;
  view.format = spec.format;
  view.subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1};
  VkImageView raw_view = VK_NULL_HANDLE;
  DC_VK_TRY_STATUS(vk_check(vkCreateImageView(dev, &view, nullptr, &raw_view), "vkCreateImageView"));
  img.view_ = UniqueImageView(dev, raw_view);
  return img;
}

Result<int> export_memory_fd(const Device& device, VkDeviceMemory memory) {
  auto get_fd = reinterpret_cast<PFN_vkGetMemoryFdKHR>(vkGetDeviceProcAddr(device.get(), "vkGetMemoryFdKHR"));
  if (!get_fd) return Error::not_supported("vkGetMemoryFdKHR is unavailable (VK_KHR_external_memory_fd not enabled)");
  VkMemoryGetFdInfoKHR info{VK_STRUCTURE_TYPE_MEMORY_GET_FD_INFO_KHR};
  info.memory = memory;
  info.handleType = kOpaqueFd;
  int fd = -1;
  DC_VK_TRY_STATUS(vk_check(get_fd(device.get(), &info, &fd), "vkGetMemoryFdKHR"));
  return fd;
}

}  // namespace dc::gpu::vulkan
