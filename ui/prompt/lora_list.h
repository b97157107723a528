// The prompt panel's LoRA list: one row per LoRA file with an enable box, its name
// (the file's stem; the full path as tooltip; red when the file is missing), a
// strength (-4..4, double-click resets it to 1), up/down and remove buttons, and a
// handle to drag the row elsewhere. browse() opens a file dialog (in the Settings'
// LoRA folder when set; the panel's "Add LoRA…" button calls it); .safetensors
// files dropped on the list are inserted where they land.
//
// It holds no undo history: it reports edits, the panel turns them into commits.
// aboutToEdit() comes before an add/remove/move/enable change (so a pending edit
// of another field settles first) and edited() after it; strengthEdited() after a
// strength change, which settles after a pause like typing. setEntries() applies a
// list without reporting it.
//
//   auto* loras = new LoRAListWidget(panel);
//   loras->setEntries(params.loras);
//   loras->addFiles({"/loras/style.safetensors"});  // what the dialog and drops do
#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QWidget>
#include <vector>

#include "ui/common/generation_params.h"

class QCheckBox;
class QDoubleSpinBox;
class QFrame;
class QLabel;
class QMimeData;
class QToolButton;
class QVBoxLayout;

namespace dc::ui {

class LoRAListWidget : public QWidget {
  Q_OBJECT

 public:
  static constexpr double kDefaultStrength = 1.0;
  static constexpr double kMaxStrength = 4.0;  // the spin box's range is ±kMaxStrength

  explicit LoRAListWidget(QWidget* parent = nullptr);

  QList<LoRAEntry> entries() const { return entries_; }
  void setEntries(const QList<LoRAEntry>& entries);  // no signals
  void setBrowseFolder(const QString& folder) { browse_folder_ = folder; }
  int count() const { return static_cast<int>(entries_.size()); }
  QWidget* row(int index) const;  // the row's widget (tests, screenshots)

  // The edits the row controls, the dialog and drops make; each one is one edit.
  // Files already listed and files that are not .safetensors are left out.
  void addFiles(const QStringList& files, int at = -1);  // at: row to insert before; -1: the end
  void removeEntry(int index);
  void moveEntry(int from, int to);
  void setEntryEnabled(int index, bool enabled);
  void setEntryStrength(int index, double strength);  // a strength edit (strengthEdited)
  // What dragging row `index` carries (the caller owns it); dropped on this list, it moves the row.
  QMimeData* rowMimeData(int index) const;
  void browse();  // the file dialog, then addFiles

 Q_SIGNALS:
  void aboutToEdit();
  void edited();
  void strengthEdited();

 protected:
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dragMoveEvent(QDragMoveEvent* event) override;
  void dragLeaveEvent(QDragLeaveEvent* event) override;
  void dropEvent(QDropEvent* event) override;
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  struct Row {
    QWidget* widget;
    QLabel* handle;
    QCheckBox* enabled;
    QLabel* name;
    QDoubleSpinBox* strength;
    QToolButton* up;
    QToolButton* down;
    QToolButton* remove;
  };

  void apply(QList<LoRAEntry> entries);  // one reported edit
  void rebuildRows();
  Row makeRow(int index);
  void showEntry(Row& row, const LoRAEntry& entry, int index);  // values, colours, tooltips
  int rowOf(QObject* child) const;
  int draggedRow(const QMimeData* mime) const;  // -1: not a row of this list
  bool acceptDrag(QDropEvent* event) const;  // a row of this list, or .safetensors files
  int dropIndex(int y) const;  // the row a drop at `y` goes before (count(): the end)
  void showDropIndicator(int index);
  void startRowDrag(int index);
  static QStringList droppableFiles(const QMimeData* mime);

  QList<LoRAEntry> entries_;
  std::vector<Row> rows_;
  QVBoxLayout* rows_layout_;
  QLabel* placeholder_;
  QFrame* drop_indicator_;
  QString browse_folder_;  // Settings' LoRA folder
  QString last_folder_;    // where the dialog was last used
  QPoint press_pos_;
  int pressed_row_ = -1;
  bool applying_ = false;  // showing values: spin box changes are not edits
};

}  // namespace dc::ui
