#include "ui/prompt/seed_field.h"

#include <QHBoxLayout>
#include <QLineEdit>
#include <QRandomGenerator>
#include <QRegularExpressionValidator>
#include <QToolButton>

namespace dc::ui {

SeedField::SeedField(QWidget* parent)
    : QWidget(parent), edit_(new QLineEdit(this)), lock_(new QToolButton(this)), dice_(new QToolButton(this)) {
  edit_->setObjectName(QStringLiteral("seed"));
  // Up to 20 digits: every unsigned 64-bit value (checked again when read).
  edit_->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[0-9]{1,20}")), edit_));
  edit_->setText(QStringLiteral("0"));
  lock_->setObjectName(QStringLiteral("seedLock"));
  lock_->setCheckable(true);
  lock_->setText(tr("Lock"));
  lock_->setToolTip(tr("Keep this seed for the next generations (unlocked: a new random seed each time)"));
  dice_->setObjectName(QStringLiteral("randomizeSeed"));
  dice_->setText(tr("Random"));
  dice_->setToolTip(tr("Draw a new random seed now"));
  connect(dice_, &QToolButton::clicked, this, &SeedField::randomize);
  connect(edit_, &QLineEdit::textEdited, this, [this] {
    setLocked(true);  // typing a seed means wanting that seed
    Q_EMIT seedChanged(seed());
  });

  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(edit_, 1);
  layout->addWidget(lock_);
  layout->addWidget(dice_);
}

quint64 SeedField::seed() const {
  bool ok = false;
  const quint64 value = edit_->text().toULongLong(&ok);
  return ok ? value : 0;
}

void SeedField::setSeed(quint64 seed) {
  if (seed == this->seed() && !edit_->text().isEmpty()) return;
  edit_->setText(QString::number(seed));
  Q_EMIT seedChanged(seed);
}

bool SeedField::isLocked() const { return lock_->isChecked(); }
void SeedField::setLocked(bool locked) { lock_->setChecked(locked); }

void SeedField::randomize() { setSeed(QRandomGenerator::global()->bounded(Q_UINT64_C(1) << 32)); }

quint64 SeedField::seedForNextGeneration() {
  if (!isLocked()) randomize();
  return seed();
}

}  // namespace dc::ui
