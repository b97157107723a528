#include "ui/main_window/status_panel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QTimer>

#include "core/tensor/cuda_context.h"

namespace dc::ui {
namespace {

QString gib(size_t bytes) { return QString::number(bytes / (1024.0 * 1024.0 * 1024.0), 'f', 1); }

}  // namespace

StatusPanel::StatusPanel(QWidget* parent)
    : QWidget(parent),
      phase_(new QLabel(this)),
      progress_(new QProgressBar(this)),
      speed_(new QLabel(this)),
      memory_(new QLabel(this)),
      memory_timer_(new QTimer(this)) {
  phase_->setObjectName(QStringLiteral("statusPhase"));
  progress_->setObjectName(QStringLiteral("statusProgress"));
  speed_->setObjectName(QStringLiteral("statusSpeed"));
  memory_->setObjectName(QStringLiteral("statusMemory"));
  progress_->setRange(0, 100);
  progress_->setMaximumWidth(180);
  progress_->setTextVisible(true);
  speed_->setMinimumWidth(80);
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(phase_);
  layout->addWidget(progress_);
  layout->addWidget(speed_);
  layout->addWidget(memory_);
  connect(memory_timer_, &QTimer::timeout, this, &StatusPanel::refreshMemory);
  memory_timer_->start(1000);
  showIdle();
  refreshMemory();
}

void StatusPanel::showProgress(const JobProgress& p) {
  phase_->setText(p.total > 1 ? tr("%1 %2/%3").arg(p.phase).arg(p.step).arg(p.total) : p.phase);
  progress_->setTextVisible(true);
  progress_->setValue(p.total > 0 ? 100 * p.step / p.total : 0);
  if (p.steps_per_second > 0) {
    // Slow steps (large images, CPU) read better as seconds per step.
    speed_->setText(p.steps_per_second >= 1 ? tr("%1 it/s").arg(p.steps_per_second, 0, 'f', 2)
                                            : tr("%1 s/it").arg(1.0 / p.steps_per_second, 0, 'f', 2));
  }
}

void StatusPanel::showIdle() {
  phase_->setText(tr("Ready"));
  progress_->setValue(0);
  progress_->setTextVisible(false);  // an idle "0%" reads like a stalled job
  speed_->clear();
}

void StatusPanel::refreshMemory() {
  if (!cuda_available()) {
    memory_->setText(tr("CPU (no CUDA device)"));
    return;
  }
  const CudaDeviceMemory device = cuda_device_memory();
  const CudaMemoryStats ours = cuda_memory_stats();
  memory_->setText(tr("VRAM %1 / %2 GiB (DC Studio %3)")
                       .arg(gib(device.total_bytes - device.free_bytes), gib(device.total_bytes),
                            gib(ours.reserved_bytes)));
}

}  // namespace dc::ui
