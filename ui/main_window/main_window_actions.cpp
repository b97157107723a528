// The main window's menus and keyboard shortcuts.
#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QMenuBar>
#include <QUndoStack>

#include "ui/main_window/main_window.h"
#include "ui/viewport/viewport_widget.h"

namespace dc::ui {

void MainWindow::buildActions() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->setObjectName(QStringLiteral("menuFile"));
  QAction* settings = file->addAction(tr("&Settings…"), this, &MainWindow::showSettings);
  settings->setObjectName(QStringLiteral("actionSettings"));
  settings->setShortcut(QKeySequence::Preferences);
  file->addSeparator();
  QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
  quit->setShortcut(QKeySequence::Quit);

  buildProjectActions();  // New/Open/Save above Settings, and the Project menu

  QMenu* edit = menuBar()->addMenu(tr("&Edit"));
  QAction* undo = undo_->createUndoAction(this, tr("&Undo"));
  undo->setObjectName(QStringLiteral("actionUndo"));
  undo->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Z));
  QAction* redo = undo_->createRedoAction(this, tr("&Redo"));
  redo->setObjectName(QStringLiteral("actionRedo"));
  redo->setShortcuts({QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y)});
  edit->addAction(undo);
  edit->addAction(redo);

  QMenu* generate = menuBar()->addMenu(tr("&Generate"));
  QAction* run = generate->addAction(tr("&Generate"), this, &MainWindow::generate);
  run->setObjectName(QStringLiteral("actionGenerate"));
  // Return on the main keyboard and Enter on the keypad.
  run->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)});
  QAction* stop = generate->addAction(tr("&Cancel"), this, &MainWindow::cancel);
  stop->setObjectName(QStringLiteral("actionCancel"));
  stop->setShortcut(QKeySequence(Qt::Key_Escape));

  QMenu* view = menuBar()->addMenu(tr("&View"));
  QAction* fit = view->addAction(tr("&Fit to window"), viewport_, &ViewportWidget::fitToWindow);
  fit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
  QAction* actual = view->addAction(tr("&Actual size (1:1)"), viewport_, &ViewportWidget::showActualSize);
  actual->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_1));
  view->addSeparator();
  for (QDockWidget* dock : findChildren<QDockWidget*>()) view->addAction(dock->toggleViewAction());
}

}  // namespace dc::ui
