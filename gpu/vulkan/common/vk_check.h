// VkResult -> Status: the one place Vulkan error codes become our errors.
//
//   DC_VK_TRY_STATUS(vk_check(vkCreateBuffer(device, &info, nullptr, &buffer), "vkCreateBuffer"));
#pragma once

#include <vulkan/vulkan.h>

#include "gpu/vulkan/common/result.h"

namespace dc::gpu::vulkan {

// "VK_ERROR_OUT_OF_DEVICE_MEMORY" etc.; "VkResult(<n>)" for codes this build does not name.
const char* vk_result_name(VkResult result);

// OK for VK_SUCCESS (and the other non-negative codes), else an Error naming `what`
// with the kind the code implies (out of memory, device lost, not supported, internal).
Status vk_check(VkResult result, const char* what);

}  // namespace dc::gpu::vulkan
