#include "ui/viewport/viewport_widget.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

#include "core/base/log.h"
#include "ui/viewport/frame_renderer.h"

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
  update();
}

QSize ViewportWidget::displaySize() const { return image_.isNull() ? QSize() : display_size_; }

void ViewportWidget::clear() {
  image_ = QImage();
  display_size_ = {};
  caption_.clear();
  update();
}

void ViewportWidget::fitToWindow() {
  fit_ = true;
  pan_ = {};
  update();
}

void ViewportWidget::showActualSize() {
  fit_ = false;
  zoom_ = 1.0;
  pan_ = {};
  update();
}

double ViewportWidget::zoom() const {
  if (!fit_ || image_.isNull()) return zoom_;
  const QSize size = displaySize();
  return std::min(width() / static_cast<double>(size.width()), height() / static_cast<double>(size.height()));
}

QRectF ViewportWidget::imageRect() const {
  const double z = zoom();
  const QSizeF size(displaySize().width() * z, displaySize().height() * z);
  const QPointF centre = QPointF(width() / 2.0, height() / 2.0) + pan_;
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

bool ViewportWidget::paintWithRenderer(QPainter& painter) {
  if (!renderer_tried_) {
    renderer_tried_ = true;
    if (qEnvironmentVariable("DC_VIEWPORT_RENDERER") == QLatin1String("painter")) {
      renderer_note_ = tr("DC_VIEWPORT_RENDERER=painter");
    } else {
      renderer_ = make_gpu_frame_renderer(&renderer_note_);
    }
    log(LogLevel::kInfo, "viewport: " + rendererDescription().toStdString());
  }
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
  const QPointF centre = QPointF(width() / 2.0, height() / 2.0);
  const QPointF cursor = event->position();
  pan_ = cursor - (cursor - centre - pan_) * (after / before) - centre;
  fit_ = false;
  zoom_ = after;
  update();
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
  update();
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
    default: QWidget::keyPressEvent(event);
  }
}

}  // namespace dc::ui
