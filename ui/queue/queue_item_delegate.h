// Paints one queue row: a coloured state mark, the job's summary and state, and a
// progress bar while it runs.
#pragma once

#include <QStyledItemDelegate>

namespace dc::ui {

class QueueItemDelegate : public QStyledItemDelegate {
  Q_OBJECT

 public:
  using QStyledItemDelegate::QStyledItemDelegate;
  void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
  QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

}  // namespace dc::ui
