#include "ui/common/notice_bar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

namespace dc::ui {

NoticeBar::NoticeBar(QWidget* parent) : QWidget(parent), label_(new QLabel(this)) {
  setObjectName(QStringLiteral("noticeBar"));
  label_->setObjectName(QStringLiteral("noticeText"));
  label_->setWordWrap(true);
  label_->setTextInteractionFlags(Qt::TextSelectableByMouse);  // so the message can be copied
  auto* close = new QToolButton(this);
  close->setObjectName(QStringLiteral("noticeClose"));
  close->setText(QStringLiteral("✕"));
  close->setAutoRaise(true);
  close->setToolTip(tr("Dismiss"));
  connect(close, &QToolButton::clicked, this, &QWidget::hide);
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(10, 6, 6, 6);
  layout->addWidget(label_, 1);
  layout->addWidget(close, 0, Qt::AlignTop);
  setAutoFillBackground(true);
  hide();
}

void NoticeBar::showMessage(Kind kind, const QString& text) {
  QPalette p = palette();
  p.setColor(QPalette::Window, kind == Kind::kError ? QColor(0x7a, 0x22, 0x22) : QColor(0x24, 0x4a, 0x78));
  p.setColor(QPalette::WindowText, Qt::white);
  setPalette(p);
  label_->setText(text);
  show();
}

QString NoticeBar::text() const { return isHidden() ? QString() : label_->text(); }

}  // namespace dc::ui
