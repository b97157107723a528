#include "ui/viewport/viewport_widget.h"

#include <QKeyEvent>
#include <QResizeEvent>
#include <QTimer>
#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

#include "core/base/log.h"
#include "ui/viewport/frame_renderer.h"
#include "ui/viewport/surface_viewport.h"

namespace dc::ui {
namespace {

constexpr double kMinZoom = 1.0 / 32;
constexpr double kMaxZoom = 64;
constexpr double kWheelStep = 1.25;  // per notch

}  // namespace

ViewportWidget::ViewportWidget(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("viewport"));
  setFocusPolicy(Qt::ClickFocus);
  setMinimumSize(320, 240);
  setAutoFillBackground(false);
}

ViewportWidget::~ViewportWidget() = default;

QString ViewportWidget::rendererDescription() const {
  if (surface_) return surface_->description();
  if (renderer_) return renderer_->description();
  if (!renderer_tried_) return tr("not decided yet");
  return tr("QPainter (%1)").arg(renderer_note_);
}

void ViewportWidget::setImage(const QImage& image, const QString& caption, QSize display_size) {
  if (display_size.isEmpty()) display_size = image.size();
  // A new size starts fitted; updates of the same size (each preview step) keep the view.
  if (display_size != displaySize()) fitToWindow();
  image_ = image;
  display_size_ = display_size;
  upload_pending_ = true;
  caption_ = caption;
  chooseRenderer();
  if (surface_) {
    const Status uploaded = surface_->setImage(image_);
    if (uploaded) upload_pending_ = false;
    else dropSurface(uploaded.error());
  }
  refresh();
}

QSize ViewportWidget::displaySize() const { return image_.isNull() ? QSize() : display_size_; }

void ViewportWidget::clear() {
  image_ = QImage();
  if (surface_) surface_->container()->hide();
  display_size_ = {};
  caption_.clear();
  refresh();
}

void ViewportWidget::fitToWindow() {
  fit_ = true;
  pan_ = {};
  refresh();
}

void ViewportWidget::showActualSize() {
  fit_ = false;
  zoom_ = 1.0;
  pan_ = {};
  refresh();
}

double ViewportWidget::zoom() const {
  if (!fit_ || image_.isNull()) return zoom_;
  const QSize size = displaySize(), view = viewSize();
  return std::min(view.width() / static_cast<double>(size.width()), view.height() / static_cast<double>(size.height()));
}

QSize ViewportWidget::viewSize() const {
  return surface_ ? QSize(width(), std::max(1, height() - captionStripHeight())) : size();
}

int ViewportWidget::captionStripHeight() const { return fontMetrics().height() + 10; }

QRectF ViewportWidget::imageRect() const {
  const double z = zoom();
  const QSizeF size(displaySize().width() * z, displaySize().height() * z);
  const QPointF centre = QPointF(viewSize().width() / 2.0, viewSize().height() / 2.0) + pan_;
  return {centre - QPointF(size.width() / 2, size.height() / 2), size};
}

void ViewportWidget::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.fillRect(rect(), QColor(0x1e, 0x1e, 0x22));
  if (image_.isNull()) {
    p.setPen(QColor(0x90, 0x90, 0x98));
    p.drawText(rect(), Qt::AlignCenter, tr("Write a prompt and press Generate (Ctrl+Enter)"));
    return;
  }
  if (surface_) {  // the native window draws the image; the strip under it holds the caption
    paintCaption(p);
    return;
  }
  if (!paintWithRenderer(p)) {
    p.setRenderHint(QPainter::SmoothPixmapTransform, smoothing());
    p.drawImage(imageRect(), image_);
  }
  paintCaption(p);
}

bool ViewportWidget::smoothing() const {
  // Pixels magnified past 1:1 stay sharp squares (for inspecting a result); a latent
  // preview, smaller than what it stands for, and any shrunk image are smoothed.
  const double pixel_scale = zoom() * displaySize().width() / image_.width();
  return image_.size() != displaySize() || pixel_scale < 1.0;
}

void ViewportWidget::chooseRenderer() {
  if (renderer_tried_) return;
  renderer_tried_ = true;
  const QString choice = qEnvironmentVariable("DC_VIEWPORT_RENDERER");
  QString surface_note;
  if (choice == QLatin1String("painter")) {
    renderer_note_ = tr("DC_VIEWPORT_RENDERER=painter");
  } else {
    if (choice != QLatin1String("offscreen")) surface_ = make_surface_viewport(this, &surface_note);
    if (surface_) {
      surface_->onFailure([this](const Error& e) {
        // Called from the window's paint path: drop it once control is back in the event loop.
        QTimer::singleShot(0, this, [this, e] { dropSurface(e); });
      });
      surface_->container()->setGeometry(0, 0, viewSize().width(), viewSize().height());
      surface_->container()->show();
    } else {
      renderer_ = make_gpu_frame_renderer(&renderer_note_);
    }
  }
  log(LogLevel::kInfo, "viewport: " + rendererDescription().toStdString() +
                           (surface_note.isEmpty() ? "" : " (no window surface: " + surface_note.toStdString() + ")"));
}

void ViewportWidget::dropSurface(const Error& why) {
  if (!surface_) return;
  log(LogLevel::kWarning, "viewport: presenting to the window failed, drawing offscreen from now on: " + why.to_string());
  surface_.reset();
  renderer_ = make_gpu_frame_renderer(&renderer_note_);
  upload_pending_ = true;
  update();
}

void ViewportWidget::refresh() {
  if (surface_) {
    surface_->container()->setVisible(!image_.isNull());
    if (!image_.isNull()) {
      const double source_zoom = zoom() * displaySize().width() / image_.width();
      surface_->setView({viewSize(), source_zoom, pan_, smoothing()});
    }
  }
  update();
}

void ViewportWidget::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  if (surface_) surface_->container()->setGeometry(0, 0, viewSize().width(), viewSize().height());
  refresh();
}

void ViewportWidget::setHudStats(const HudLines& stats) {
  if (surface_) surface_->setHudStats(stats);
}

bool ViewportWidget::hudVisible() const { return surface_ && surface_->hudVisible(); }

int ViewportWidget::framesPresented() const { return surface_ ? surface_->framesPresented() : 0; }

bool ViewportWidget::paintWithRenderer(QPainter& painter) {
  chooseRenderer();
  if (!renderer_) return false;
  auto fail = [this](const Error& e) {
    renderer_note_ = QString::fromStdString(e.to_string());
    log(LogLevel::kWarning, "viewport: the Vulkan presenter failed, painting with QPainter from now on: " + e.to_string());
    renderer_.reset();
    return false;
  };
  if (upload_pending_) {
    const Status uploaded = renderer_->setImage(image_);
    if (!uploaded) return fail(uploaded.error());
    upload_pending_ = false;
  }
  const double dpr = devicePixelRatioF();
  const double source_zoom = zoom() * displaySize().width() / image_.width();
  Result<QImage> frame = renderer_->render({size() * dpr, source_zoom * dpr, pan_ * dpr, smoothing()});
  if (!frame) return fail(frame.error());
  frame->setDevicePixelRatio(dpr);
  painter.drawImage(QPointF(0, 0), *frame);
  return true;
}

void ViewportWidget::paintCaption(QPainter& p) {
  if (caption_.isEmpty()) return;
  const QString text = QStringLiteral("%1  ·  %2×%3  ·  %4%")
                           .arg(caption_)
                           .arg(displaySize().width())
                           .arg(displaySize().height())
                           .arg(std::lround(zoom() * 100));
  const QRect box = p.fontMetrics().boundingRect(text).adjusted(-8, -4, 8, 4);
  const QRect placed(QPoint(8, height() - box.height() - 8), box.size());
  p.fillRect(placed, QColor(0, 0, 0, 150));
  p.setPen(Qt::white);
  p.drawText(placed, Qt::AlignCenter, text);
}

void ViewportWidget::wheelEvent(QWheelEvent* event) {
  if (image_.isNull()) return;
  const double notches = event->angleDelta().y() / 120.0;
  const double before = zoom();
  const double after = std::clamp(before * std::pow(kWheelStep, notches), kMinZoom, kMaxZoom);
  // Keep the image point under the cursor where it is.
  const QPointF centre = QPointF(viewSize().width() / 2.0, viewSize().height() / 2.0);
  const QPointF cursor = event->position();
  pan_ = cursor - (cursor - centre - pan_) * (after / before) - centre;
  fit_ = false;
  zoom_ = after;
  refresh();
  event->accept();
}

void ViewportWidget::mousePressEvent(QMouseEvent* event) { drag_from_ = event->position(); }

void ViewportWidget::mouseMoveEvent(QMouseEvent* event) {
  if (!(event->buttons() & Qt::LeftButton) || image_.isNull()) return;
  if (fit_) {
    zoom_ = zoom();
    fit_ = false;
  }
  pan_ += event->position() - drag_from_;
  drag_from_ = event->position();
  refresh();
}

void ViewportWidget::mouseDoubleClickEvent(QMouseEvent*) {
  if (fit_) {
    showActualSize();
  } else {
    fitToWindow();
  }
}

void ViewportWidget::keyPressEvent(QKeyEvent* event) {
  switch (event->key()) {
    case Qt::Key_F: fitToWindow(); break;
    case Qt::Key_1: showActualSize(); break;
    case Qt::Key_H:
      if (surface_) surface_->toggleHud();
      else QWidget::keyPressEvent(event);
      break;
    default: QWidget::keyPressEvent(event);
  }
}

}  // namespace dc::ui
