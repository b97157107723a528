// A dismissible message strip above the viewport: job errors stay visible here
// (not in a modal box that would stop the queue) until closed or replaced.
#pragma once

#include <QWidget>

class QLabel;

namespace dc::ui {

class NoticeBar : public QWidget {
  Q_OBJECT

 public:
  enum class Kind { kError, kInfo };
  explicit NoticeBar(QWidget* parent = nullptr);

  void showMessage(Kind kind, const QString& text);
  QString text() const;

 private:
  QLabel* label_;
};

}  // namespace dc::ui
