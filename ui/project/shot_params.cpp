#include "ui/project/shot_params.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

#include "core/project/project_file.h"
#include "ui/common/widget_helpers.h"

namespace dc::ui {
namespace {

QString resolved_folder(const project::ModelRef& model, const QString& project_file) {
  if (project_file.isEmpty()) return QString::fromStdString(model.folder);
  return QString::fromStdString(project::resolve_project_path(project_file.toStdString(), model.folder).string());
}

// A model id from the folder's name: [A-Za-z0-9_-] only, unique in the project.
std::string new_model_id(const project::Project& project, const QString& folder) {
  QString base = QFileInfo(folder).fileName();
  base.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_-]")), QStringLiteral("-"));
  if (base.isEmpty()) base = QStringLiteral("model");
  QString id = base;
  for (int k = 2; project.find_model(id.toStdString()); ++k) id = QStringLiteral("%1-%2").arg(base).arg(k);
  return id.toStdString();
}

// How the project stores a folder or file: relative when it lies inside the project's
// folder (the project can move with its models), absolute otherwise or when never saved.
std::string stored_path(const QString& folder, const QString& project_file) {
  if (project_file.isEmpty()) return canonical_path(folder).toStdString();
  const QDir project_dir = QFileInfo(project_file).absoluteDir();
  const QString relative = project_dir.relativeFilePath(canonical_path(folder));
  if (!relative.startsWith(QLatin1String(".."))) return relative.toStdString();
  return canonical_path(folder).toStdString();
}

}  // namespace

QString next_shot_id(const project::Project& project) {
  for (int n = static_cast<int>(project.shots.size()) + 1;; ++n) {
    const QString id = QStringLiteral("shot-%1").arg(n, 3, 10, QLatin1Char('0'));
    if (!project.find_shot(id.toStdString())) return id;
  }
}

ShotDraft shot_from_params(const project::Project& project, const GenerationParams& p, const QString& project_file) {
  ShotDraft draft;
  const QString folder = canonical_path(p.model_folder);
  for (const project::ModelRef& m : project.models)
    if (canonical_path(resolved_folder(m, project_file)) == folder) draft.shot.model = m.id;
  if (draft.shot.model.empty()) {
    draft.new_model = project::ModelRef{new_model_id(project, p.model_folder), stored_path(p.model_folder, project_file), {}};
    draft.shot.model = draft.new_model->id;
  }
  project::Shot& s = draft.shot;
  s.id = next_shot_id(project).toStdString();
  s.type = project::ShotType::kImage;
  s.prompt = p.prompt.toStdString();
  s.negative_prompt = p.negative_prompt.toStdString();
  s.seed = p.seed;
  s.steps = p.steps;
  s.sampler = p.sampler.toStdString();
  s.schedule = p.schedule.toStdString();
  s.guidance = p.guidance;
  // As the engine runs it: true CFG only with a negative prompt.
  s.true_cfg_scale = p.negative_prompt.isEmpty() ? 1.0 : p.true_cfg_scale;
  s.width = p.width;
  s.height = p.height;
  s.loras = lora_refs(p.loras, project_file);
  const double end = project.shots.empty() ? 0.0
                                           : project.shots.back().timeline.start + project.shots.back().timeline.duration;
  s.timeline = {0, end, kImageShotSeconds};
  return draft;
}

GenerationParams params_from_shot(const project::Project& project, const project::Shot& shot,
                                  const QString& project_file) {
  GenerationParams p;
  if (const project::ModelRef* m = project.find_model(shot.model)) p.model_folder = resolved_folder(*m, project_file);
  p.prompt = QString::fromStdString(shot.prompt);
  p.negative_prompt = QString::fromStdString(shot.negative_prompt);
  p.true_cfg_scale = shot.negative_prompt.empty() ? GenerationParams{}.true_cfg_scale : shot.true_cfg_scale;
  p.guidance = shot.guidance;
  p.steps = shot.steps;
  p.sampler = QString::fromStdString(shot.sampler);
  p.schedule = QString::fromStdString(shot.schedule);
  p.width = shot.width;
  p.height = shot.height;
  p.batch = 1;
  p.seed = shot.seed;
  p.loras = lora_entries(shot.loras, project_file);
  return p;
}

std::vector<project::LoRARef> lora_refs(const QList<LoRAEntry>& loras, const QString& project_file) {
  std::vector<project::LoRARef> refs;
  for (const LoRAEntry& l : loras)
    if (l.enabled) refs.push_back({stored_path(l.path, project_file), l.strength});
  return refs;
}

QList<LoRAEntry> lora_entries(const std::vector<project::LoRARef>& loras, const QString& project_file) {
  QList<LoRAEntry> entries;
  for (const project::LoRARef& l : loras) {
    const QString path = project_file.isEmpty()
                             ? QString::fromStdString(l.path)
                             : QString::fromStdString(project::resolve_project_path(project_file.toStdString(), l.path).string());
    entries.append({QDir::cleanPath(QFileInfo(path).absoluteFilePath()), l.strength, true});
  }
  return entries;
}

bool same_enabled_loras(const QList<LoRAEntry>& a, const QList<LoRAEntry>& b) {
  auto enabled = [](const QList<LoRAEntry>& list) {
    QList<std::pair<QString, double>> out;
    for (const LoRAEntry& l : list)
      if (l.enabled) out.append({canonical_path(l.path), l.strength});
    return out;
  };
  return enabled(a) == enabled(b);
}

}  // namespace dc::ui
