// The seed row of the prompt panel: the number, a lock and a dice button.
// Unlocked, every generation draws a new random seed (and shows it, so the image
// can be re-made); locked, the same seed is used until the user changes it.
#pragma once

#include <QWidget>

class QLineEdit;
class QToolButton;

namespace dc::ui {

class SeedField : public QWidget {
  Q_OBJECT

 public:
  explicit SeedField(QWidget* parent = nullptr);

  quint64 seed() const;
  void setSeed(quint64 seed);
  bool isLocked() const;
  void setLocked(bool locked);
  void randomize();  // a new seed in [0, 2^32), as dcgen generate draws them
  // The seed for the next generation: randomized first unless locked.
  quint64 seedForNextGeneration();

 Q_SIGNALS:
  void seedChanged(quint64 seed);

 private:
  QLineEdit* edit_;
  QToolButton* lock_;
  QToolButton* dice_;
};

}  // namespace dc::ui
