#include "ui/timeline/timeline_panel.h"

#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QLabel>
#include <QScrollBar>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

#include "ui/timeline/timeline_edits.h"
#include "ui/common/widget_helpers.h"
#include "ui/timeline/timeline_model.h"
#include "ui/timeline/timeline_painter.h"
#include "ui/timeline/timeline_playback.h"
#include "ui/timeline/timeline_view.h"

namespace dc::ui {
TimelinePanel::TimelinePanel(TimelineModel* model, QWidget* parent)
    : QWidget(parent),
      model_(model),
      view_(new TimelineView(model, this)),
      playback_(new TimelinePlayback(model, this)),
      scroll_(new QScrollBar(Qt::Horizontal, this)),
      play_(make_tool_button(this, "timelinePlay", tr("Play"), tr("Play the edit from the playhead; the viewport shows each shot (Space)"), true)),
      loop_(make_tool_button(this, "timelineLoop", tr("⟲ Loop"), tr("Start over at the end of the edit"), true)),
      add_keyframe_(make_tool_button(this, "timelineAddKeyframe", tr("◆ Add keyframe"),
                                     tr("Add a prompt keyframe to the selected video shot at the playhead (K)"), true)),
      remove_(make_tool_button(this, "timelineRemove", tr("Remove"), tr("Remove the selected keyframe or shot (Delete)"), true)),
      readout_(new QLabel(this)) {
  setObjectName(QStringLiteral("timelinePanel"));
  scroll_->setObjectName(QStringLiteral("timelineScroll"));
  readout_->setObjectName(QStringLiteral("timelineReadout"));
  readout_->setTextFormat(Qt::PlainText);
  auto* zoom_out = make_tool_button(this, "timelineZoomOut", QStringLiteral("−"), tr("Zoom out (-, Ctrl+wheel)"), true);
  auto* fit = make_tool_button(this, "timelineFit", tr("Fit"), tr("Show the whole edit"), true);
  auto* zoom_in = make_tool_button(this, "timelineZoomIn", QStringLiteral("+"), tr("Zoom in (+, Ctrl+wheel)"), true);

  auto* tools = new QHBoxLayout;
  tools->setContentsMargins(4, 0, 4, 0);
  loop_->setCheckable(true);
  play_->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  play_->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
  tools->addWidget(play_);
  tools->addWidget(loop_);
  tools->addSpacing(12);
  tools->addWidget(add_keyframe_);
  tools->addWidget(remove_);
  tools->addSpacing(12);
  tools->addWidget(zoom_out);
  tools->addWidget(fit);
  tools->addWidget(zoom_in);
  tools->addSpacing(12);
  tools->addWidget(readout_, 1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(2);
  layout->addLayout(tools);
  layout->addWidget(view_, 1);
  layout->addWidget(scroll_);

  auto report = [this](const Status& s) {
    if (!s) Q_EMIT notice(QString::fromStdString(s.error().message()));
  };
  connect(play_, &QToolButton::clicked, playback_, &TimelinePlayback::toggle);
  connect(view_, &TimelineView::playToggleRequested, playback_, &TimelinePlayback::toggle);
  connect(loop_, &QToolButton::toggled, playback_, &TimelinePlayback::setLooping);
  connect(playback_, &TimelinePlayback::playingChanged, this, [this](bool playing) {
    play_->setText(playing ? tr("Pause") : tr("Play"));
    play_->setIcon(style()->standardIcon(playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
  });
  connect(add_keyframe_, &QToolButton::clicked, this, [this, report] { report(model_->addKeyframeAtPlayhead()); });
  connect(remove_, &QToolButton::clicked, this, [this, report] { report(model_->removeCurrent()); });
  connect(zoom_out, &QToolButton::clicked, view_, [this] { view_->zoomBy(0.8); });
  connect(zoom_in, &QToolButton::clicked, view_, [this] { view_->zoomBy(1.25); });
  connect(fit, &QToolButton::clicked, view_, &TimelineView::zoomToFit);
  connect(view_, &TimelineView::notice, this, &TimelinePanel::notice);
  connect(view_, &TimelineView::viewChanged, this, &TimelinePanel::syncScrollBar);
  connect(scroll_, &QScrollBar::valueChanged, view_, [this](int value) { view_->setScrollX(value); });
  connect(model_, &TimelineModel::playheadChanged, this, &TimelinePanel::updateReadout);
  connect(model_->selectionModel(), &QItemSelectionModel::currentChanged, this, &TimelinePanel::updateReadout);
  auto refresh = [this] {
    syncScrollBar();
    updateReadout();
  };
  for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
    connect(model_, signal, this, refresh);
  connect(model_, &QAbstractItemModel::modelReset, this, refresh);
  connect(model_, &QAbstractItemModel::dataChanged, this, refresh);
  syncScrollBar();
  updateReadout();
}

void TimelinePanel::syncScrollBar() {
  const QSignalBlocker block(scroll_);
  scroll_->setRange(0, view_->maxScrollX());
  scroll_->setPageStep(view_->pageWidth());
  scroll_->setSingleStep(20);
  scroll_->setValue(static_cast<int>(view_->scrollX()));
}

// "0:03.50 · pan, frame 24 of 81 · keyframe" : the playhead, and what the prompt panel edits.
void TimelinePanel::updateReadout() {
  QString text = format_timeline_time(model_->playhead(), true);
  const int row = model_->currentShot();
  if (row >= 0) {
    const project::Shot& s = model_->shots()[row];
    text += QStringLiteral("   ·   ") + QString::fromStdString(s.id);
    const int k = model_->currentKeyframe();
    if (k >= 0) text += tr(", keyframe at frame %1 of %2").arg(s.keyframes[k].frame).arg(s.frames);
    else if (timeline::is_trimmable(s)) text += tr(", %1 frames at %2 fps").arg(s.frames).arg(s.fps);
  }
  readout_->setText(text);
  add_keyframe_->setEnabled(!model_->shots().empty());
  play_->setEnabled(model_->endTime() > 0);
  remove_->setEnabled(row >= 0);
}

}  // namespace dc::ui
