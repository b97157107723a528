#include "ui/queue/queue_view.h"

#include <QHBoxLayout>
#include <QListView>
#include <QToolButton>
#include <QVBoxLayout>

#include "ui/common/widget_helpers.h"
#include "ui/queue/queue_item_delegate.h"
#include "ui/queue/render_queue_model.h"

namespace dc::ui {
QueueView::QueueView(RenderQueueModel* model, QWidget* parent)
    : QWidget(parent),
      model_(model),
      list_(new QListView(this)),
      cancel_(make_tool_button(this, "queueCancel", tr("Cancel"), tr("Cancel the selected job"))),
      up_(make_tool_button(this, "queueUp", tr("Up"), tr("Run the selected job earlier"))),
      down_(make_tool_button(this, "queueDown", tr("Down"), tr("Run the selected job later"))),
      retry_(make_tool_button(this, "queueRetry", tr("Retry"), tr("Queue a failed or cancelled job again"))),
      remove_(make_tool_button(this, "queueRemove", tr("Remove"), tr("Remove the selected job from the queue"))) {
  setObjectName(QStringLiteral("queueView"));
  list_->setObjectName(QStringLiteral("queueList"));
  list_->setModel(model_);
  list_->setItemDelegate(new QueueItemDelegate(list_));
  list_->setSelectionMode(QAbstractItemView::SingleSelection);
  list_->setUniformItemSizes(true);

  connect(cancel_, &QToolButton::clicked, this, [this] { Q_EMIT cancelRequested(currentRow()); });
  connect(up_, &QToolButton::clicked, this, [this] { Q_EMIT moveRequested(currentRow(), currentRow() - 1); });
  connect(down_, &QToolButton::clicked, this, [this] { Q_EMIT moveRequested(currentRow(), currentRow() + 1); });
  connect(retry_, &QToolButton::clicked, this, [this] { Q_EMIT retryRequested(currentRow()); });
  connect(remove_, &QToolButton::clicked, this, [this] { Q_EMIT removeRequested(currentRow()); });
  connect(list_->selectionModel(), &QItemSelectionModel::currentChanged, this, &QueueView::updateButtons);
  connect(model_, &QAbstractItemModel::dataChanged, this, &QueueView::updateButtons);
  connect(model_, &QAbstractItemModel::rowsInserted, this, &QueueView::updateButtons);
  connect(model_, &QAbstractItemModel::rowsRemoved, this, &QueueView::updateButtons);
  connect(model_, &QAbstractItemModel::rowsMoved, this, &QueueView::updateButtons);
  connect(model_, &QAbstractItemModel::modelReset, this, &QueueView::updateButtons);

  auto* buttons = new QHBoxLayout;
  for (QToolButton* b : {cancel_, up_, down_, retry_, remove_}) buttons->addWidget(b);
  buttons->addStretch();
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(list_);
  layout->addLayout(buttons);
  updateButtons();
}

int QueueView::currentRow() const {
  const QModelIndex i = list_->currentIndex();
  return i.isValid() ? i.row() : -1;
}

void QueueView::updateButtons() {
  const int row = currentRow();
  const int n = model_->rowCount();
  const bool valid = row >= 0 && row < n;
  const QueueState state =
      valid ? static_cast<QueueState>(model_->index(row).data(RenderQueueModel::kStateRole).toInt()) : QueueState::kDone;
  cancel_->setEnabled(valid && (state == QueueState::kQueued || state == QueueState::kRunning));
  up_->setEnabled(valid && row > 0);
  down_->setEnabled(valid && row + 1 < n);
  retry_->setEnabled(valid && (state == QueueState::kFailed || state == QueueState::kCancelled));
  remove_->setEnabled(valid && state != QueueState::kRunning);
}

}  // namespace dc::ui
