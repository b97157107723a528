// dcgen: the headless DC Studio command line. One file per verb (cmd_<verb>.cpp).
#include <cstdio>
#include <exception>

#include "app/dcgen/cli_common.h"
#include "app/dcgen/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"dcgen: DC Studio's headless engine (DC-Gen / DC-AE models)", "dcgen"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "dcgen 0.1.0");
  std::vector<std::pair<CLI::App*, dcgen::Runner>> commands;
  auto add = [&](dcgen::Runner (*fn)(CLI::App&)) {
    const size_t before = app.get_subcommands({}).size();
    dcgen::Runner r = fn(app);
    commands.emplace_back(app.get_subcommands({})[before], std::move(r));
  };
  add(dcgen::add_forward_command);
  add(dcgen::add_encode_command);
  add(dcgen::add_decode_command);
  add(dcgen::add_info_command);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : dcgen::kExitBadInput;
  }
  for (auto& [sub, run] : commands) {
    if (sub->parsed()) {
      try {
        return run();
      } catch (const std::exception& e) {  // nothing escapes main uncaught
        std::fprintf(stderr, "dcgen %s: internal error: %s\n", sub->get_name().c_str(), e.what());
        return dcgen::kExitFailed;
      }
    }
  }
  return dcgen::kExitBadInput;
}
