#include "ui/common/widget_helpers.h"

#include <QFileInfo>

namespace dc::ui {

QToolButton* make_tool_button(QWidget* parent, const char* name, const QString& text, const QString& tip,
                              bool auto_raise) {
  auto* b = new QToolButton(parent);
  b->setObjectName(QLatin1String(name));
  b->setText(text);
  b->setToolTip(tip);
  b->setAutoRaise(auto_raise);
  return b;
}

QString canonical_path(const QString& path) {
  const QFileInfo info(path);
  const QString c = info.canonicalFilePath();
  return c.isEmpty() ? info.absoluteFilePath() : c;
}

}  // namespace dc::ui
