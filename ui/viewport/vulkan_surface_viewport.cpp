// SurfaceViewport over gpu/vulkan's Presenter and a QWindow of surface type
// VulkanSurface. Qt is given the presenter's VkInstance (QVulkanInstance::setVkInstance),
// so Qt creates the VkSurfaceKHR for the window and the presenter owns everything else.
// Built only with gpu/vulkan (DC_UI_HAVE_VULKAN).
#include "ui/viewport/surface_viewport.h"

#ifdef DC_UI_HAVE_VULKAN

// Before Qt's Vulkan header, which defines VK_NO_PROTOTYPES: the presenter calls Vulkan directly.
#include "gpu/vulkan/present/presenter.h"
#include "ui/viewport/host_image_from_qimage.h"

#include <QCoreApplication>
#include <QExposeEvent>
#include <QGuiApplication>
#include <QPlatformSurfaceEvent>
#include <QVulkanInstance>
#include <QWindow>

namespace dc::ui {
namespace {

namespace vk = gpu::vulkan;

Error to_error(const vk::Error& e) { return Error::internal("Vulkan viewport: " + e.message); }

// The instance extension a window system's surfaces need, or empty when Vulkan cannot present there.
QByteArray platform_surface_extension() {
  const QString platform = QGuiApplication::platformName();
  if (platform == QLatin1String("xcb")) return "VK_KHR_xcb_surface";
  if (platform.startsWith(QLatin1String("wayland"))) return "VK_KHR_wayland_surface";
  return {};
}

class PresenterWindow : public QWindow {
 public:
  PresenterWindow(vk::Presenter* presenter, QWidget* event_target)
      : presenter_(presenter), event_target_(event_target) {
    setSurfaceType(QSurface::VulkanSurface);
  }

  void requestFrame() {
    if (isExposed()) requestUpdate();
  }
  int frames() const { return frames_; }
  std::function<void(const Error&)> on_failure;

 protected:
  void exposeEvent(QExposeEvent*) override { if (isExposed()) render(); }

  void resizeEvent(QResizeEvent*) override {
    if (!attached_) return;
    const QSize px = size() * devicePixelRatio();
    (void)presenter_->resize(static_cast<uint32_t>(px.width()), static_cast<uint32_t>(px.height()));
    requestFrame();
  }

  bool event(QEvent* e) override {
    switch (e->type()) {
      case QEvent::UpdateRequest:
        render();
        return true;
      case QEvent::PlatformSurface:
        // The swapchain must go before Qt destroys the VkSurfaceKHR under it.
        if (static_cast<QPlatformSurfaceEvent*>(e)->surfaceEventType() ==
            QPlatformSurfaceEvent::SurfaceAboutToBeDestroyed) {
          presenter_->detach_surface();
          attached_ = false;
        }
        break;
      case QEvent::MouseButtonPress:
      case QEvent::MouseButtonRelease:
      case QEvent::MouseButtonDblClick:
      case QEvent::MouseMove:
      case QEvent::Wheel:
      case QEvent::KeyPress:
      case QEvent::KeyRelease:
        if (event_target_ != nullptr) {
          if (e->type() == QEvent::MouseButtonPress) event_target_->setFocus(Qt::MouseFocusReason);
          QCoreApplication::sendEvent(event_target_, e);
          return true;
        }
        break;
      default: break;
    }
    return QWindow::event(e);
  }

 private:
  void render() {
    if (failed_ || !isExposed()) return;
    const QSize px = size() * devicePixelRatio();
    if (px.isEmpty()) return;
    if (!attached_) {
      VkSurfaceKHR surface = QVulkanInstance::surfaceForWindow(this);
      if (surface == VK_NULL_HANDLE) return fail(Error::internal("Vulkan viewport: Qt made no surface for the window"));
      const vk::Status s = presenter_->attach_surface(surface, static_cast<uint32_t>(px.width()),
                                                      static_cast<uint32_t>(px.height()));
      if (!s) return fail(to_error(s.error()));
      attached_ = true;
    }
    const vk::Status s = presenter_->present();
    if (!s) return fail(to_error(s.error()));
    ++frames_;
  }

  void fail(const Error& e) {
    failed_ = true;
    if (on_failure) on_failure(e);
  }

  vk::Presenter* presenter_;
  QWidget* event_target_;
  bool attached_ = false;
  bool failed_ = false;
  int frames_ = 0;
};

class VulkanSurfaceViewport : public SurfaceViewport {
 public:
  VulkanSurfaceViewport(std::unique_ptr<vk::Presenter> presenter, std::unique_ptr<QVulkanInstance> instance,
                        QWidget* event_target)
      : presenter_(std::move(presenter)), instance_(std::move(instance)) {
    window_ = new PresenterWindow(presenter_.get(), event_target);
    window_->setVulkanInstance(instance_.get());
    container_ = QWidget::createWindowContainer(window_, event_target);  // owns the window
    container_->setObjectName(QStringLiteral("viewportSurface"));
    container_->setFocusPolicy(Qt::NoFocus);
  }

  ~VulkanSurfaceViewport() override {
    // The window (and its surface) go first: the presenter detaches in SurfaceAboutToBeDestroyed.
    delete container_;
  }

  QWidget* container() override { return container_; }
  QString description() const override {
    return QStringLiteral("Vulkan (window surface): %1")
        .arg(QString::fromStdString(presenter_->device_capabilities().name));
  }

  Status setImage(const QImage& image) override {
    image_ = image.convertToFormat(QImage::Format_RGB888);  // kept: rows are read at upload
    const vk::Status s = presenter_->upload(host_image_from(image_));
    if (!s) return to_error(s.error());
    window_->requestFrame();
    return ok_status();
  }

  void setView(const FrameRequest& r) override {
    presenter_->set_filter(r.smooth ? vk::Filter::kLinear : vk::Filter::kNearest);
    const double dpr = window_->devicePixelRatio();
    (void)presenter_->set_view({vk::ViewMode::kZoom, static_cast<float>(r.zoom * dpr),
                                static_cast<float>(r.pan.x() * dpr), static_cast<float>(r.pan.y() * dpr)});
    window_->requestFrame();
  }

  void setHudStats(const HudLines& h) override {
    vk::HudStats stats;
    stats.step = h.step;
    stats.total_steps = h.total_steps;
    stats.iterations_per_second = h.iterations_per_second;
    stats.vram_used_bytes = h.vram_used_bytes;
    stats.vram_total_bytes = h.vram_total_bytes;
    stats.status = h.status.toStdString();
    presenter_->set_hud_stats(stats);
    if (presenter_->hud_visible()) window_->requestFrame();
  }
  void toggleHud() override {
    presenter_->toggle_hud();
    window_->requestFrame();
  }
  bool hudVisible() const override { return presenter_->hud_visible(); }
  void onFailure(std::function<void(const Error&)> handler) override { window_->on_failure = std::move(handler); }
  int framesPresented() const override { return window_->frames(); }

 private:
  std::unique_ptr<vk::Presenter> presenter_;
  std::unique_ptr<QVulkanInstance> instance_;
  PresenterWindow* window_ = nullptr;  // owned by container_
  QWidget* container_ = nullptr;
  QImage image_;
};

}  // namespace

std::unique_ptr<SurfaceViewport> make_surface_viewport(QWidget* event_target, QString* why_not) {
  const QByteArray extension = platform_surface_extension();
  if (extension.isEmpty()) {
    if (why_not) *why_not = QStringLiteral("Vulkan cannot present on the '%1' platform").arg(QGuiApplication::platformName());
    return nullptr;
  }
  vk::PresenterOptions options;
  options.instance.extensions = {"VK_KHR_surface", extension.toStdString()};
  options.device.swapchain = true;
  options.hud = true;
  options.background[0] = options.background[1] = 0x1e / 255.0f;  // the viewport's #1e1e22
  options.background[2] = 0x22 / 255.0f;
  auto presenter = vk::Presenter::create(options);
  if (!presenter) {
    if (why_not) *why_not = QString::fromStdString(presenter.error().message);
    return nullptr;
  }
  auto instance = std::make_unique<QVulkanInstance>();
  instance->setVkInstance((*presenter)->vk_instance());
  if (!instance->create()) {
    if (why_not) *why_not = QStringLiteral("QVulkanInstance refused the presenter's instance (error %1)")
                                .arg(static_cast<int>(instance->errorCode()));
    return nullptr;
  }
  return std::make_unique<VulkanSurfaceViewport>(std::move(*presenter), std::move(instance), event_target);
}

}  // namespace dc::ui

#else  // built without gpu/vulkan

namespace dc::ui {

std::unique_ptr<SurfaceViewport> make_surface_viewport(QWidget*, QString* why_not) {
  if (why_not) *why_not = QStringLiteral("this build has no Vulkan presenter (gpu/vulkan, DC_VULKAN)");
  return nullptr;
}

}  // namespace dc::ui

#endif
