// The main window's project half: New / Open / Open recent / Save / Save As, the Project panel
// (add the current parameters as a shot, load, remove, queue all), autosave
// recovery, the window title, and the question before unsaved edits are dropped.
#include <QAction>
#include <QFileDialog>
#include <QFileInfo>
#include <QListView>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QTimer>
#include <QUndoStack>

#include "ui/common/notice_bar.h"
#include "ui/main_window/main_window.h"
#include "ui/project/project_commands.h"
#include "ui/project/project_document.h"
#include "ui/project/recent_projects.h"
#include "ui/project/shot_output.h"
#include "ui/project/shots_view.h"
#include "ui/prompt/prompt_panel.h"
#include "ui/queue/queue_runner.h"
#include "ui/queue/render_queue_model.h"
#include "ui/timeline/timeline_model.h"

namespace dc::ui {
namespace {

const QString kLastProjectKey = QStringLiteral("session/last_project");
const QString kProjectFilter = QStringLiteral("DC Studio projects (*.dcproj)");

QString error_text(const Error& e) { return QString::fromStdString(e.to_string()); }

}  // namespace

void MainWindow::buildProjectActions() {
  QMenu* file = menuBar()->findChild<QMenu*>(QStringLiteral("menuFile"));
  QAction* first = file->actions().value(0);
  auto add = [&](const QString& text, const char* name, const QKeySequence& key, auto slot) {
    auto* a = new QAction(text, this);
    a->setObjectName(QLatin1String(name));
    a->setShortcut(key);
    connect(a, &QAction::triggered, this, slot);
    file->insertAction(first, a);
    return a;
  };
  add(tr("&New project"), "actionNewProject", QKeySequence::New, [this] { newProject(); });
  add(tr("&Open project…"), "actionOpenProject", QKeySequence::Open, [this] {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open project"), QString(), kProjectFilter);
    if (!path.isEmpty()) openProject(path);
  });
  recent_menu_ = new QMenu(tr("Open &recent"), this);
  recent_menu_->setObjectName(QStringLiteral("menuRecentProjects"));
  file->insertMenu(first, recent_menu_);
  connect(recent_, &RecentProjects::changed, this, &MainWindow::rebuildRecentMenu);
  rebuildRecentMenu();
  add(tr("&Save project"), "actionSaveProject", QKeySequence(Qt::CTRL | Qt::Key_S), [this] { saveProject(); });
  add(tr("Save project &as…"), "actionSaveProjectAs", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S), [this] {
    const QString path = QFileDialog::getSaveFileName(this, tr("Save project as"), project_->filePath(), kProjectFilter);
    if (!path.isEmpty()) saveProjectAs(path.endsWith(QLatin1String(".dcproj")) ? path : path + QStringLiteral(".dcproj"));
  });
  file->insertSeparator(first);

  QMenu* project = menuBar()->addMenu(tr("&Project"));
  QAction* add_shot = project->addAction(tr("&Add shot from the prompt"), this, &MainWindow::addShotFromPanel);
  add_shot->setObjectName(QStringLiteral("actionAddShot"));
  add_shot->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
  project->addAction(tr("&Queue all shots"), this, &MainWindow::queueAllShots);
}

// "1  harbour.dcproj   /home/me/films": the newest first; a file that has gone is
// still listed (a disconnected drive may come back) and dropped when it fails to open.
void MainWindow::rebuildRecentMenu() {
  recent_menu_->clear();
  const QStringList files = recent_->files();
  for (int i = 0; i < files.size(); ++i) {
    const QString& file = files[i];
    const QFileInfo info(file);
    const QString missing = info.exists() ? QString() : tr(" (not found)");
    QAction* a = recent_menu_->addAction(
        QStringLiteral("&%1  %2%3\t%4").arg((i + 1) % 10).arg(QString(info.fileName()).replace(QLatin1Char('&'), QStringLiteral("&&")), missing, info.absolutePath()));
    a->setData(file);
    connect(a, &QAction::triggered, this, [this, file] { openRecentProject(file); });
  }
  if (files.isEmpty()) recent_menu_->addAction(tr("No recent projects"))->setEnabled(false);
  recent_menu_->addSeparator();
  QAction* clear = recent_menu_->addAction(tr("&Clear the list"), recent_, &RecentProjects::clear);
  clear->setEnabled(!files.isEmpty());
}

bool MainWindow::openRecentProject(const QString& file) {
  if (!QFileInfo::exists(file)) {
    recent_->remove(file);
    showError(tr("%1 no longer exists; it was removed from the recent projects.").arg(file));
    return false;
  }
  return openProject(file);
}

void MainWindow::connectProject() {
  connect(project_, &ProjectDocument::dirtyChanged, this, &MainWindow::updateTitle);
  connect(project_, &ProjectDocument::filePathChanged, this, &MainWindow::updateTitle);
  connect(project_, &ProjectDocument::autosaveFailed, this,
          [this](const QString& e) { showError(tr("Autosave failed: %1").arg(e)); });
  connect(shots_view_, &ShotsView::addRequested, this, &MainWindow::addShotFromPanel);
  connect(shots_view_, &ShotsView::loadRequested, this, &MainWindow::loadShot);
  connect(shots_view_, &ShotsView::removeRequested, this, &MainWindow::removeShot);
  connect(shots_view_, &ShotsView::queueAllRequested, this, &MainWindow::queueAllShots);
  updateTitle();
}

void MainWindow::reopenLastProject() {
  const QString last = store_.value(kLastProjectKey).toString();
  if (last.isEmpty() || !QFileInfo::exists(last)) return;
  // After the window is up, so a recovery question has a window to belong to.
  QTimer::singleShot(0, this, [this, last] { openProject(last); });
}

void MainWindow::updateTitle() {
  setWindowTitle(tr("%1%2 — DC Studio").arg(project_->displayName(), project_->isDirty() ? QStringLiteral("*") : QString()));
}

bool MainWindow::confirmDiscardProject() {
  if (!project_->isDirty()) return true;
  const QString question = tr("The project \"%1\" has unsaved changes. Save them?").arg(project_->displayName());
  const int answer = options_.prompts.unsaved_changes
                         ? options_.prompts.unsaved_changes(question)
                         : QMessageBox::question(this, tr("Unsaved changes"), question,
                                                 QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
  if (answer == QMessageBox::Save) return saveProject();
  return answer == QMessageBox::Discard;
}

bool MainWindow::newProject() {
  if (!confirmDiscardProject()) return false;
  project_->reset();
  undo_->clear();  // commands point into the old project
  store_.remove(kLastProjectKey);
  return true;
}

bool MainWindow::openProject(const QString& path) {
  if (!confirmDiscardProject()) return false;
  const Status s = project_->open(path);
  if (!s) {
    showError(tr("Cannot open the project: %1").arg(error_text(s.error())));
    return false;
  }
  undo_->clear();
  store_.setValue(kLastProjectKey, project_->filePath());
  recent_->add(project_->filePath());
  offerRecovery();
  statusBar()->showMessage(tr("Opened %1 (%2 shots)").arg(project_->filePath()).arg(project_->project().shots.size()));
  return true;
}

void MainWindow::offerRecovery() {
  Result<std::optional<project::Recovery>> r = project_->recovery();
  if (!r) {
    showError(tr("An autosave of this project could not be read: %1").arg(error_text(r.error())));
    return;
  }
  if (!r->has_value()) return;
  const QString question =
      tr("DC Studio did not close normally: \"%1\" has an autosave newer than the file. Restore the unsaved changes?")
          .arg(project_->displayName());
  const bool restore = options_.prompts.restore_autosave
                           ? options_.prompts.restore_autosave(question)
                           : QMessageBox::question(this, tr("Restore unsaved changes"), question) == QMessageBox::Yes;
  if (restore) {
    project_->restoreAutosave(**r);
  } else if (const Status s = project_->discardAutosave(); !s) {
    showError(tr("The autosave could not be removed: %1").arg(error_text(s.error())));
  }
}

bool MainWindow::saveProject() {
  if (project_->filePath().isEmpty()) {
    const QString path = QFileDialog::getSaveFileName(this, tr("Save project"), QString(), kProjectFilter);
    return !path.isEmpty() && saveProjectAs(path.endsWith(QLatin1String(".dcproj")) ? path : path + QStringLiteral(".dcproj"));
  }
  const Status s = project_->save();
  if (!s) {
    showError(tr("The project was not saved: %1").arg(error_text(s.error())));
    return false;
  }
  statusBar()->showMessage(tr("Saved %1").arg(project_->filePath()), 5000);
  return true;
}

bool MainWindow::saveProjectAs(const QString& path) {
  const Status s = project_->saveAs(path);
  if (!s) {
    showError(tr("The project was not saved: %1").arg(error_text(s.error())));
    return false;
  }
  store_.setValue(kLastProjectKey, project_->filePath());
  recent_->add(project_->filePath());
  statusBar()->showMessage(tr("Saved %1").arg(project_->filePath()), 5000);
  return true;
}

void MainWindow::addShotFromPanel() {
  const GenerationParams params = prompt_->params();
  if (params.model_folder.isEmpty()) {
    showError(tr("Choose a model first: a shot names the model that renders it."));
    return;
  }
  const int index = static_cast<int>(project_->project().shots.size());
  ShotDraft draft = shot_from_params(project_->project(), params, project_->filePath());
  if (const Status ok = project_->checkInsertShot(index, draft); !ok) {
    showError(error_text(ok.error()));
    return;
  }
  undo_->push(new AddShotCommand(project_, index, std::move(draft)));
  shots_view_->list()->setCurrentIndex(shots_view_->list()->model()->index(index, 0));
}

void MainWindow::loadShot(int row) {
  if (row < 0 || row >= static_cast<int>(project_->project().shots.size())) return;
  timeline_model_->selectShot(row);  // PromptShotLink shows it (one "Load shot" step from free values)
}

void MainWindow::removeShot(int row) {
  if (row < 0 || row >= static_cast<int>(project_->project().shots.size())) return;
  undo_->push(new RemoveShotCommand(project_, row));
}

void MainWindow::queueAllShots() {
  const project::Project& p = project_->project();
  int videos = 0;
  for (size_t row = 0; row < p.shots.size(); ++row) {
    const project::Shot& shot = p.shots[row];
    if (shot.type == project::ShotType::kVideo) {  // the engine has no video pipeline yet
      ++videos;
      continue;
    }
    // The picture also goes to the project's output folder, where the timeline looks;
    // a project never saved, or one set to EXR/TIFF/safetensors, keeps it in the gallery only.
    QString published = timeline_model_->outputFile(static_cast<int>(row));
    if (!published.endsWith(QStringLiteral(".png"))) published.clear();
    queue_model_->enqueue(params_from_shot(p, shot, project_->filePath()), published);
  }
  if (videos > 0)
    statusBar()->showMessage(tr("%n video shot(s) skipped: rendering video needs a video model", "", videos), 8000);
  runner_->startNext();
}

}  // namespace dc::ui
