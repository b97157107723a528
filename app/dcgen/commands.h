// dcgen subcommands: each registers its CLI11 subcommand and returns the exit
// code to use once parsing succeeded (0 ok, 1 failed while running, 2 bad input).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace dcgen {

using Runner = std::function<int()>;

// A registered subcommand and what runs it once parsed.
struct Command {
  CLI::App* cli;
  Runner run;
};

Command add_forward_command(CLI::App& app);
Command add_encode_command(CLI::App& app);
Command add_decode_command(CLI::App& app);
Command add_info_command(CLI::App& app);
Command add_selftest_command(CLI::App& app);
Command add_generate_command(CLI::App& app);
Command add_render_command(CLI::App& app);

}  // namespace dcgen
