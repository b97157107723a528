#include "ui/timeline/timeline_playback.h"

#include <cmath>

#include "ui/timeline/timeline_model.h"

namespace dc::ui {
namespace {
constexpr int kTickMs = 16;
}

TimelinePlayback::TimelinePlayback(TimelineModel* model, QObject* parent) : QObject(parent), model_(model) {
  timer_.setTimerType(Qt::PreciseTimer);
  timer_.setInterval(kTickMs);
  connect(&timer_, &QTimer::timeout, this, &TimelinePlayback::tick);
  // Shots removed under a playing playhead: stop once nothing is left to play.
  connect(model_, &QAbstractItemModel::rowsRemoved, this, [this] {
    if (model_->endTime() <= 0) pause();
  });
  connect(model_, &QAbstractItemModel::modelReset, this, &TimelinePlayback::pause);
}

void TimelinePlayback::setLooping(bool looping) {
  if (looping == looping_) return;
  looping_ = looping;
  Q_EMIT loopingChanged(looping);
}

void TimelinePlayback::play() {
  if (playing_ || model_->endTime() <= 0) return;
  if (model_->playhead() >= model_->endTime()) model_->setPlayhead(0);
  playing_ = true;
  clock_.start();
  timer_.start();
  Q_EMIT playingChanged(true);
}

void TimelinePlayback::pause() {
  if (!playing_) return;
  playing_ = false;
  timer_.stop();
  Q_EMIT playingChanged(false);
}

void TimelinePlayback::toggle() { playing_ ? pause() : play(); }

void TimelinePlayback::tick() { advance(static_cast<double>(clock_.restart()) / 1000.0); }

void TimelinePlayback::advance(double seconds) {
  const double end = model_->endTime();
  if (end <= 0) {
    pause();
    return;
  }
  const double t = model_->playhead() + seconds;
  if (t < end) {
    model_->setPlayhead(t);
  } else if (looping_) {
    model_->setPlayhead(std::fmod(t, end));
  } else {
    model_->setPlayhead(end);
    pause();
  }
}

}  // namespace dc::ui
