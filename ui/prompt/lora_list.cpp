#include "ui/prompt/lora_list.h"

#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QDrag>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QMouseEvent>
#include <QPainter>
#include <QStyle>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>
#include <algorithm>

#include "ui/common/widget_helpers.h"

namespace dc::ui {
namespace {

// A row dragged inside the list carries "<list>:<row>" under this type (the list's
// address: a row dragged to another list, or another app, is not taken for a move).
const QString kRowMime = QStringLiteral("application/x-dcstudio-lora-row");
const QColor kMissingColor(0xd0, 0x3a, 0x3a);

QString clean_absolute(const QString& path) { return QDir::cleanPath(QFileInfo(path).absoluteFilePath()); }

bool is_lora_file_name(const QString& path) { return path.endsWith(QLatin1String(".safetensors"), Qt::CaseInsensitive); }

// The strength: two decimals, ±4, 0.05 a step; double-clicking its text resets it.
class StrengthSpinBox : public QDoubleSpinBox {
 public:
  explicit StrengthSpinBox(QWidget* parent) : QDoubleSpinBox(parent) {
    setRange(-LoRAListWidget::kMaxStrength, LoRAListWidget::kMaxStrength);
    setDecimals(2);
    setSingleStep(0.05);
    setValue(LoRAListWidget::kDefaultStrength);
    setAcceptDrops(false);  // files dropped on a row go to the list, not into the text
    lineEdit()->setAcceptDrops(false);
    lineEdit()->installEventFilter(this);
  }

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override {
    if (watched == lineEdit() && event->type() == QEvent::MouseButtonDblClick) {
      setValue(LoRAListWidget::kDefaultStrength);
      return true;
    }
    return QDoubleSpinBox::eventFilter(watched, event);
  }
};

// A name that shrinks with the panel: elided in the middle (the end of a LoRA's name
// often tells versions apart).
class NameLabel : public QLabel {
 public:
  using QLabel::QLabel;
  QSize minimumSizeHint() const override { return {fontMetrics().horizontalAdvance(QStringLiteral("MMM")), QLabel::minimumSizeHint().height()}; }

 protected:
  void paintEvent(QPaintEvent*) override {
    QPainter painter(this);
    const QRect r = contentsRect();
    const QString shown = fontMetrics().elidedText(text(), Qt::ElideMiddle, r.width());
    style()->drawItemText(&painter, r, Qt::AlignLeft | Qt::AlignVCenter, palette(), isEnabled(), shown, foregroundRole());
  }
};

}  // namespace

LoRAListWidget::LoRAListWidget(QWidget* parent)
    : QWidget(parent),
      rows_layout_(new QVBoxLayout),
      placeholder_(new QLabel(tr("No LoRAs: add .safetensors files, or drop them here."), this)),
      drop_indicator_(new QFrame(this)) {
  setObjectName(QStringLiteral("loras"));
  setAcceptDrops(true);
  placeholder_->setObjectName(QStringLiteral("loraPlaceholder"));
  placeholder_->setWordWrap(true);
  placeholder_->setEnabled(false);  // drawn greyed: a hint, not a value
  drop_indicator_->setFrameShape(QFrame::HLine);
  drop_indicator_->setAutoFillBackground(true);
  drop_indicator_->setBackgroundRole(QPalette::Highlight);
  drop_indicator_->hide();

  rows_layout_->setContentsMargins(0, 0, 0, 0);
  rows_layout_->setSpacing(2);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(rows_layout_);
  layout->addWidget(placeholder_);
}

QWidget* LoRAListWidget::row(int index) const {
  return index >= 0 && index < static_cast<int>(rows_.size()) ? rows_[index].widget : nullptr;
}

void LoRAListWidget::setEntries(const QList<LoRAEntry>& entries) {
  entries_ = entries;
  rebuildRows();
}

void LoRAListWidget::addFiles(const QStringList& files, int at) {
  QList<LoRAEntry> next = entries_;
  int insert = at < 0 || at > count() ? count() : at;
  for (const QString& file : files) {
    const QString path = clean_absolute(file);
    const bool listed = std::any_of(next.begin(), next.end(), [&](const LoRAEntry& e) { return e.path == path; });
    if (listed || !is_lora_file_name(path)) continue;
    next.insert(insert++, LoRAEntry{path, kDefaultStrength, true});
  }
  if (next != entries_) apply(std::move(next));
}

void LoRAListWidget::removeEntry(int index) {
  if (index < 0 || index >= count()) return;
  QList<LoRAEntry> next = entries_;
  next.removeAt(index);
  apply(std::move(next));
}

void LoRAListWidget::moveEntry(int from, int to) {
  if (from < 0 || from >= count() || to < 0 || to >= count() || from == to) return;
  QList<LoRAEntry> next = entries_;
  next.move(from, to);
  apply(std::move(next));
}

void LoRAListWidget::setEntryEnabled(int index, bool enabled) {
  if (index < 0 || index >= count() || entries_[index].enabled == enabled) return;
  QList<LoRAEntry> next = entries_;
  next[index].enabled = enabled;
  apply(std::move(next));
}

void LoRAListWidget::setEntryStrength(int index, double strength) {
  strength = std::clamp(strength, -kMaxStrength, kMaxStrength);
  if (index < 0 || index >= count() || entries_[index].strength == strength) return;
  entries_[index].strength = strength;
  applying_ = true;
  rows_[index].strength->setValue(strength);
  applying_ = false;
  Q_EMIT strengthEdited();
}

void LoRAListWidget::browse() {
  const QString start = !last_folder_.isEmpty() ? last_folder_ : browse_folder_;
  const QStringList files =
      QFileDialog::getOpenFileNames(this, tr("Add LoRAs"), start, tr("LoRA files (*.safetensors)"));
  if (files.isEmpty()) return;
  last_folder_ = QFileInfo(files.front()).absolutePath();
  addFiles(files);
}

void LoRAListWidget::apply(QList<LoRAEntry> entries) {
  Q_EMIT aboutToEdit();  // the panel settles other pending edits while the old list still shows
  entries_ = std::move(entries);
  rebuildRows();
  Q_EMIT edited();
}

// Rows are positional: an edit changes how many there are, then each shows its entry.
void LoRAListWidget::rebuildRows() {
  applying_ = true;
  while (static_cast<int>(rows_.size()) > count()) {
    QWidget* gone = rows_.back().widget;
    rows_.pop_back();
    gone->hide();
    gone->setParent(nullptr);  // out of findChildren now; deleted later (its button may be signalling)
    gone->deleteLater();
  }
  while (static_cast<int>(rows_.size()) < count()) rows_.push_back(makeRow(static_cast<int>(rows_.size())));
  for (int i = 0; i < count(); ++i) showEntry(rows_[i], entries_[i], i);
  placeholder_->setVisible(entries_.isEmpty());
  applying_ = false;
}

LoRAListWidget::Row LoRAListWidget::makeRow(int index) {
  Row r;
  r.widget = new QWidget(this);
  r.widget->setObjectName(QStringLiteral("loraRow"));
  r.handle = new QLabel(QStringLiteral("≡"), r.widget);
  r.handle->setObjectName(QStringLiteral("loraHandle"));
  r.handle->setCursor(Qt::OpenHandCursor);
  r.handle->setToolTip(tr("Drag to reorder"));
  r.enabled = new QCheckBox(r.widget);
  r.enabled->setObjectName(QStringLiteral("loraEnabled"));
  r.enabled->setToolTip(tr("Use this LoRA"));
  r.name = new NameLabel(r.widget);
  r.name->setObjectName(QStringLiteral("loraName"));
  r.name->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
  r.strength = new StrengthSpinBox(r.widget);
  r.strength->setObjectName(QStringLiteral("loraStrength"));
  r.strength->setToolTip(tr("Strength (double-click: back to %1)").arg(kDefaultStrength, 0, 'f', 1));
  r.up = make_tool_button(r.widget, "loraUp", QString(), tr("Move up"), true);
  r.up->setArrowType(Qt::UpArrow);
  r.down = make_tool_button(r.widget, "loraDown", QString(), tr("Move down"), true);
  r.down->setArrowType(Qt::DownArrow);
  r.remove = make_tool_button(r.widget, "loraRemove", QString(), tr("Remove"), true);
  r.remove->setText(QStringLiteral("×"));

  auto* h = new QHBoxLayout(r.widget);
  h->setContentsMargins(0, 0, 0, 0);
  h->setSpacing(4);
  h->addWidget(r.handle);
  h->addWidget(r.enabled);
  h->addWidget(r.name, 1);
  h->addWidget(r.strength);
  h->addWidget(r.up);
  h->addWidget(r.down);
  h->addWidget(r.remove);
  rows_layout_->insertWidget(index, r.widget);

  for (QWidget* grip : {static_cast<QWidget*>(r.handle), static_cast<QWidget*>(r.name)}) grip->installEventFilter(this);
  QCheckBox* enabled = r.enabled;
  connect(enabled, &QCheckBox::toggled, this, [this, enabled](bool on) {
    if (!applying_) setEntryEnabled(rowOf(enabled), on);
  });
  QDoubleSpinBox* strength = r.strength;
  connect(strength, &QDoubleSpinBox::valueChanged, this, [this, strength](double v) {
    if (!applying_) setEntryStrength(rowOf(strength), v);
  });
  // Up/down keep the focus on the moved row, so repeated presses keep moving it.
  QToolButton* up = r.up;
  connect(up, &QToolButton::clicked, this, [this, up] {
    const int i = rowOf(up);
    moveEntry(i, i - 1);
    if (i > 0 && i - 1 < count()) (rows_[i - 1].up->isEnabled() ? rows_[i - 1].up : rows_[i - 1].down)->setFocus();
  });
  QToolButton* down = r.down;
  connect(down, &QToolButton::clicked, this, [this, down] {
    const int i = rowOf(down);
    moveEntry(i, i + 1);
    if (i >= 0 && i + 1 < count()) (rows_[i + 1].down->isEnabled() ? rows_[i + 1].down : rows_[i + 1].up)->setFocus();
  });
  QToolButton* remove = r.remove;
  connect(remove, &QToolButton::clicked, this, [this, remove] { removeEntry(rowOf(remove)); });
  return r;
}

void LoRAListWidget::showEntry(Row& row, const LoRAEntry& entry, int index) {
  const bool missing = !lora_file_exists(entry.path);
  row.name->setText(lora_name(entry.path));
  row.name->setToolTip(missing ? tr("%1\nFile not found: this LoRA is not used until it is back.").arg(entry.path)
                               : entry.path);
  QPalette palette = row.widget->palette();
  if (missing) {
    palette.setColor(QPalette::WindowText, kMissingColor);
  } else if (!entry.enabled) {
    palette.setColor(QPalette::WindowText, palette.color(QPalette::Disabled, QPalette::WindowText));
  }
  row.name->setPalette(palette);
  row.widget->setProperty("missing", missing);
  row.enabled->setChecked(entry.enabled);
  row.strength->setValue(entry.strength);
  row.up->setEnabled(index > 0);
  row.down->setEnabled(index + 1 < count());
}

int LoRAListWidget::rowOf(QObject* child) const {
  for (int i = 0; i < static_cast<int>(rows_.size()); ++i)
    for (QObject* o = child; o; o = o->parent())
      if (o == rows_[i].widget) return i;
  return -1;
}

bool LoRAListWidget::eventFilter(QObject* watched, QEvent* event) {
  switch (event->type()) {
    case QEvent::MouseButtonPress: {
      const auto* e = static_cast<QMouseEvent*>(event);
      if (e->button() == Qt::LeftButton) {
        press_pos_ = e->globalPosition().toPoint();
        pressed_row_ = rowOf(watched);
      }
      break;
    }
    case QEvent::MouseMove: {
      const auto* e = static_cast<QMouseEvent*>(event);
      if (pressed_row_ >= 0 && (e->buttons() & Qt::LeftButton) &&
          (e->globalPosition().toPoint() - press_pos_).manhattanLength() >= QApplication::startDragDistance()) {
        const int dragged = pressed_row_;
        pressed_row_ = -1;
        startRowDrag(dragged);
        return true;
      }
      break;
    }
    case QEvent::MouseButtonRelease: pressed_row_ = -1; break;
    default: break;
  }
  return QWidget::eventFilter(watched, event);
}

void LoRAListWidget::startRowDrag(int index) {
  auto* drag = new QDrag(this);
  drag->setMimeData(rowMimeData(index));
  drag->setPixmap(rows_[index].widget->grab());
  drag->setHotSpot(rows_[index].widget->mapFromGlobal(QCursor::pos()));
  drag->exec(Qt::MoveAction);
}

QStringList LoRAListWidget::droppableFiles(const QMimeData* mime) {
  QStringList files;
  for (const QUrl& url : mime->urls()) {
    const QString path = url.toLocalFile();
    if (url.isLocalFile() && is_lora_file_name(path) && QFileInfo(path).isFile()) files << path;
  }
  return files;
}

int LoRAListWidget::dropIndex(int y) const {
  for (int i = 0; i < count(); ++i)
    if (y < rows_[i].widget->geometry().center().y()) return i;
  return count();
}

void LoRAListWidget::showDropIndicator(int index) {
  int y = 0;
  if (index < count()) {
    y = rows_[index].widget->geometry().top() - 1;
  } else if (count() > 0) {
    y = rows_.back().widget->geometry().bottom() + 1;
  } else {
    y = placeholder_->geometry().top();
  }
  drop_indicator_->setGeometry(0, std::max(0, y - 1), width(), 2);
  drop_indicator_->show();
  drop_indicator_->raise();
}

QMimeData* LoRAListWidget::rowMimeData(int index) const {
  auto* mime = new QMimeData;
  mime->setData(kRowMime, QByteArray::number(reinterpret_cast<quintptr>(this)) + ':' + QByteArray::number(index));
  return mime;
}

int LoRAListWidget::draggedRow(const QMimeData* mime) const {
  const QList<QByteArray> parts = mime->data(kRowMime).split(':');
  bool ok = false;
  if (parts.size() != 2 || parts[0] != QByteArray::number(reinterpret_cast<quintptr>(this))) return -1;
  const int row = parts[1].toInt(&ok);
  return ok && row >= 0 && row < count() ? row : -1;
}

bool LoRAListWidget::acceptDrag(QDropEvent* event) const {
  if (draggedRow(event->mimeData()) >= 0) {
    event->setDropAction(Qt::MoveAction);
  } else if (!droppableFiles(event->mimeData()).isEmpty()) {
    event->setDropAction(Qt::CopyAction);
  } else {
    event->ignore();
    return false;
  }
  event->accept();
  return true;
}

void LoRAListWidget::dragEnterEvent(QDragEnterEvent* event) { acceptDrag(event); }

void LoRAListWidget::dragMoveEvent(QDragMoveEvent* event) {
  if (acceptDrag(event)) showDropIndicator(dropIndex(event->position().toPoint().y()));
}

void LoRAListWidget::dragLeaveEvent(QDragLeaveEvent*) { drop_indicator_->hide(); }

void LoRAListWidget::dropEvent(QDropEvent* event) {
  drop_indicator_->hide();
  const int at = dropIndex(event->position().toPoint().y());
  if (const int from = draggedRow(event->mimeData()); from >= 0) {
    event->setDropAction(Qt::MoveAction);
    event->accept();
    moveEntry(from, at > from ? at - 1 : at);  // `at` counts the dragged row itself
    return;
  }
  const QStringList files = droppableFiles(event->mimeData());
  if (files.isEmpty()) return;
  event->setDropAction(Qt::CopyAction);
  event->accept();
  addFiles(files, at);
}

}  // namespace dc::ui
