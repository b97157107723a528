#include "gpu/vulkan/device/instance.h"

#include <algorithm>
#include <cstring>

#include "gpu/vulkan/common/vk_check.h"

namespace dc::gpu::vulkan {
namespace {

constexpr const char* kValidationLayer = "VK_LAYER_KHRONOS_validation";

bool has_layer(const char* name) {
  uint32_t count = 0;
  vkEnumerateInstanceLayerProperties(&count, nullptr);
  std::vector<VkLayerProperties> layers(count);
  vkEnumerateInstanceLayerProperties(&count, layers.data());
  return std::any_of(layers.begin(), layers.end(),
                     [&](const VkLayerProperties& l) { return std::strcmp(l.layerName, name) == 0; });
}

std::vector<std::string> available_extensions(const char* layer) {
  uint32_t count = 0;
  vkEnumerateInstanceExtensionProperties(layer, &count, nullptr);
  std::vector<VkExtensionProperties> props(count);
  vkEnumerateInstanceExtensionProperties(layer, &count, props.data());
  std::vector<std::string> names;
  for (const auto& p : props) names.emplace_back(p.extensionName);
  return names;
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

Result<std::unique_ptr<Instance>> Instance::create(const InstanceOptions& options) {
  uint32_t loader_version = VK_API_VERSION_1_0;
  if (vkEnumerateInstanceVersion(&loader_version) != VK_SUCCESS || loader_version < VK_API_VERSION_1_2)
    return Error::not_supported("the Vulkan loader supports only Vulkan " +
                                std::to_string(VK_API_VERSION_MAJOR(loader_version)) + "." +
                                std::to_string(VK_API_VERSION_MINOR(loader_version)) +
                                "; the preview presenter needs 1.2 or newer");

  bool validation = false;
  if (options.validation != Validation::kOff) {
    validation = has_layer(kValidationLayer);
    if (!validation && options.validation == Validation::kRequired)
      return Error::not_supported(std::string("validation was required but ") + kValidationLayer +
                                  " is not installed (Debian package vulkan-validationlayers)");
  }

  const std::vector<std::string> available = available_extensions(nullptr);
  std::vector<std::string> enabled;
  for (const std::string& e : options.extensions) {
    if (!contains(available, e))
      return Error::not_supported("the Vulkan instance lacks extension " + e + " (requested by the caller)");
    if (!contains(enabled, e)) enabled.push_back(e);
  }
  bool sync_validation = false;
  if (validation) {
    if (!contains(available, VK_EXT_DEBUG_UTILS_EXTENSION_NAME))
      return Error::not_supported("validation needs VK_EXT_debug_utils, which the loader lacks");
    if (!contains(enabled, VK_EXT_DEBUG_UTILS_EXTENSION_NAME)) enabled.push_back(VK_EXT_DEBUG_UTILS_EXTENSION_NAME);
    if (options.synchronization_validation &&
        contains(available_extensions(kValidationLayer), VK_EXT_VALIDATION_FEATURES_EXTENSION_NAME)) {
      enabled.push_back(VK_EXT_VALIDATION_FEATURES_EXTENSION_NAME);
      sync_validation = true;
    }
  }

  std::unique_ptr<Instance> instance(new Instance());
  instance->extensions_ = enabled;
  instance->on_message_ = options.on_message;

  VkApplicationInfo app{VK_STRUCTURE_TYPE_APPLICATION_INFO};
  app.pApplicationName = options.application_name.c_str();
  app.pEngineName = "DC Studio";
  app.apiVersion = VK_API_VERSION_1_2;

  std::vector<const char*> extension_names;
  for (const std::string& e : enabled) extension_names.push_back(e.c_str());
  VkInstanceCreateInfo info{VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO};
  info.pApplicationInfo = &app;
  info.enabledExtensionCount = static_cast<uint32_t>(extension_names.size());
  info.ppEnabledExtensionNames = extension_names.data();
  if (validation) {
    info.enabledLayerCount = 1;
    info.ppEnabledLayerNames = &kValidationLayer;
  }

  // The messenger also listens during vkCreateInstance/vkDestroyInstance through pNext.
  VkDebugUtilsMessengerCreateInfoEXT messenger_info{VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT};
  messenger_info.messageSeverity =
      VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT;
  messenger_info.messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT |
                               VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT |
                               VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT;
  messenger_info.pfnUserCallback = &Instance::on_debug_message;
  messenger_info.pUserData = instance.get();
  const VkValidationFeatureEnableEXT sync_feature = VK_VALIDATION_FEATURE_ENABLE_SYNCHRONIZATION_VALIDATION_EXT;
  VkValidationFeaturesEXT features{VK_STRUCTURE_TYPE_VALIDATION_FEATURES_EXT};
  features.enabledValidationFeatureCount = 1;
  features.pEnabledValidationFeatures = &sync_feature;
  if (validation) {
    info.pNext = &messenger_info;
    if (sync_validation) messenger_info.pNext = &features;
  }

  DC_VK_TRY_STATUS(vk_check(vkCreateInstance(&info, nullptr, &instance->instance_), "vkCreateInstance"));

  if (validation) {
    auto create_messenger = reinterpret_cast<PFN_vkCreateDebugUtilsMessengerEXT>(
        vkGetInstanceProcAddr(instance->instance_, "vkCreateDebugUtilsMessengerEXT"));
    if (!create_messenger) return Error::internal("vkCreateDebugUtilsMessengerEXT is missing despite VK_EXT_debug_utils");
    messenger_info.pNext = nullptr;
    DC_VK_TRY_STATUS(vk_check(create_messenger(instance->instance_, &messenger_info, nullptr, &instance->messenger_),
                              "vkCreateDebugUtilsMessengerEXT"));
  }
  return instance;
}

Instance::~Instance() {
  if (messenger_ != VK_NULL_HANDLE) {
    auto destroy_messenger = reinterpret_cast<PFN_vkDestroyDebugUtilsMessengerEXT>(
        vkGetInstanceProcAddr(instance_, "vkDestroyDebugUtilsMessengerEXT"));
    if (destroy_messenger) destroy_messenger(instance_, messenger_, nullptr);
  }
  if (instance_ != VK_NULL_HANDLE) vkDestroyInstance(instance_, nullptr);
}

bool Instance::has_extension(const std::string& name) const { return contains(extensions_, name); }

std::vector<std::string> Instance::validation_errors() const {
  std::lock_guard<std::mutex> lock(errors_mutex_);
  return errors_;
}

void Instance::clear_validation_errors() {
  std::lock_guard<std::mutex> lock(errors_mutex_);
  errors_.clear();
}

VKAPI_ATTR VkBool32 VKAPI_CALL Instance::on_debug_message(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
                                                          VkDebugUtilsMessageTypeFlagsEXT,
                                                          const VkDebugUtilsMessengerCallbackDataEXT* data,
                                                          void* user) {
  auto* self = static_cast<Instance*>(user);
  const std::string text = data && data->pMessage ? data->pMessage : "(no message)";
  const MessageSeverity level = (severity & VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT) ? MessageSeverity::kError
                                : (severity & VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT)
                                    ? MessageSeverity::kWarning
                                    : MessageSeverity::kInfo;
  if (level == MessageSeverity::kError) {
    std::lock_guard<std::mutex> lock(self->errors_mutex_);
    self->errors_.push_back(text);
  }
  if (self->on_message_) self->on_message_(level, text);
  return VK_FALSE;  // never abort the call: the test decides what an error means
}

}  // namespace dc::gpu::vulkan
