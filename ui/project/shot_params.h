// Between the prompt panel's GenerationParams and a project's shots: a shot made
// from the current parameters (registering its model folder in the project when
// new), and the parameters a shot stands for (its model folder and LoRA files
// resolved against the project file). A shot holds the panel's enabled LoRAs;
// disabled ones are the panel's own.
//
//   ShotDraft draft = shot_from_params(doc.project(), panel->params(), doc.filePath());
//   GenerationParams p = params_from_shot(doc.project(), doc.project().shots[2], doc.filePath());
#pragma once

#include <QList>
#include <QString>
#include <optional>
#include <vector>

#include "core/project/project.h"
#include "ui/common/generation_params.h"

namespace dc::ui {

inline constexpr double kImageShotSeconds = 5.0;  // the schema's default length of an image shot

struct ShotDraft {
  project::Shot shot;
  std::optional<project::ModelRef> new_model;  // to add with the shot: its model is not in the project yet
};

// `project_file` empty: the project was never saved, model folders are stored absolute.
// The shot gets the next free id ("shot-001", ...) and starts where the last shot ends.
ShotDraft shot_from_params(const project::Project& project, const GenerationParams& params,
                           const QString& project_file);

GenerationParams params_from_shot(const project::Project& project, const project::Shot& shot,
                                  const QString& project_file);

QString next_shot_id(const project::Project& project);

// The panel's enabled LoRAs as a shot stores them: relative to the project's folder
// when inside it, absolute otherwise (or when the project was never saved).
std::vector<project::LoRARef> lora_refs(const QList<LoRAEntry>& loras, const QString& project_file);
// A shot's LoRAs as panel rows (enabled, absolute paths).
QList<LoRAEntry> lora_entries(const std::vector<project::LoRARef>& loras, const QString& project_file);
// Whether two panel lists make the same LoRAs take part (enabled ones, same files and strengths).
bool same_enabled_loras(const QList<LoRAEntry>& a, const QList<LoRAEntry>& b);

}  // namespace dc::ui
