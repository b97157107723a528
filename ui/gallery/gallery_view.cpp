#include "ui/gallery/gallery_view.h"

#include <QClipboard>
#include <QContextMenuEvent>
#include <QGuiApplication>
#include <QMenu>

#include "ui/gallery/gallery_model.h"

namespace dc::ui {

GalleryView::GalleryView(GalleryModel* model, QWidget* parent) : QListView(parent), model_(model) {
  setObjectName(QStringLiteral("gallery"));
  setModel(model_);
  setViewMode(QListView::IconMode);
  setIconSize(QSize(GalleryModel::kThumbnailSize, GalleryModel::kThumbnailSize) / 2);
  setGridSize(QSize(GalleryModel::kThumbnailSize / 2 + 16, GalleryModel::kThumbnailSize / 2 + 28));
  setResizeMode(QListView::Adjust);
  setMovement(QListView::Static);
  // After setMovement, which turns dragging off for static items: thumbnails drag out
  // to the timeline (as a new shot), but nothing drops into the gallery.
  setDragEnabled(true);
  setDragDropMode(QAbstractItemView::DragOnly);
  setDefaultDropAction(Qt::CopyAction);
  setUniformItemSizes(true);
  setSelectionMode(QAbstractItemView::SingleSelection);
  connect(this, &QListView::clicked, this, [this](const QModelIndex& index) {
    if (const GalleryItem* it = model_->item(index.row())) Q_EMIT imageActivated(it->file);
  });
  connect(this, &QListView::doubleClicked, this, [this](const QModelIndex& index) { reopenParameters(index.row()); });
}

void GalleryView::reopenParameters(int row) {
  if (const GalleryItem* it = model_->item(row)) Q_EMIT reopenRequested(it->params);
}

void GalleryView::copySeed(int row) {
  if (const GalleryItem* it = model_->item(row)) QGuiApplication::clipboard()->setText(QString::number(it->params.seed));
}

void GalleryView::revealFile(int row) {
  if (const GalleryItem* it = model_->item(row)) Q_EMIT revealRequested(it->file);
}

void GalleryView::contextMenuEvent(QContextMenuEvent* event) {
  const int row = indexAt(event->pos()).row();
  if (!model_->item(row)) return;
  QMenu menu(this);
  menu.addAction(tr("Reopen parameters"), this, [this, row] { reopenParameters(row); });
  menu.addAction(tr("Copy seed"), this, [this, row] { copySeed(row); });
  menu.addAction(tr("Reveal file"), this, [this, row] { revealFile(row); });
  menu.exec(event->globalPos());
}

}  // namespace dc::ui
