// Walks every declaration of settings/settings.h: a setting with a flag is
// registered by some sub-command under that flag with the declared help, and
// refuses just outside its limits (or an unknown word) with "--flag: <why>";
// a setting with a key is read by the study file, accepts its limits and
// every declared word, and refuses the same values with "FILE:LINE: field
// 'table.key': <why>", <why> being the declaration's own wording.
#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
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

// Every sub-command, as the llmcal program registers them.
class Commands {
 public:
  Commands() { cli::AddCommands(app_); }

  // The sub-commands that register `setting` (its flag, its help).
  std::vector<std::string> Registering(const Setting& setting) {
    std::vector<std::string> names;
    for (CLI::App* sub : app_.get_subcommands([](CLI::App*) { return true; })) {
      const CLI::Option* option = sub->get_option_no_throw(setting.FlagName());
      if (option != nullptr && option->get_description() == setting.help)
        names.push_back(sub->get_name());
    }
    return names;
  }

  // The message of the ValidationError that `llmcal SUB FLAG VALUE --help`
  // raises, or "" when the value passes the checks: CLI11 checks values
  // before it answers --help, and --help keeps the command from running.
  std::string Refusal(const std::string& sub, const Setting& setting, const std::string& value) {
    CLI::App app;
    cli::AddCommands(app);
    std::vector<std::string> args = {"--help", value, setting.FlagName(), sub};  // reversed
    try {
      app.parse(args);
    } catch (const CLI::ValidationError& e) {
      return e.what();
    } catch (const CLI::ParseError&) {
    }
    return "";
  }

 private:
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

// Values just outside the range (none past the ends of int64).
std::vector<std::string> OutsideRange(const Setting& setting) {
  std::vector<std::string> values;
  if (setting.min > std::numeric_limits<std::int64_t>::min())
    values.push_back(std::to_string(setting.min - 1));
  if (setting.max < std::numeric_limits<std::int64_t>::max())
    values.push_back(std::to_string(setting.max + 1));
  return values;
}

bool TakesWords(const Setting& setting) {
  return setting.names != nullptr || setting.check != nullptr;
}

// A word the setting accepts, for the kinds that have one.
std::vector<std::string> AcceptedWords(const Setting& setting) {
  if (setting.type == Type::kInteger)
    return {std::to_string(setting.min), std::to_string(setting.max)};
  if (setting.names != nullptr)
    return setting.names();
  static const std::map<std::string, std::string> kExamples = {{"analysis.metrics", "sce"},
                                                               {"analysis.figure1_metrics", "ece"},
                                                               {"analysis.figure2_metric", "sce"},
                                                               {"analysis.rankings", "sce:choice"},
                                                               {"analysis.tasks", "arc_easy"},
                                                               {"engine.rpc", "localhost:50052"},
                                                               {"tasks", "arc_easy"}};
  const auto example = kExamples.find(setting.KeyPath());
  return example == kExamples.end() ? std::vector<std::string>{} : std::vector{example->second};
}

TEST(SettingsTest, EveryFlagIsRegisteredAndRefusesWithTheDeclaredWords) {
  Commands commands;
  for (const Setting* setting : AllSettings()) {
    if (setting->flag.empty())
      continue;
    SCOPED_TRACE(setting->FlagName());
    const std::vector<std::string> subs = commands.Registering(*setting);
    ASSERT_FALSE(subs.empty()) << "no sub-command registers " << setting->FlagName()
                               << " with the declared help";
    for (const std::string& sub : subs) {
      SCOPED_TRACE(sub);
      if (setting->type == Type::kInteger) {
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

}  // namespace
}  // namespace llmcal::settings
