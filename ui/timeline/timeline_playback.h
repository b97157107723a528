// Plays the timeline: moves the model's playhead in real time from where it is
// to the end of the edit, then stops there or, when looping, goes on from 0.
// Play at the end starts over from 0, as a media player does.
//
// A precise QTimer ticks at about 60 Hz; each tick advances by the wall time
// measured since the last one (a slow tick never slows the clock). Tests drive
// advance() directly instead of waiting on the timer.
//
//   TimelinePlayback playback(&model);
//   playback.setLooping(true);
//   playback.toggle();  // Space in the timeline
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace dc::ui {

class TimelineModel;

class TimelinePlayback : public QObject {
  Q_OBJECT

 public:
  explicit TimelinePlayback(TimelineModel* model, QObject* parent = nullptr);

  bool isPlaying() const { return playing_; }
  bool isLooping() const { return looping_; }
  void setLooping(bool looping);

  void play();   // does nothing on an empty timeline
  void pause();
  void toggle();
  // Moves the playhead `seconds` on, as a tick does (stopping or wrapping at the end).
  void advance(double seconds);

 Q_SIGNALS:
  void playingChanged(bool playing);
  void loopingChanged(bool looping);

 private:
  void tick();

  TimelineModel* model_;
  QTimer timer_;
  QElapsedTimer clock_;
  bool playing_ = false;
  bool looping_ = false;
};

}  // namespace dc::ui
