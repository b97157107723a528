#include "ui/project/project_document.h"

#include <QDir>
#include <QFileInfo>
#include <QTimer>

#include <algorithm>
#include <set>

#include "core/project/project_file.h"

namespace dc::ui {
namespace {

// A path stored relative to `from` (a project file), restated for a project file
// at `to`: relative when it lies inside `to`'s folder, absolute otherwise.
std::string rebase(const std::string& stored, const QString& from, const QString& to) {
  if (stored.empty() || QDir::isAbsolutePath(QString::fromStdString(stored))) return stored;
  const QString absolute =
      from.isEmpty() ? QDir::current().absoluteFilePath(QString::fromStdString(stored))
                     : QString::fromStdString(project::resolve_project_path(from.toStdString(), stored).string());
  const QString relative = QFileInfo(to).absoluteDir().relativeFilePath(QDir::cleanPath(absolute));
  return (relative.startsWith(QLatin1String("..")) ? QDir::cleanPath(absolute) : relative).toStdString();
}

}  // namespace

ProjectDocument::ProjectDocument(QObject* parent) : QObject(parent), autosave_timer_(new QTimer(this)) {
  autosave_timer_->setInterval(kAutosaveIntervalMs);
  connect(autosave_timer_, &QTimer::timeout, this, [this] {
    const Status s = writeAutosave();
    if (!s) Q_EMIT autosaveFailed(QString::fromStdString(s.error().to_string()));
  });
  autosave_timer_->start();
}

ProjectDocument::~ProjectDocument() = default;

QString ProjectDocument::displayName() const {
  return file_.isEmpty() ? tr("Untitled") : QFileInfo(file_).fileName();
}

void ProjectDocument::reset() {
  Q_EMIT projectAboutToReset();
  project_ = {};
  setFile({});
  setDirty(false);
  Q_EMIT projectReset();
}

Status ProjectDocument::open(const QString& path) {
  DC_TRY(project::Project loaded, project::load_project(path.toStdString()));
  Q_EMIT projectAboutToReset();
  project_ = std::move(loaded);
  setFile(QFileInfo(path).absoluteFilePath());
  setDirty(false);
  Q_EMIT projectReset();
  return ok_status();
}

Status ProjectDocument::save() {
  if (file_.isEmpty()) return Error::invalid_argument("the project has no file yet: use Save As");
  DC_TRY_STATUS(project::save_project_atomic(project_, file_.toStdString()));
  if (autosave_) DC_TRY_STATUS(autosave_->saved());
  setDirty(false);
  return ok_status();
}

Status ProjectDocument::saveAs(const QString& path) {
  const QString target = QFileInfo(path).absoluteFilePath();
  project::Project rebased = project_;
  for (project::ModelRef& m : rebased.models) m.folder = rebase(m.folder, file_, target);
  for (project::Shot& s : rebased.shots)
    for (project::LoRARef& l : s.loras) l.path = rebase(l.path, file_, target);
  if (rebased.name.empty()) rebased.name = QFileInfo(target).completeBaseName().toStdString();
  DC_TRY_STATUS(project::save_project_atomic(rebased, target.toStdString()));
  if (autosave_ && target != file_) (void)autosave_->saved();  // the old file's autosave is moot now
  project_ = std::move(rebased);
  setFile(target);
  DC_TRY_STATUS(autosave_->saved());
  setDirty(false);
  return ok_status();
}

Status ProjectDocument::writeAutosave() {
  if (!autosave_ || !dirty_) return ok_status();
  autosave_->mark_dirty();
  return autosave_->write_if_dirty(project_);
}

Result<std::optional<project::Recovery>> ProjectDocument::recovery() const {
  if (file_.isEmpty()) return std::optional<project::Recovery>{};
  return project::recover(file_.toStdString());
}

void ProjectDocument::restoreAutosave(const project::Recovery& recovery) {
  Q_EMIT projectAboutToReset();
  project_ = recovery.project;
  Q_EMIT projectReset();
  setDirty(true);
}

Status ProjectDocument::discardAutosave() {
  if (file_.isEmpty()) return ok_status();
  return project::discard_autosave(file_.toStdString());
}

Status ProjectDocument::checkInsertShot(int index, const ShotDraft& draft) const {
  if (index < 0 || index > static_cast<int>(project_.shots.size())) {
    return Error::invalid_argument("shot position " + std::to_string(index) + " is outside the project");
  }
  if (!project::is_valid_shot_id(draft.shot.id) || project_.find_shot(draft.shot.id)) {
    return Error::invalid_argument("shot id \"" + draft.shot.id + "\" is invalid or already used");
  }
  if (draft.new_model && project_.find_model(draft.new_model->id)) {
    return Error::invalid_argument("model id \"" + draft.new_model->id + "\" is already used");
  }
  if (!draft.new_model && !project_.find_model(draft.shot.model)) {
    return Error::invalid_argument("shot \"" + draft.shot.id + "\" names unknown model \"" + draft.shot.model + "\"");
  }
  return ok_status();
}

Status ProjectDocument::insertShot(int index, const ShotDraft& draft) {
  DC_TRY_STATUS(checkInsertShot(index, draft));
  if (draft.new_model) project_.models.push_back(*draft.new_model);
  Q_EMIT shotAboutToBeInserted(index);
  project_.shots.insert(project_.shots.begin() + index, draft.shot);
  Q_EMIT shotInserted(index);
  setDirty(true);
  return ok_status();
}

Result<project::Shot> ProjectDocument::removeShot(int index) {
  if (index < 0 || index >= static_cast<int>(project_.shots.size())) {
    return Error::invalid_argument("no shot at position " + std::to_string(index));
  }
  project::Shot shot = project_.shots[index];
  Q_EMIT shotAboutToBeRemoved(index);
  project_.shots.erase(project_.shots.begin() + index);
  Q_EMIT shotRemoved(index);
  setDirty(true);
  return shot;
}

Status ProjectDocument::removeModel(const std::string& id) {
  for (const project::Shot& s : project_.shots)
    if (s.model == id) return Error::invalid_argument("model \"" + id + "\" is still used by shot \"" + s.id + "\"");
  const auto it = std::find_if(project_.models.begin(), project_.models.end(),
                               [&](const project::ModelRef& m) { return m.id == id; });
  if (it == project_.models.end()) return Error::not_found("no model \"" + id + "\" in the project");
  project_.models.erase(it);
  setDirty(true);
  return ok_status();
}

Status ProjectDocument::addModel(const project::ModelRef& model) {
  if (model.id.empty() || project_.find_model(model.id)) {
    return Error::invalid_argument("model id \"" + model.id + "\" is empty or already used");
  }
  project_.models.push_back(model);
  setDirty(true);
  return ok_status();
}

Status ProjectDocument::checkEditShots(const std::vector<project::Shot>& shots,
                                       const std::optional<project::ModelRef>& new_model) const {
  if (shots.size() != project_.shots.size()) {
    return Error::invalid_argument("a shot edit must keep the project's " + std::to_string(project_.shots.size()) +
                                   " shots, got " + std::to_string(shots.size()));
  }
  std::set<std::string> ids;
  for (const project::Shot& s : shots) {
    if (!project_.find_shot(s.id) || !ids.insert(s.id).second) {
      return Error::invalid_argument("a shot edit must keep the project's shots: \"" + s.id + "\" is new or twice");
    }
  }
  if (new_model && project_.find_model(new_model->id)) {
    return Error::invalid_argument("model id \"" + new_model->id + "\" is already used");
  }
  project::Project edited = project_;
  if (new_model) edited.models.push_back(*new_model);
  edited.shots = shots;
  const Result<std::string> saved = project::serialize_project(edited);
  if (!saved) return saved.error();
  return ok_status();
}

Status ProjectDocument::editShots(const std::vector<project::Shot>& shots) {
  DC_TRY_STATUS(checkEditShots(shots));
  std::vector<project::Shot>& current = project_.shots;
  for (size_t i = 0; i < shots.size(); ++i) {
    const auto from = std::find_if(current.begin() + i, current.end(),
                                   [&](const project::Shot& s) { return s.id == shots[i].id; });
    const int j = static_cast<int>(from - current.begin());
    if (j == static_cast<int>(i)) continue;
    Q_EMIT shotAboutToBeMoved(j, static_cast<int>(i));
    std::rotate(current.begin() + i, from, from + 1);
    Q_EMIT shotMoved(j, static_cast<int>(i));
  }
  for (size_t i = 0; i < shots.size(); ++i) {
    if (current[i] == shots[i]) continue;
    current[i] = shots[i];
    Q_EMIT shotChanged(static_cast<int>(i));
  }
  setDirty(true);
  return ok_status();
}

void ProjectDocument::setDirty(bool dirty) {
  if (dirty_ == dirty) return;
  dirty_ = dirty;
  Q_EMIT dirtyChanged(dirty);
}

void ProjectDocument::setFile(const QString& path) {
  if (path == file_) return;
  file_ = path;
  autosave_ = path.isEmpty() ? nullptr : std::make_unique<project::Autosave>(path.toStdString());
  Q_EMIT filePathChanged(path);
}

}  // namespace dc::ui
