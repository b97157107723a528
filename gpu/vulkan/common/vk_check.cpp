#include "gpu/vulkan/common/vk_check.h"

#include <string>

namespace dc::gpu::vulkan {

const char* vk_result_name(VkResult result) {
  switch (result) {
#define DC_VK_NAME(code) \
  case code:             \
    return #code;
    DC_VK_NAME(VK_SUCCESS)
    DC_VK_NAME(VK_NOT_READY)
    DC_VK_NAME(VK_TIMEOUT)
    DC_VK_NAME(VK_EVENT_SET)
    DC_VK_NAME(VK_EVENT_RESET)
    DC_VK_NAME(VK_INCOMPLETE)
    DC_VK_NAME(VK_SUBOPTIMAL_KHR)
    DC_VK_NAME(VK_ERROR_OUT_OF_HOST_MEMORY)
    DC_VK_NAME(VK_ERROR_OUT_OF_DEVICE_MEMORY)
    DC_VK_NAME(VK_ERROR_INITIALIZATION_FAILED)
    DC_VK_NAME(VK_ERROR_DEVICE_LOST)
    DC_VK_NAME(VK_ERROR_MEMORY_MAP_FAILED)
    DC_VK_NAME(VK_ERROR_LAYER_NOT_PRESENT)
    DC_VK_NAME(VK_ERROR_EXTENSION_NOT_PRESENT)
    DC_VK_NAME(VK_ERROR_FEATURE_NOT_PRESENT)
    DC_VK_NAME(VK_ERROR_INCOMPATIBLE_DRIVER)
    DC_VK_NAME(VK_ERROR_TOO_MANY_OBJECTS)
    DC_VK_NAME(VK_ERROR_FORMAT_NOT_SUPPORTED)
    DC_VK_NAME(VK_ERROR_FRAGMENTED_POOL)
    DC_VK_NAME(VK_ERROR_OUT_OF_POOL_MEMORY)
    DC_VK_NAME(VK_ERROR_INVALID_EXTERNAL_HANDLE)
    DC_VK_NAME(VK_ERROR_SURFACE_LOST_KHR)
    DC_VK_NAME(VK_ERROR_NATIVE_WINDOW_IN_USE_KHR)
    DC_VK_NAME(VK_ERROR_OUT_OF_DATE_KHR)
#undef DC_VK_NAME
    default:
      return nullptr;
  }
}

Status vk_check(VkResult result, const char* what) {
  if (result >= 0) return {};
  const char* name = vk_result_name(result);
  std::string message = std::string(what) + " failed: " +
                        (name ? std::string(name) : "VkResult(" + std::to_string(static_cast<int>(result)) + ")");
  switch (result) {
    case VK_ERROR_OUT_OF_HOST_MEMORY:
    case VK_ERROR_OUT_OF_DEVICE_MEMORY:
    case VK_ERROR_OUT_OF_POOL_MEMORY:
      return Error::out_of_memory(std::move(message));
    case VK_ERROR_DEVICE_LOST:
      return Error{ErrorKind::kDeviceLost, std::move(message)};
    case VK_ERROR_LAYER_NOT_PRESENT:
    case VK_ERROR_EXTENSION_NOT_PRESENT:
    case VK_ERROR_FEATURE_NOT_PRESENT:
    case VK_ERROR_INCOMPATIBLE_DRIVER:
    case VK_ERROR_FORMAT_NOT_SUPPORTED:
      return Error::not_supported(std::move(message));
    default:
      return Error::internal(std::move(message));
  }
}

}  // namespace dc::gpu::vulkan
