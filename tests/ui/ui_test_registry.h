// Several Qt Test classes in one executable: each registers a factory under its
// name, and `dc_test_ui <ClassName> [QTest options]` runs one of them (ctest runs
// each as its own test); with no name, all of them run.
#pragma once

#include <QObject>
#include <functional>
#include <map>
#include <memory>
#include <string>

namespace dc::test {

using UiTestFactory = std::function<std::unique_ptr<QObject>()>;
std::map<std::string, UiTestFactory>& ui_tests();

struct UiTestRegistrar {
  UiTestRegistrar(const char* name, UiTestFactory factory) { ui_tests().emplace(name, std::move(factory)); }
};

}  // namespace dc::test

#define DC_UI_TEST(Class) \
  static const ::dc::test::UiTestRegistrar dc_ui_test_##Class(#Class, [] { return std::make_unique<Class>(); })
