#include "ui/queue/queue_store.h"

#include <QJsonArray>

#include "ui/common/json_file.h"

namespace dc::ui {
namespace {

const QString kFormat = QStringLiteral("dcstudio-queue");

QJsonObject entry_to_json(const QueueEntry& e) {
  QJsonObject json{{QStringLiteral("id"), e.id.toString(QUuid::WithoutBraces)},
                   {QStringLiteral("state"), queue_state_name(e.state)},
                   {QStringLiteral("error"), e.error},
                   {QStringLiteral("outputs"), QJsonArray::fromStringList(e.outputs)},
                   {QStringLiteral("params"), to_json(e.params)}};
  if (!e.shot_output.isEmpty()) json.insert(QStringLiteral("shot_output"), e.shot_output);
  return json;
}

Result<QueueEntry> entry_from_json(const QJsonObject& json, int index) {
  auto fail = [index](const QString& why) {
    return Error::format("entry " + std::to_string(index) + ": " + why.toStdString());
  };
  QueueEntry e;
  e.id = QUuid::fromString(json.value(QStringLiteral("id")).toString());
  if (e.id.isNull()) return fail(QStringLiteral("\"id\" is not a UUID"));
  const std::optional<QueueState> state = queue_state_from_name(json.value(QStringLiteral("state")).toString());
  if (!state) return fail(QStringLiteral("unknown \"state\""));
  e.state = *state == QueueState::kRunning ? QueueState::kQueued : *state;
  e.error = json.value(QStringLiteral("error")).toString();
  for (const QJsonValue& v : json.value(QStringLiteral("outputs")).toArray()) e.outputs << v.toString();
  e.shot_output = json.value(QStringLiteral("shot_output")).toString();  // optional: shot jobs only
  QString why;
  std::optional<GenerationParams> params = params_from_json(json.value(QStringLiteral("params")).toObject(), &why);
  if (!params) return fail(QStringLiteral("params: ") + why);
  e.params = std::move(*params);
  return e;
}

}  // namespace

Result<QList<QueueEntry>> load_queue(const QString& path) {
  Result<QJsonObject> json = read_json_file(path, kFormat);
  if (!json) {
    if (json.error().code() == ErrorCode::kNotFound) return QList<QueueEntry>{};
    return std::move(json).error();
  }
  const int version = json->value(QStringLiteral("version")).toInt();
  if (version != kQueueFileVersion) {
    return Error::not_supported(path.toStdString() + ": queue file version " + std::to_string(version) +
                                " (this DC Studio reads version " + std::to_string(kQueueFileVersion) + ")");
  }
  QList<QueueEntry> entries;
  const QJsonArray array = json->value(QStringLiteral("entries")).toArray();
  for (int i = 0; i < array.size(); ++i) {
    Result<QueueEntry> e = entry_from_json(array[i].toObject(), i);
    if (!e) return std::move(e).error().with_context(path.toStdString());
    entries << std::move(*e);
  }
  return entries;
}

Status save_queue(const QString& path, const QList<QueueEntry>& entries) {
  QJsonArray array;
  for (const QueueEntry& e : entries) array.append(entry_to_json(e));
  return write_json_file(path, kFormat, QJsonObject{{QStringLiteral("version"), kQueueFileVersion},
                                                    {QStringLiteral("entries"), array}});
}

}  // namespace dc::ui
