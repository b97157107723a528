#include "ui/project/shots_view.h"

#include <QHBoxLayout>
#include <QListView>
#include <QToolButton>
#include <QVBoxLayout>

#include "ui/project/shot_list_model.h"
#include "ui/common/widget_helpers.h"

namespace dc::ui {
ShotsView::ShotsView(ShotListModel* model, QWidget* parent)
    : QWidget(parent),
      model_(model),
      list_(new QListView(this)),
      add_(make_tool_button(this, "shotAdd", tr("Add shot"), tr("Add the prompt panel's parameters as a shot (Ctrl+D)"))),
      load_(make_tool_button(this, "shotLoad", tr("Load"), tr("Put the selected shot's parameters in the prompt panel"))),
      remove_(make_tool_button(this, "shotRemove", tr("Remove"), tr("Remove the selected shot from the project"))),
      queue_all_(make_tool_button(this, "shotsQueueAll", tr("Queue all"), tr("Add every shot to the render queue"))) {
  setObjectName(QStringLiteral("shotsView"));
  list_->setObjectName(QStringLiteral("shotList"));
  list_->setModel(model_);
  list_->setSelectionMode(QAbstractItemView::SingleSelection);
  list_->setWordWrap(true);
  connect(add_, &QToolButton::clicked, this, &ShotsView::addRequested);
  connect(load_, &QToolButton::clicked, this, [this] { Q_EMIT loadRequested(currentRow()); });
  connect(remove_, &QToolButton::clicked, this, [this] { Q_EMIT removeRequested(currentRow()); });
  connect(queue_all_, &QToolButton::clicked, this, &ShotsView::queueAllRequested);
  connect(list_, &QListView::doubleClicked, this, [this](const QModelIndex& i) { Q_EMIT loadRequested(i.row()); });
  connect(list_->selectionModel(), &QItemSelectionModel::currentChanged, this, &ShotsView::updateButtons);
  for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
    connect(model_, signal, this, &ShotsView::updateButtons);
  connect(model_, &QAbstractItemModel::modelReset, this, &ShotsView::updateButtons);

  auto* buttons = new QHBoxLayout;
  for (QToolButton* b : {add_, load_, remove_, queue_all_}) buttons->addWidget(b);
  buttons->addStretch();
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(list_);
  layout->addLayout(buttons);
  updateButtons();
}

int ShotsView::currentRow() const {
  const QModelIndex i = list_->currentIndex();
  return i.isValid() ? i.row() : -1;
}

void ShotsView::updateButtons() {
  const bool selected = currentRow() >= 0 && currentRow() < model_->rowCount();
  load_->setEnabled(selected);
  remove_->setEnabled(selected);
  queue_all_->setEnabled(model_->rowCount() > 0);
}

}  // namespace dc::ui
