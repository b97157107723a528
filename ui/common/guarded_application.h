// The app's QApplication: the last line of "no exception crosses the UI event
// loop". Code in ui/ turns failures into Results and messages; should anything
// still throw out of an event handler (a bad_alloc in a slot, a third-party
// throw), notify() catches it here, logs it through core's log sink and shows it
// instead of letting it unwind through Qt, which Qt does not support.
#pragma once

#include <QApplication>
#include <functional>

namespace dc::ui {

class GuardedApplication : public QApplication {
  Q_OBJECT

 public:
  GuardedApplication(int& argc, char** argv);
  bool notify(QObject* receiver, QEvent* event) override;

  // Where the caught error is shown (the main window's notice bar); logged either way.
  void setErrorHandler(std::function<void(const QString&)> handler) { on_error_ = std::move(handler); }

 private:
  void report(const QString& what);
  std::function<void(const QString&)> on_error_;
};

}  // namespace dc::ui
