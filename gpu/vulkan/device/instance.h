// The Vulkan instance of a presenter: loader entry, optional Khronos validation
// layer whose messages are collected (tests fail on any error), and the surface
// extensions a window system needs (the UI passes them; this library never
// creates windows).
//
//   InstanceOptions o;
//   o.validation = Validation::kRequired;
//   DC_VK_TRY(auto instance, Instance::create(o));
//   ... ; EXPECT_TRUE(instance->validation_errors().empty());
#pragma once

#include <vulkan/vulkan.h>

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "gpu/vulkan/common/result.h"

namespace dc::gpu::vulkan {

enum class Validation {
  kOff,          // release builds and the app by default
  kIfAvailable,  // on when VK_LAYER_KHRONOS_validation is installed
  kRequired,     // tests: a missing layer is an error
};

enum class MessageSeverity { kInfo, kWarning, kError };

struct InstanceOptions {
  std::string application_name = "DC Studio";
  Validation validation = Validation::kOff;
  // With validation on, also check synchronization hazards (VK_EXT_validation_features).
  bool synchronization_validation = false;
  // Instance extensions the caller needs, e.g. "VK_KHR_surface" and "VK_KHR_xcb_surface" from the
  // window system that will make the surface. Missing ones are an error naming them.
  std::vector<std::string> extensions;
  // Optional sink for validation messages (warnings and errors), called on the driver's thread.
  std::function<void(MessageSeverity, const std::string&)> on_message;
};

class Instance {
 public:
  static Result<std::unique_ptr<Instance>> create(const InstanceOptions& options);
  ~Instance();
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;

  VkInstance get() const { return instance_; }
  bool validation_enabled() const { return messenger_ != VK_NULL_HANDLE; }
  bool has_extension(const std::string& name) const;

  // Validation errors reported so far (messages of error severity), oldest first.
  std::vector<std::string> validation_errors() const;
  void clear_validation_errors();

 private:
  Instance() = default;
  static VKAPI_ATTR VkBool32 VKAPI_CALL on_debug_message(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
                                                         VkDebugUtilsMessageTypeFlagsEXT types,
                                                         const VkDebugUtilsMessengerCallbackDataEXT* data,
                                                         void* user);

  VkInstance instance_ = VK_NULL_HANDLE;
  VkDebugUtilsMessengerEXT messenger_ = VK_NULL_HANDLE;
  std::vector<std::string> extensions_;
  std::function<void(MessageSeverity, const std::string&)> on_message_;
  mutable std::mutex errors_mutex_;
  std::vector<std::string> errors_;
};

}  // namespace dc::gpu::vulkan
