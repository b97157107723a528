// The status bar's permanent part: job progress, sampling speed and GPU memory.
#pragma once

#include <QWidget>

#include "ui/bridge/engine_client.h"

class QLabel;
class QProgressBar;
class QTimer;

namespace dc::ui {

class StatusPanel : public QWidget {
  Q_OBJECT

 public:
  explicit StatusPanel(QWidget* parent = nullptr);

  void showProgress(const JobProgress& progress);
  void showIdle();
  void refreshMemory();  // also on a one-second timer

 private:
  QLabel* phase_;
  QProgressBar* progress_;
  QLabel* speed_;
  QLabel* memory_;
  QTimer* memory_timer_;
};

}  // namespace dc::ui
