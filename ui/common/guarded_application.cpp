#include "ui/common/guarded_application.h"

#include <exception>
#include <new>

#include "core/base/error.h"
#include "core/base/log.h"

namespace dc::ui {

GuardedApplication::GuardedApplication(int& argc, char** argv) : QApplication(argc, argv) {}

bool GuardedApplication::notify(QObject* receiver, QEvent* event) {
  try {
    return QApplication::notify(receiver, event);
  } catch (const ErrorException& e) {
    report(QString::fromStdString(e.error().to_string()));
  } catch (const std::bad_alloc&) {
    report(tr("out of host memory"));
  } catch (const std::exception& e) {
    report(QString::fromUtf8(e.what()));
  } catch (...) {
    report(tr("an unknown exception"));
  }
  return false;
}

void GuardedApplication::report(const QString& what) {
  log(LogLevel::kError, "an event handler failed: " + what.toStdString());
  if (on_error_) on_error_(tr("Internal error (the action was abandoned, the app keeps running): %1").arg(what));
}

}  // namespace dc::ui
