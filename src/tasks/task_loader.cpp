#include "tasks/task_loader.h"

#include <algorithm>
#include <cctype>

#include "common/error.h"
#include "tasks/loaders.h"

namespace llmcal::tasks {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kCustomPrefix = "custom:";

std::vector<std::string_view> SplitWords(Split split) {
  switch (split) {
    case Split::kTest:
      return {"test"};
    case Split::kValidation:
      return {"val", "valid", "validation", "dev"};
    case Split::kTrain:
      return {"train"};
    case Split::kDev:
      return {"dev"};
  }
  return {};
}

std::vector<std::string_view> DataExtensions(Benchmark benchmark) {
  switch (benchmark) {
    case Benchmark::kHellaSwag:
      return {".jsonl", ".json", ".txt"};
    case Benchmark::kMmlu:
      return {".csv", ".jsonl", ".json"};
    default:
      return {".jsonl", ".json"};
  }
}

bool HasDataExtension(const fs::path& path, Benchmark benchmark) {
  const auto extensions = DataExtensions(benchmark);
  return std::find(extensions.begin(), extensions.end(), path.extension().string()) !=
         extensions.end();
}

std::string Lowercase(std::string text) {
  for (char& c : text) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return text;
}

// "ARC-Easy-Test" -> {"arc", "easy", "test"}.
std::vector<std::string> NameWords(const std::string& name) {
  std::vector<std::string> words;
  std::string word;
  for (char c : Lowercase(name) + " ") {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      word.push_back(c);
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  return words;
}

bool NamesSplit(const std::string& name, Split split) {
  const auto wanted = SplitWords(split);
  for (const std::string& word : NameWords(name)) {
    if (std::find(wanted.begin(), wanted.end(), word) != wanted.end()) {
      return true;
    }
  }
  return false;
}

std::vector<fs::path> SortedRegularFiles(const fs::path& folder) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    if (entry.is_regular_file()) {
      files.push_back(entry.path());
    }
  }
  if (ec) {
    throw InputError::At(folder.string(), 0, "", "cannot list folder: " + ec.message());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string JoinPaths(const std::vector<fs::path>& paths) {
  std::string out;
  for (const fs::path& p : paths) {
    out += (out.empty() ? "" : ", ") + p.string();
  }
  return out;
}

std::vector<fs::path> SplitFilesIn(const TaskSpec& spec, Split split, const fs::path& folder) {
  std::vector<fs::path> found;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    std::error_code type_ec;
    if (entry.is_directory(type_ec) && NamesSplit(entry.path().filename().string(), split)) {
      for (const fs::path& file : SortedRegularFiles(entry.path())) {
        if (HasDataExtension(file, spec.benchmark)) {
          found.push_back(file);
        }
      }
    }
  }
  if (ec) {
    throw InputError::At(folder.string(), 0, "", "cannot list folder: " + ec.message());
  }
  for (const fs::path& file : SortedRegularFiles(folder)) {
    if (HasDataExtension(file, spec.benchmark) && NamesSplit(file.stem().string(), split)) {
      found.push_back(file);
    }
  }
  std::sort(found.begin(), found.end());
  return found;
}

void LoadFile(const TaskSpec& spec, const fs::path& file, const LoadOptions& options,
              BadRecordPolicy& policy, Task& task) {
  switch (spec.benchmark) {
    case Benchmark::kArc:
      return LoadArcFile(file, policy, task);
    case Benchmark::kHellaSwag:
      return LoadHellaswagFile(file, policy, task);
    case Benchmark::kMedMcqa:
      return LoadMedmcqaFile(file, options.medmcqa_cop_base, policy, task);
    case Benchmark::kMmlu:
      return LoadMmluFile(file, spec.subjects, policy, task);
    case Benchmark::kPiqa:
      return LoadPiqaFile(file, policy, task);
    case Benchmark::kSciq:
      return LoadSciqFile(file, policy, task);
    case Benchmark::kCustom:
      return LoadCustomFile(file, policy, task);
  }
}

// The spec of a task argument and where its data is: ref.path, else
// data_dir/<folder>/. Throws InputError for an unknown name or no data.
std::pair<TaskSpec, fs::path> SpecAndLocation(const TaskRef& ref,
                                              const std::optional<fs::path>& data_dir) {
  if (ref.name.starts_with(kCustomPrefix)) {
    TaskSpec spec{
        ref.name, Benchmark::kCustom, "", Split::kTest, {}, FewShotRuleOf(Benchmark::kCustom)};
    return {spec, ref.path ? *ref.path : fs::path(ref.name.substr(kCustomPrefix.size()))};
  }
  const std::optional<TaskSpec> spec = FindTaskSpec(ref.name);
  if (!spec) {
    throw InputError("unknown task \"" + ref.name + "\"");
  }
  if (ref.path) {
    return {*spec, *ref.path};
  }
  if (data_dir) {
    return {*spec, *data_dir / spec->folder};
  }
  throw InputError("task " + ref.name + ": no data; give --data DIR or --task " + ref.name +
                   "=PATH");
}

// Reads `files` into a task named `name` (MMLU items ordered by subject).
// Throws InputError when no item is left.
Task LoadFiles(const TaskSpec& spec, const std::string& name, const std::vector<fs::path>& files,
               const fs::path& location, const LoadOptions& options) {
  Task task{name, spec.benchmark, {}, {}, {}};
  BadRecordPolicy policy(options.skip_bad);
  for (const fs::path& file : files) {
    LoadFile(spec, file, options, policy, task);
  }
  if (spec.benchmark == Benchmark::kMmlu) {
    std::stable_sort(task.items.begin(), task.items.end(),
                     [](const Item& a, const Item& b) { return a.subject < b.subject; });
  }
  task.skipped = policy.skipped();
  if (task.items.empty()) {
    throw InputError::At(location.string(), 0, "", "task " + name + " has no items");
  }
  return task;
}

// Every built-in name, the 57 one-subject MMLU tasks summarized as one entry.
std::string KnownTaskNamesText() {
  std::string out;
  bool subjects_listed = false;
  for (const std::string& name : BuiltinTaskNames()) {
    std::string entry = name;
    if (IsMmluSubjectTask(*FindTaskSpec(name))) {
      if (subjects_listed) {
        continue;
      }
      subjects_listed = true;
      entry = "mmlu_<subject> (" + std::to_string(MmluSubjects().size()) + " subjects, e.g. mmlu_" +
              MmluSubjects().front() + ")";
    }
    out += entry + ", ";
  }
  return out + std::string(kCustomPrefix) + "PATH";
}

}  // namespace

TaskRef ParseTaskRef(const std::string& argument) {
  if (argument.starts_with(kCustomPrefix)) {
    const std::string path = argument.substr(kCustomPrefix.size());
    if (path.empty()) {
      throw InputError("task \"" + argument + "\": custom:PATH needs a path");
    }
    return {argument, fs::path(path)};
  }
  TaskRef ref{argument, std::nullopt};
  if (const std::size_t eq = argument.find('='); eq != std::string::npos) {
    ref.name = argument.substr(0, eq);
    if (eq + 1 == argument.size()) {
      throw InputError("task \"" + argument + "\": NAME=PATH needs a path");
    }
    ref.path = fs::path(argument.substr(eq + 1));
  }
  if (!FindTaskSpec(ref.name)) {
    throw InputError("unknown task \"" + ref.name + "\"; known tasks: " + KnownTaskNamesText());
  }
  return ref;
}

std::vector<fs::path> FindTaskFiles(const TaskSpec& spec, const fs::path& location) {
  std::error_code ec;
  if (fs::is_regular_file(location, ec)) {
    return {location};
  }
  if (!fs::is_directory(location, ec)) {
    throw InputError::At(location.string(), 0, "", "no such file or folder");
  }
  std::vector<fs::path> found = SplitFilesIn(spec, spec.split, location);
  if (found.empty()) {
    std::vector<fs::path> data_files;
    for (const fs::path& file : SortedRegularFiles(location)) {
      if (HasDataExtension(file, spec.benchmark)) {
        data_files.push_back(file);
      }
    }
    if (data_files.size() == 1) {
      return data_files;
    }
    throw InputError::At(location.string(), 0, "",
                         "no " + std::string(SplitName(spec.split)) + " split file for task " +
                             spec.name + " (looked for file or sub-folder names with \"" +
                             std::string(SplitWords(spec.split).front()) + "\")");
  }
  if (found.size() > 1 && spec.benchmark != Benchmark::kMmlu) {
    throw InputError::At(location.string(), 0, "",
                         "several files hold the " + std::string(SplitName(spec.split)) +
                             " split of " + spec.name + ": " + JoinPaths(found) +
                             "; name one with --task " + spec.name + "=PATH");
  }
  return found;
}

Task LoadTask(const TaskRef& ref, const std::optional<fs::path>& data_dir,
              const LoadOptions& options) {
  const auto [spec, location] = SpecAndLocation(ref, data_dir);
  const std::vector<fs::path> files = spec.benchmark == Benchmark::kCustom
                                          ? std::vector<fs::path>{location}
                                          : FindTaskFiles(spec, location);
  return LoadFiles(spec, ref.name, files, location, options);
}

Task LoadFewShotTask(const TaskRef& ref, const std::optional<fs::path>& data_dir,
                     const LoadOptions& options) {
  const auto [spec, location] = SpecAndLocation(ref, data_dir);
  if (!spec.fewshot.split) {
    throw std::invalid_argument("LoadFewShotTask: task " + ref.name + " has no few-shot split");
  }
  const Split split = *spec.fewshot.split;
  std::error_code ec;
  const fs::path folder = fs::is_regular_file(location, ec) ? location.parent_path() : location;
  const std::vector<fs::path> files =
      fs::is_directory(folder, ec) ? SplitFilesIn(spec, split, folder) : std::vector<fs::path>{};
  const std::string name = ref.name + " (" + std::string(SplitName(split)) + ")";
  if (files.empty()) {
    throw InputError::At(
        folder.string(), 0, "",
        "few-shot examples of task " + ref.name + " come from its " +
            std::string(SplitName(split)) + " split, and there is no file of it here (looked for " +
            "file or sub-folder names with the word \"" + std::string(SplitWords(split).front()) +
            "\", in the task's own format); add it, or use --num-fewshot 0");
  }
  if (files.size() > 1 && spec.benchmark != Benchmark::kMmlu) {
    throw InputError::At(folder.string(), 0, "",
                         "several files hold the " + std::string(SplitName(split)) + " split of " +
                             ref.name + ": " + JoinPaths(files));
  }
  return LoadFiles(spec, name, files, folder, options);
}

std::vector<std::string> TasksInDataDir(const fs::path& data_dir) {
  std::vector<std::string> names;
  std::vector<std::string> mmlu_subjects_present;
  const TaskSpec mmlu = *FindTaskSpec("mmlu");
  std::error_code ec;
  const bool mmlu_folder = fs::is_directory(data_dir / mmlu.folder, ec);
  if (mmlu_folder) {
    for (const fs::path& file : SplitFilesIn(mmlu, mmlu.split, data_dir / mmlu.folder)) {
      if (file.extension() != ".csv") {
        mmlu_subjects_present = MmluSubjects();  // JSONL: any subject may be inside
        break;
      }
      for (const std::string& subject : MmluSubjects()) {
        if (file.stem().string() == subject + "_test") {
          mmlu_subjects_present.push_back(subject);
        }
      }
    }
  }
  for (const std::string& name : BuiltinTaskNames()) {
    const TaskSpec spec = *FindTaskSpec(name);
    if (spec.benchmark != Benchmark::kMmlu) {
      if (fs::is_directory(data_dir / spec.folder, ec)) {
        names.push_back(name);
      }
      continue;
    }
    if (name == "mmlu") {
      // Listed even without subject files, so that loading it says what is wrong.
      if (mmlu_folder) {
        names.push_back(name);
      }
      continue;
    }
    const bool any_present =
        std::any_of(spec.subjects.begin(), spec.subjects.end(), [&](const std::string& subject) {
          return std::find(mmlu_subjects_present.begin(), mmlu_subjects_present.end(), subject) !=
                 mmlu_subjects_present.end();
        });
    if (any_present) {
      names.push_back(name);
    }
  }
  return names;
}

}  // namespace llmcal::tasks
