// Walks every declaration of settings/settings.h: a setting with a flag is
// registered by some sub-command (nested ones, `data fetch`, too) under that
// flag with the declared help, and refuses just outside its limits (or an
// unknown word) with "--flag: <why>";
// a setting with a key is read by the study file, accepts its limits and
// every declared word, and refuses the same values with "FILE:LINE: field
// 'table.key': <why>", <why> being the declaration's own wording.
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "common/error.h"
#include "settings/settings.h"
#include "study/study_file.h"
#include "support/test_data.h"

namespace llmcal::settings {
namespace {

namespace fs = std::filesystem;

// A word no declared name list holds and no metric check accepts.
constexpr const char* kUnknownWord = "no-such-word";

// A sub-command as typed: {"report"}, {"data", "fetch"}.
using CommandPath = std::vector<std::string>;

// Every sub-command, nested ones included, as the llmcal program registers them.
class Commands {
 public:
  Commands() { cli::AddCommands(app_); }

  // The sub-commands that register `setting` (its flag, its help).
  std::vector<CommandPath> Registering(const Setting& setting) {
    std::vector<CommandPath> paths;
    Walk(app_, {}, [&](CLI::App& sub, const CommandPath& path) {
      const CLI::Option* option = sub.get_option_no_throw(setting.FlagName());
      if (option != nullptr && option->get_description() == setting.help)
        paths.push_back(path);
    });
    return paths;
  }

  // The message of the ValidationError that `llmcal SUB... FLAG VALUE --help`
  // raises, or "" when the value passes the checks: CLI11 checks values
  // before it answers --help, and --help keeps the command from running.
  std::string Refusal(const CommandPath& sub, const Setting& setting, const std::string& value) {
    CLI::App app;
    cli::AddCommands(app);
    std::vector<std::string> args = {"--help", value, setting.FlagName()};  // reversed
    args.insert(args.end(), sub.rbegin(), sub.rend());
    try {
      app.parse(args);
    } catch (const CLI::ValidationError& e) {
      return e.what();
    } catch (const CLI::ParseError&) {
    }
    return "";
  }

 private:
  // Calls `visit` on every sub-command below `app`, depth first.
  template <typename Visit>
  static void Walk(CLI::App& app, const CommandPath& path, const Visit& visit) {
    for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
      CommandPath below = path;
      below.push_back(sub->get_name());
      visit(*sub, below);
      Walk(*sub, below, visit);
    }
  }

  CLI::App app_;
};

// Study files around one setting's key.
class StudyFiles {
 public:
  StudyFiles() : dir_(testing::FreshTempDir("llmcal-settings")) {
    std::ofstream(dir_ / "model.gguf") << "GGUF and not much else";
  }

  // Reads a study file whose [table] sets `key = value`; returns "" when it
  // is accepted, else the InputError's message.
  std::string Read(const Setting& setting, const std::string& value) {
    const fs::path file = dir_ / "study.toml";
    const std::string model = (dir_ / "model.gguf").string();
    std::ofstream out(file);
    const bool top = setting.table.empty();
    out << "tasks = " << (setting.key == "tasks" ? value : "[\"arc_easy\"]") << "\n";
    if (top && setting.key != "tasks")
      out << setting.key << " = " << value << "\n";
    out << "[[pairs]]\nname = \"p\"\nbase = \"" << model << "\"\ninstruct = \"" << model << "\"\n";
    if (!top) {
      out << "[" << setting.table << "]\n" << setting.key << " = " << value << "\n";
      if (setting.KeyPath() == "items.seed")
        out << "sample = 1\n";  // seed goes with sample
    }
    out.close();
    try {
      study::ReadStudyFile(file);
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  }

 private:
  fs::path dir_;
};

// The TOML of a value: a list for list settings.
std::string Toml(const Setting& setting, const std::string& word) {
  const bool list = setting.type == Type::kNames || setting.type == Type::kTexts;
  const std::string quoted = setting.type == Type::kInteger ? word : "\"" + word + "\"";
  return list ? "[" + quoted + "]" : quoted;
}

// Values just outside the range: for an integer, one past each end (none
// past the ends of int64); for a decimal, the next double beyond each end, or
// the ends themselves when they are excluded.
std::vector<std::string> OutsideRange(const Setting& setting) {
  std::vector<std::string> values;
  if (setting.type == Type::kDecimal) {
    constexpr double kInfinity = std::numeric_limits<double>::infinity();
    const double below = setting.exclusive ? setting.low : std::nextafter(setting.low, -kInfinity);
    const double above = setting.exclusive ? setting.high : std::nextafter(setting.high, kInfinity);
    return {fmt::format("{}", below), fmt::format("{}", above)};
  }
  if (setting.min > std::numeric_limits<std::int64_t>::min())
    values.push_back(std::to_string(setting.min - 1));
  if (setting.max < std::numeric_limits<std::int64_t>::max())
    values.push_back(std::to_string(setting.max + 1));
  return values;
}

bool TakesWords(const Setting& setting) {
  return setting.names != nullptr || setting.check != nullptr;
}

// Words the setting accepts, for the kinds that have one.
std::vector<std::string> AcceptedWords(const Setting& setting) {
  if (setting.type == Type::kInteger)
    return {std::to_string(setting.min), std::to_string(setting.max)};
  if (setting.type == Type::kDecimal && setting.exclusive)
    return {fmt::format("{}", (setting.low + setting.high) / 2)};
  if (setting.type == Type::kDecimal)
    return {fmt::format("{}", setting.low), fmt::format("{}", setting.high)};
  if (setting.names != nullptr)
    return setting.names();
  // By key, or by flag for a setting of the command line only.
  static const std::map<std::string, std::string> kExamples = {
      {"analysis.metrics", "sce"},
      {"analysis.figure1_metrics", "ece"},
      {"analysis.figure2_metric", "sce"},
      {"analysis.rankings", "sce:choice"},
      {"analysis.tasks", "arc_easy"},
      {"engine.rpc", "localhost:50052"},
      {"tasks", "arc_easy"},
      {"--endpoint", "http://mirror:8080"}};
  const std::string name = setting.key.empty() ? setting.FlagName() : setting.KeyPath();
  const auto example = kExamples.find(name);
  return example == kExamples.end() ? std::vector<std::string>{} : std::vector{example->second};
}

TEST(SettingsTest, EveryFlagIsRegisteredAndRefusesWithTheDeclaredWords) {
  Commands commands;
  for (const Setting* setting : AllSettings()) {
    if (setting->flag.empty())
      continue;
    SCOPED_TRACE(setting->FlagName());
    const std::vector<CommandPath> subs = commands.Registering(*setting);
    ASSERT_FALSE(subs.empty()) << "no sub-command registers " << setting->FlagName()
                               << " with the declared help";
    for (const CommandPath& sub : subs) {
      SCOPED_TRACE(fmt::format("{}", fmt::join(sub, " ")));
      if (setting->type == Type::kInteger || setting->type == Type::kDecimal) {
        for (const std::string& value : OutsideRange(*setting)) {
          EXPECT_EQ(commands.Refusal(sub, *setting, value),
                    setting->FlagName() + ": " + WordProblem(*setting, value));
        }
      }
      if (TakesWords(*setting)) {
        EXPECT_EQ(commands.Refusal(sub, *setting, kUnknownWord),
                  setting->FlagName() + ": " + WordProblem(*setting, kUnknownWord));
      }
      for (const std::string& word : AcceptedWords(*setting))
        EXPECT_EQ(commands.Refusal(sub, *setting, word), "") << word;
    }
  }
}

TEST(SettingsTest, EveryKeyIsReadAndRefusesWithTheDeclaredWords) {
  StudyFiles files;
  ASSERT_EQ(files.Read(kBins, "10"), "");  // the file around the key is sound
  for (const Setting* setting : AllSettings()) {
    if (setting->key.empty())
      continue;
    SCOPED_TRACE(setting->KeyPath());
    const std::string field = "field '" + setting->KeyPath() + "': ";
    if (setting->type == Type::kInteger) {
      for (const std::string& value : OutsideRange(*setting)) {
        const std::string message = files.Read(*setting, value);
        EXPECT_NE(message.find("study.toml:"), std::string::npos) << message;
        EXPECT_TRUE(message.ends_with(field + WordProblem(*setting, value))) << message;
      }
    }
    if (TakesWords(*setting)) {
      const std::string message = files.Read(*setting, Toml(*setting, kUnknownWord));
      EXPECT_TRUE(message.ends_with(field + WordProblem(*setting, kUnknownWord))) << message;
    }
    if (setting->non_empty) {
      EXPECT_TRUE(files.Read(*setting, "[]").ends_with(field + ListProblem(*setting, 0)));
    }
    const std::vector<std::string> accepted = AcceptedWords(*setting);
    EXPECT_FALSE(accepted.empty()) << "the test knows no value to accept";
    for (const std::string& word : accepted)
      EXPECT_EQ(files.Read(*setting, Toml(*setting, word)), "") << word;
  }
}

TEST(SettingsTest, KeysAndFlagsAreDeclaredOnce) {
  std::map<std::string, int> keys;
  for (const Setting* setting : AllSettings()) {
    if (!setting->key.empty()) {
      EXPECT_EQ(++keys[setting->KeyPath()], 1) << setting->KeyPath();
    }
    EXPECT_FALSE(setting->help.empty());
    if (!setting->fallback.empty() && setting->type != Type::kSwitch) {
      for (const std::string& word : CLI::detail::split(setting->fallback, ','))
        EXPECT_EQ(WordProblem(*setting, word), "") << setting->FlagName() << " default " << word;
    }
  }
}

TEST(SettingsTest, RangesReadAsNumbersNotDigitsOfADouble) {
  EXPECT_EQ(WordProblem(kLimit, "0"), "0 is outside 1..1000000000");
  EXPECT_EQ(WordProblem(kBins, "99999999999999999999"),
            "99999999999999999999 is outside 1..100000");
  EXPECT_EQ(WordProblem(kBins, "ten"), "'ten' is not a whole number");
  EXPECT_EQ(WordProblem(kBos, "maybe"), "'maybe' is not one of auto, on, off, lm-eval-0.4");
}

TEST(SettingsTest, DecimalsReadAsNumbersWithTheirEnds) {
  EXPECT_EQ(WordProblem(kGnuplotTimeout, "0.5"), "");
  EXPECT_EQ(WordProblem(kGnuplotTimeout, "2e3"), "");
  EXPECT_EQ(WordProblem(kGnuplotTimeout, "0"), "0 is outside 0.1..86400");
  EXPECT_EQ(WordProblem(kGnuplotTimeout, "1e999"), "1e999 is outside 0.1..86400");
  EXPECT_EQ(WordProblem(kGnuplotTimeout, "inf"), "inf is outside 0.1..86400");
  EXPECT_EQ(WordProblem(kGnuplotTimeout, "nan"), "'nan' is not a number");
  EXPECT_EQ(WordProblem(kGnuplotTimeout, "2s"), "'2s' is not a number");
  EXPECT_EQ(WordProblem(kGnuplotTimeout, ""), "'' is not a number");
  EXPECT_EQ(WordProblem(kTemperatureSplit, "0.25"), "");
  EXPECT_EQ(WordProblem(kTemperatureSplit, "1"), "1 is not strictly between 0 and 1");
  EXPECT_EQ(WordProblem(kTemperatureSplit, "0"), "0 is not strictly between 0 and 1");
  EXPECT_EQ(WordProblem(kTemperatureSplit, "-0.5"), "-0.5 is not strictly between 0 and 1");
}

TEST(SettingsTest, AnEndpointIsAnHttpUrlWithoutQuery) {
  EXPECT_EQ(WordProblem(kDataEndpoint, "https://mirror.example/llmcal/"), "");
  EXPECT_EQ(WordProblem(kDataEndpoint, "ftp://mirror"),
            "'ftp://mirror' is not an http:// or https:// URL");
  EXPECT_EQ(WordProblem(kDataEndpoint, "http://mirror/?x=1"),
            "'http://mirror/?x=1': an endpoint has no query or fragment (?, #)");
}

}  // namespace
}  // namespace llmcal::settings
