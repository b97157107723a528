// FrameRenderer over gpu/vulkan's Presenter: the image is uploaded once (RGB8,
// shown as stored), each frame is rendered into an offscreen target of the
// widget's size and read back. Built only with gpu/vulkan (DC_UI_HAVE_VULKAN).
#include "ui/viewport/frame_renderer.h"

#ifdef DC_UI_HAVE_VULKAN

#include <cstring>

#include "gpu/vulkan/present/presenter.h"
#include "ui/viewport/host_image_from_qimage.h"

namespace dc::ui {
namespace {

namespace vk = gpu::vulkan;

Error to_error(const vk::Error& e) {
  switch (e.kind) {
    case vk::ErrorKind::kInvalidArgument: return Error::invalid_argument("Vulkan viewport: " + e.message);
    case vk::ErrorKind::kNotSupported: return Error::not_supported("Vulkan viewport: " + e.message);
    case vk::ErrorKind::kOutOfMemory: return Error::out_of_memory("Vulkan viewport: " + e.message);
    default: return Error::internal("Vulkan viewport: " + e.message);
  }
}

class VulkanFrameRenderer : public FrameRenderer {
 public:
  explicit VulkanFrameRenderer(std::unique_ptr<vk::Presenter> presenter) : presenter_(std::move(presenter)) {}

  QString description() const override {
    return QStringLiteral("Vulkan: %1").arg(QString::fromStdString(presenter_->device_capabilities().name));
  }

  Status setImage(const QImage& image) override {
    image_ = image.convertToFormat(QImage::Format_RGB888);  // kept: rows are read at upload
    const vk::Status s = presenter_->upload(host_image_from(image_));
    if (!s) return to_error(s.error());
    return ok_status();
  }

  Result<QImage> render(const FrameRequest& r) override {
    if (r.target.isEmpty()) return QImage();
    const auto w = static_cast<uint32_t>(r.target.width()), h = static_cast<uint32_t>(r.target.height());
    if (!target_ || target_->width() != w || target_->height() != h) {
      target_.reset();
      auto created = presenter_->create_offscreen_target(w, h);
      if (!created) return to_error(created.error());
      target_ = std::move(*created);
    }
    presenter_->set_filter(r.smooth ? vk::Filter::kLinear : vk::Filter::kNearest);
    const vk::Status view = presenter_->set_view({vk::ViewMode::kZoom, static_cast<float>(r.zoom),
                                                  static_cast<float>(r.pan.x()), static_cast<float>(r.pan.y())});
    if (!view) return to_error(view.error());
    const vk::Status drawn = presenter_->render_offscreen(*target_);
    if (!drawn) return to_error(drawn.error());
    auto rgba = target_->read_back();
    if (!rgba) return to_error(rgba.error());
    QImage frame(static_cast<int>(w), static_cast<int>(h), QImage::Format_RGBA8888);
    for (uint32_t y = 0; y < h; ++y)
      std::memcpy(frame.scanLine(static_cast<int>(y)), rgba->data() + size_t(y) * w * 4, size_t(w) * 4);
    return frame;
  }

 private:
  std::unique_ptr<vk::Presenter> presenter_;
  std::unique_ptr<vk::OffscreenTarget> target_;  // destroyed before the presenter
  QImage image_;
};

}  // namespace

std::unique_ptr<FrameRenderer> make_gpu_frame_renderer(QString* why_not) {
  vk::PresenterOptions options;
  // The viewport's QPainter background (#1e1e22), so both paths look alike.
  options.background[0] = 0x1e / 255.0f;
  options.background[1] = 0x1e / 255.0f;
  options.background[2] = 0x22 / 255.0f;
  auto presenter = vk::Presenter::create(options);
  if (!presenter) {
    if (why_not) *why_not = QString::fromStdString(presenter.error().message);
    return nullptr;
  }
  return std::make_unique<VulkanFrameRenderer>(std::move(*presenter));
}

}  // namespace dc::ui

#else  // built without gpu/vulkan

namespace dc::ui {

std::unique_ptr<FrameRenderer> make_gpu_frame_renderer(QString* why_not) {
  if (why_not) *why_not = QStringLiteral("this build has no Vulkan presenter (gpu/vulkan, DC_VULKAN)");
  return nullptr;
}

}  // namespace dc::ui

#endif
