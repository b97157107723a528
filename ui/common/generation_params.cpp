#include "ui/common/generation_params.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonValue>

#include "core/project/project.h"

namespace dc::ui {
namespace {

// Reads json[key] into *out when it has the expected type; notes the first problem.
bool read_string(const QJsonObject& json, const char* key, QString* out, QString* error) {
  const QJsonValue v = json.value(QLatin1String(key));
  if (!v.isString()) {
    if (error) *error = QStringLiteral("\"%1\" is missing or not a string").arg(QLatin1String(key));
    return false;
  }
  *out = v.toString();
  return true;
}

bool read_number(const QJsonObject& json, const char* key, double* out, QString* error) {
  const QJsonValue v = json.value(QLatin1String(key));
  if (!v.isDouble()) {
    if (error) *error = QStringLiteral("\"%1\" is missing or not a number").arg(QLatin1String(key));
    return false;
  }
  *out = v.toDouble();
  return true;
}

bool read_int(const QJsonObject& json, const char* key, int* out, QString* error) {
  double d = 0;
  if (!read_number(json, key, &d, error)) return false;
  *out = static_cast<int>(d);
  return true;
}

QJsonArray loras_to_json(const QList<LoRAEntry>& loras) {
  QJsonArray array;
  for (const LoRAEntry& l : loras) {
    array.append(QJsonObject{{QStringLiteral("path"), l.path},
                             {QStringLiteral("strength"), l.strength},
                             {QStringLiteral("enabled"), l.enabled}});
  }
  return array;
}

// json["loras"], absent meaning none; "enabled" may be left out (true).
bool read_loras(const QJsonObject& json, QList<LoRAEntry>* out, QString* error) {
  const QJsonValue v = json.value(QLatin1String("loras"));
  if (v.isUndefined()) return true;
  if (!v.isArray()) {
    if (error) *error = QStringLiteral("\"loras\" is not an array");
    return false;
  }
  const QJsonArray array = v.toArray();
  for (qsizetype i = 0; i < array.size(); ++i) {
    const QJsonObject o = array[i].toObject();
    LoRAEntry l;
    QString why;
    const QJsonValue enabled = o.value(QLatin1String("enabled"));
    const bool ok = array[i].isObject() && read_string(o, "path", &l.path, &why) &&
                    read_number(o, "strength", &l.strength, &why) && (enabled.isUndefined() || enabled.isBool());
    if (!ok) {
      if (why.isEmpty()) why = array[i].isObject() ? QStringLiteral("\"enabled\" is not a boolean") : QStringLiteral("not an object");
      if (error) *error = QStringLiteral("\"loras\"[%1]: %2").arg(i).arg(why);
      return false;
    }
    l.enabled = enabled.toBool(true);
    out->append(l);
  }
  return true;
}

// json[key], absent meaning `*out` stays; present, one of `allowed`.
template <size_t N>
bool read_choice(const QJsonObject& json, const char* key, const std::string_view (&allowed)[N], QString* out,
                 QString* error) {
  const QJsonValue v = json.value(QLatin1String(key));
  if (v.isUndefined()) return true;
  for (std::string_view a : allowed) {
    if (v.isString() && v.toString().toStdString() == a) {
      *out = v.toString();
      return true;
    }
  }
  if (error) *error = QStringLiteral("\"%1\" is not one of the known values").arg(QLatin1String(key));
  return false;
}

}  // namespace

QJsonObject to_json(const GenerationParams& p) {
  return QJsonObject{
      {QStringLiteral("model_folder"), p.model_folder},
      {QStringLiteral("prompt"), p.prompt},
      {QStringLiteral("negative_prompt"), p.negative_prompt},
      {QStringLiteral("true_cfg_scale"), p.true_cfg_scale},
      {QStringLiteral("guidance"), p.guidance},
      {QStringLiteral("steps"), p.steps},
      {QStringLiteral("sampler"), p.sampler},
      {QStringLiteral("schedule"), p.schedule},
      {QStringLiteral("width"), p.width},
      {QStringLiteral("height"), p.height},
      {QStringLiteral("batch"), p.batch},
      // A string: JSON numbers are doubles, which cannot hold every 64-bit seed.
      {QStringLiteral("seed"), QString::number(p.seed)},
      {QStringLiteral("loras"), loras_to_json(p.loras)},
  };
}

std::optional<GenerationParams> params_from_json(const QJsonObject& json, QString* error) {
  GenerationParams p;
  QString seed;
  const bool ok = read_string(json, "model_folder", &p.model_folder, error) &&
                  read_string(json, "prompt", &p.prompt, error) &&
                  read_string(json, "negative_prompt", &p.negative_prompt, error) &&
                  read_number(json, "true_cfg_scale", &p.true_cfg_scale, error) &&
                  read_number(json, "guidance", &p.guidance, error) && read_int(json, "steps", &p.steps, error) &&
                  read_int(json, "width", &p.width, error) && read_int(json, "height", &p.height, error) &&
                  read_int(json, "batch", &p.batch, error) && read_string(json, "seed", &seed, error) &&
                  read_loras(json, &p.loras, error) &&
                  read_choice(json, "sampler", project::kSamplers, &p.sampler, error) &&
                  read_choice(json, "schedule", project::kSchedules, &p.schedule, error);
  if (!ok) return std::nullopt;
  bool seed_ok = false;
  p.seed = seed.toULongLong(&seed_ok);
  if (!seed_ok) {
    if (error) *error = QStringLiteral("\"seed\" is not an unsigned integer: %1").arg(seed);
    return std::nullopt;
  }
  return p;
}

bool lora_file_exists(const QString& path) { return QFileInfo(path).isFile(); }

QString lora_name(const QString& path) { return QFileInfo(path).completeBaseName(); }

QList<LoRAEntry> loras_to_apply(const GenerationParams& p) {
  QList<LoRAEntry> out;
  for (const LoRAEntry& l : p.loras)
    if (l.enabled && lora_file_exists(l.path)) out.append(l);
  return out;
}

engine::JobSpec to_job_spec(const GenerationParams& p) {
  engine::JobSpec spec;
  spec.kind = engine::JobKind::kTextToImage;
  spec.model_folder = p.model_folder.toStdString();
  pipeline::TextToImageRequest& r = spec.request;
  r.prompt = p.prompt.toStdString();
  r.negative_prompt = p.negative_prompt.toStdString();
  r.true_cfg_scale = p.negative_prompt.isEmpty() ? 1.0f : static_cast<float>(p.true_cfg_scale);
  r.guidance = static_cast<float>(p.guidance);
  r.steps = p.steps;
  r.width = p.width;
  r.height = p.height;
  r.batch = p.batch;
  r.seed = p.seed;
  r.shift = pipeline::sigma_shift_from_name(p.schedule.toStdString());  // the one sampler: flow-match Euler
  r.preview_every = 1;  // previews are a cheap latent-to-RGB map: one per step
  for (const LoRAEntry& l : loras_to_apply(p)) spec.loras.push_back({std::filesystem::path(l.path.toStdString()), l.strength});
  spec.label = summary_line(p).toStdString();
  return spec;
}

QString summary_line(const GenerationParams& p) {
  QString prompt = p.prompt.simplified();
  if (prompt.size() > 60) prompt = prompt.left(57) + QStringLiteral("…");
  QString line = QCoreApplication::translate("dc::ui", "%1 · %2×%3 · %4 steps · seed %5")
                     .arg(prompt)
                     .arg(p.width)
                     .arg(p.height)
                     .arg(p.steps)
                     .arg(p.seed);
  // The LoRAs the job will apply, as A1111 writes them (name:strength), so queue rows tell jobs apart.
  QStringList loras;
  for (const LoRAEntry& l : loras_to_apply(p)) {
    loras << QStringLiteral("%1:%2").arg(QFileInfo(l.path).completeBaseName()).arg(l.strength, 0, 'g', 3);
  }
  if (!loras.isEmpty()) line += QStringLiteral(" · ") + loras.join(QStringLiteral(", "));
  return line;
}

}  // namespace dc::ui
