#include "ui/queue/queue_item_delegate.h"

#include <QApplication>
#include <QPainter>
#include <algorithm>

#include "ui/queue/render_queue_model.h"

namespace dc::ui {
namespace {

constexpr int kMarkWidth = 4;
constexpr int kBarHeight = 4;
constexpr int kPadding = 6;

QColor state_color(QueueState state) {
  switch (state) {
    case QueueState::kQueued: return QColor(0x80, 0x80, 0x80);
    case QueueState::kRunning: return QColor(0x2d, 0x8c, 0xf0);
    case QueueState::kDone: return QColor(0x3c, 0xb3, 0x71);
    case QueueState::kFailed: return QColor(0xe0, 0x4f, 0x4f);
    case QueueState::kCancelled: return QColor(0xd0, 0xa0, 0x40);
  }
  return {};
}

}  // namespace

void QueueItemDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const {
  QStyleOptionViewItem opt = option;
  initStyleOption(&opt, index);
  // The model's text: opt.text has its newline turned into a line separator.
  const QString text = index.data(Qt::DisplayRole).toString();
  opt.text.clear();
  QApplication::style()->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);

  const auto state = static_cast<QueueState>(index.data(RenderQueueModel::kStateRole).toInt());
  const QRect r = option.rect;
  painter->save();
  painter->fillRect(QRect(r.left(), r.top() + 2, kMarkWidth, r.height() - 4), state_color(state));
  // Two lines, each elided: what the job is, then where it stands.
  const QRect text_rect = r.adjusted(kMarkWidth + kPadding, kPadding / 2, -kPadding, -kBarHeight - kPadding / 2);
  const int line = opt.fontMetrics.height();
  const QStringList lines = text.split(QLatin1Char('\n'));
  painter->setPen(opt.palette.color(option.state & QStyle::State_Selected ? QPalette::HighlightedText : QPalette::Text));
  painter->setFont(opt.font);
  for (int i = 0; i < std::min<int>(2, lines.size()); ++i) {
    const QPoint baseline(text_rect.left(), text_rect.top() + i * line + opt.fontMetrics.ascent());
    painter->drawText(baseline, opt.fontMetrics.elidedText(lines[i], Qt::ElideRight, text_rect.width()));
  }
  if (state == QueueState::kRunning) {
    const double progress = index.data(RenderQueueModel::kProgressRole).toDouble();
    const QRect bar(text_rect.left(), r.bottom() - kBarHeight - 1, text_rect.width(), kBarHeight);
    painter->fillRect(bar, opt.palette.color(QPalette::Mid));
    painter->fillRect(QRect(bar.left(), bar.top(), static_cast<int>(bar.width() * progress), bar.height()),
                      state_color(state));
  }
  painter->restore();
}

QSize QueueItemDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const {
  return {option.rect.width(), option.fontMetrics.height() * 2 + kPadding * 2 + kBarHeight};
}

}  // namespace dc::ui
