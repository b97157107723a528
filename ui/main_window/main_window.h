// DC Studio's main window: the prompt panel (left), the viewport (centre), the
// render queue and the project's shot list (right), the gallery and the
// timeline (bottom), all docks but the viewport. Selecting a shot in the
// timeline or the shot list loads it into the prompt panel, whose edits then go
// back to the shot (PromptShotLink). While the timeline plays or its ruler is
// scrubbed, the viewport shows the shot under the playhead (PlayheadPreview).
//
// Every generation goes through the render queue: Generate enqueues the panel's
// parameters and the QueueRunner feeds the engine one job at a time. The queue
// (queue.json), the gallery (gallery.json) and the settings (settings.ini) live
// in the data folder given here, so a test can point a fresh window at its own
// folder and a restart finds them again.
//
//   MainWindow window({.data_dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation),
//                      .default_output_folder = pictures + "/DC Studio"});
//   window.show();
#pragma once

#include <QMainWindow>
#include <QSettings>
#include <functional>
#include <memory>

#include "ui/bridge/engine_client.h"
#include "ui/settings/app_settings.h"

class QMenu;
class QUndoStack;

namespace dc::ui {

class GalleryModel;
class GalleryView;
class NoticeBar;
class PlayheadPreview;
class ProjectDocument;
class PromptPanel;
class PromptShotLink;
class RecentProjects;
class QueueRunner;
class QueueView;
class RenderQueueModel;
class ShotListModel;
class ShotsView;
class StatusPanel;
class TimelineModel;
class TimelinePanel;
class ViewportWidget;

// Questions the window asks the user; empty: a message box. Tests answer them.
struct MainWindowPrompts {
  std::function<bool(const QString& question)> restore_autosave;  // true: restore it
  // QMessageBox::Save, Discard or Cancel for a project with unsaved edits.
  std::function<int(const QString& question)> unsaved_changes;
};

struct MainWindowOptions {
  QString data_dir;               // settings.ini, queue.json, gallery.json
  QString default_output_folder;  // until the user picks one in Settings
  MainWindowPrompts prompts;
};

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(MainWindowOptions options, QWidget* parent = nullptr);
  ~MainWindow() override;

  // The parts, for tests and for app/dcstudio.
  PromptPanel* promptPanel() const { return prompt_; }
  ViewportWidget* viewport() const { return viewport_; }
  GalleryModel* galleryModel() const { return gallery_model_; }
  GalleryView* galleryView() const { return gallery_view_; }
  RenderQueueModel* queueModel() const { return queue_model_; }
  QueueView* queueView() const { return queue_view_; }
  QueueRunner* queueRunner() const { return runner_; }
  NoticeBar* noticeBar() const { return notice_; }
  QUndoStack* undoStack() const { return undo_; }
  ProjectDocument* projectDocument() const { return project_; }
  ShotsView* shotsView() const { return shots_view_; }
  TimelineModel* timelineModel() const { return timeline_model_; }
  TimelinePanel* timelinePanel() const { return timeline_panel_; }
  PromptShotLink* promptShotLink() const { return link_; }
  PlayheadPreview* playheadPreview() const { return playhead_preview_; }
  const AppSettings& settings() const { return settings_; }
  void applySettings(const AppSettings& settings);  // saves them too

  void showError(const QString& text);  // the notice bar above the viewport, and the status bar
  void generate();  // enqueue the panel's parameters and start the queue
  void cancel();    // the running job
  void showSettings();

  // ---- the project (main_window_project.cpp) ----
  bool newProject();                       // false: the user kept the current one
  bool openProject(const QString& path);   // false: cancelled or failed (the error is shown)
  // File ▸ Open recent: a file that has gone is an error and leaves the list.
  bool openRecentProject(const QString& path);
  RecentProjects* recentProjects() const { return recent_; }
  bool saveProject();                      // Save As when never saved
  bool saveProjectAs(const QString& path);
  void addShotFromPanel();
  void loadShot(int row);  // selects it: the prompt panel shows it and edits it
  void removeShot(int row);
  void queueAllShots();

 protected:
  void closeEvent(QCloseEvent* event) override;

 private:
  void buildDocks();
  void buildActions();
  void buildProjectActions();
  void connectProject();
  void connectTimeline();  // main_window_timeline.cpp
  void reopenLastProject();
  void rebuildRecentMenu();
  bool confirmDiscardProject();  // asks when the project has unsaved edits
  void offerRecovery();
  void updateTitle();
  void connectQueue();
  void loadState();
  void saveSession();  // the panel's parameters, restored at the next start
  void saveQueue();
  void saveGallery();

  void onEntryFinished(const QUuid& entry, const GenerationParams& params, const JobOutcome& outcome);
  void onQueueMoveRequested(int from, int to);
  void onQueueRemoveRequested(int row);
  void onQueueCancelRequested(int row);
  void onQueueRetryRequested(int row);
  void onGalleryImageActivated(const QString& file);
  void onRevealRequested(const QString& file);

  MainWindowOptions options_;
  QSettings store_;
  AppSettings settings_;
  RecentProjects* recent_;
  QMenu* recent_menu_ = nullptr;

  QUndoStack* undo_;
  EngineClient* client_;
  RenderQueueModel* queue_model_;
  QueueRunner* runner_;
  GalleryModel* gallery_model_;

  PromptPanel* prompt_;
  ViewportWidget* viewport_;
  NoticeBar* notice_;
  GalleryView* gallery_view_;
  QueueView* queue_view_;
  StatusPanel* status_;

  ProjectDocument* project_;
  ShotListModel* shot_model_;
  ShotsView* shots_view_;
  TimelineModel* timeline_model_;
  TimelinePanel* timeline_panel_;
  PromptShotLink* link_;
  QWidget* link_banner_;  // above the prompt panel while it edits a shot
  PlayheadPreview* playhead_preview_ = nullptr;  // the viewport while the timeline plays or is scrubbed
};

}  // namespace dc::ui
