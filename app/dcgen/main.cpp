// dcgen: the headless DC Studio command line. One file per verb (cmd_<verb>.cpp).
#include <cstdio>
#include <exception>

#include "app/dcgen/cli_common.h"
#include "app/dcgen/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"dcgen: DC Studio's headless engine (DC-Gen-FLUX text to image, DC-AE)", "dcgen"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "dcgen 0.1.0");
  const std::vector<dcgen::Command> commands = {
      dcgen::add_generate_command(app), dcgen::add_forward_command(app), dcgen::add_encode_command(app),
      dcgen::add_decode_command(app),   dcgen::add_info_command(app),    dcgen::add_selftest_command(app),
      dcgen::add_render_command(app),
  };
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : dcgen::kExitBadInput;
  }
  for (const dcgen::Command& command : commands) {
    if (command.cli->parsed()) {
      try {
        return command.run();
      } catch (const std::exception& e) {  // nothing escapes main uncaught
        std::fprintf(stderr, "dcgen %s: internal error: %s\n", command.cli->get_name().c_str(), e.what());
        return dcgen::kExitFailed;
      }
    }
  }
  return dcgen::kExitBadInput;
}
