// The main window's timeline half: the Timeline dock's notices, the banner over
// the prompt panel while it edits a shot, one selection shared by the timeline
// and the Project panel's shot list, and the viewport following the playhead
// while the timeline plays or is scrubbed.
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QLabel>
#include <QListView>
#include <QStatusBar>
#include <QToolButton>
#include <memory>

#include "ui/main_window/main_window.h"
#include "ui/main_window/prompt_shot_link.h"
#include "ui/project/shots_view.h"
#include "ui/timeline/timeline_model.h"
#include "ui/timeline/playhead_preview.h"
#include "ui/timeline/timeline_panel.h"
#include "ui/timeline/timeline_playback.h"
#include "ui/timeline/timeline_view.h"
#include "ui/viewport/viewport_widget.h"

namespace dc::ui {

void MainWindow::connectTimeline() {
  link_banner_->setObjectName(QStringLiteral("shotLinkBanner"));
  link_banner_->setAutoFillBackground(true);
  QPalette banner = link_banner_->palette();
  banner.setColor(QPalette::Window, QColor(0xff, 0xe8, 0xa8));
  banner.setColor(QPalette::WindowText, QColor(0x40, 0x30, 0x00));
  link_banner_->setPalette(banner);
  auto* text = new QLabel(link_banner_);
  text->setObjectName(QStringLiteral("shotLinkText"));
  text->setTextFormat(Qt::PlainText);
  text->setWordWrap(true);
  text->setToolTip(tr("The prompt panel shows the shot selected in the timeline; its edits go to the project"));
  auto* release = new QToolButton(link_banner_);
  release->setObjectName(QStringLiteral("shotLinkRelease"));
  release->setText(tr("Done"));
  release->setToolTip(tr("Unselect the shot: the prompt panel's edits stop going to it"));
  release->setAutoRaise(true);
  auto* row = new QHBoxLayout(link_banner_);
  row->setContentsMargins(8, 3, 4, 3);
  row->addWidget(text, 1);
  row->addWidget(release);
  link_banner_->setVisible(false);
  connect(release, &QToolButton::clicked, timeline_model_, &TimelineModel::clearSelection);
  connect(link_, &PromptShotLink::linkChanged, this, [this, text] {
    text->setText(link_->description());
    link_banner_->setVisible(link_->isLinked());
  });

  auto notice = [this](const QString& message) { statusBar()->showMessage(message, 8000); };
  connect(link_, &PromptShotLink::notice, this, notice);
  connect(timeline_panel_, &TimelinePanel::notice, this, notice);

  // Playback and scrubbing drive the viewport; a paused, untouched playhead leaves it alone
  // (a generation's previews and the gallery's pictures show there too).
  playhead_preview_ = new PlayheadPreview(timeline_model_, this);
  TimelinePlayback* playback = timeline_panel_->playback();
  connect(timeline_model_, &TimelineModel::playheadChanged, this, [this, playback] {
    if (playback->isPlaying() || timeline_panel_->view()->isScrubbing()) playhead_preview_->refresh();
  });
  connect(playback, &TimelinePlayback::playingChanged, this, [this](bool playing) {
    if (playing) playhead_preview_->refresh(/*force=*/true);
  });
  connect(playhead_preview_, &PlayheadPreview::frameChanged, this, [this](const PlayheadFrame& frame) {
    if (frame.image.isNull()) viewport_->clear();
    else viewport_->setImage(frame.image, frame.caption);
  });

  // One current shot for the timeline and the Project list (a keyframe's shot is current in the list).
  QItemSelectionModel* list = shots_view_->list()->selectionModel();
  auto syncing = std::make_shared<bool>(false);  // no echo back while one follows the other
  connect(timeline_model_->selectionModel(), &QItemSelectionModel::currentChanged, this, [this, list, syncing] {
    const int row = timeline_model_->currentShot();
    if (*syncing || shots_view_->currentRow() == row) return;
    *syncing = true;
    if (row < 0) list->clear();
    else list->setCurrentIndex(shots_view_->list()->model()->index(row, 0), QItemSelectionModel::ClearAndSelect);
    *syncing = false;
  });
  connect(list, &QItemSelectionModel::currentChanged, this, [this, syncing](const QModelIndex& current) {
    if (*syncing || !current.isValid() || current.row() == timeline_model_->currentShot()) return;
    *syncing = true;
    timeline_model_->selectShot(current.row());
    *syncing = false;
  });
}

}  // namespace dc::ui
