#include "ui/common/generation_params_mime.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QMimeData>

namespace dc::ui {

QMimeData* generation_params_mime(const GenerationParams& params) {
  auto* mime = new QMimeData;
  mime->setData(QString::fromLatin1(kGenerationParamsMimeType), QJsonDocument(to_json(params)).toJson(QJsonDocument::Compact));
  return mime;
}

bool has_generation_params(const QMimeData* mime) {
  return mime && mime->hasFormat(QString::fromLatin1(kGenerationParamsMimeType));
}

std::optional<GenerationParams> params_from_mime(const QMimeData* mime, QString* error) {
  if (!has_generation_params(mime)) {
    *error = QStringLiteral("the dropped data is not a DC Studio image's parameters");
    return std::nullopt;
  }
  QJsonParseError parse;
  const QJsonDocument doc = QJsonDocument::fromJson(mime->data(QString::fromLatin1(kGenerationParamsMimeType)), &parse);
  if (parse.error != QJsonParseError::NoError || !doc.isObject()) {
    *error = QStringLiteral("the dropped parameters are not a JSON object: %1").arg(parse.errorString());
    return std::nullopt;
  }
  QString why;
  std::optional<GenerationParams> params = params_from_json(doc.object(), &why);
  if (!params) *error = QStringLiteral("the dropped parameters are unreadable: %1").arg(why);
  return params;
}

}  // namespace dc::ui
