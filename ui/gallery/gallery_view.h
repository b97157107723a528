// The gallery panel: thumbnails of generated images, newest first. Clicking one
// shows it in the viewport; its context menu reopens its parameters, copies its
// seed or reveals its file. Requests go out as signals. A thumbnail dragged to
// the timeline becomes a shot there (the model's mimeData carries its parameters).
#pragma once

#include <QListView>

namespace dc::ui {

class GalleryModel;
struct GenerationParams;

class GalleryView : public QListView {
  Q_OBJECT

 public:
  explicit GalleryView(GalleryModel* model, QWidget* parent = nullptr);

  void reopenParameters(int row);
  void copySeed(int row);  // to the clipboard
  void revealFile(int row);

 Q_SIGNALS:
  void imageActivated(const QString& file);
  void reopenRequested(const dc::ui::GenerationParams& params);
  void revealRequested(const QString& file);

 protected:
  void contextMenuEvent(QContextMenuEvent* event) override;

 private:
  GalleryModel* model_;
};

}  // namespace dc::ui
