// Importing lm-evaluation-harness samples: the fixture files of every
// harness layout (tests/import/data, written by make_fixtures.py with
// Python's json as the harness writes them) read to the values they hold;
// MMLU subjects pooled at their place in mmlu; string targets, the
// unconditional half of acc_mutual_info, non-finite log-likelihoods; imports
// that are idempotent, refusals that change nothing, and bad input named by
// file, line and field. Expected values are the fixtures' own numbers.
#include <gtest/gtest.h>

#include <fstream>

#include "analysis/analyze_store.h"
#include "common/error.h"
#include "common/sha256.h"
#include "common/unicode_text.h"
#include "import/lm_eval_import.h"
#include "import/lm_eval_samples.h"
#include "import/lm_eval_tasks.h"
#include "store/store.h"
#include "study/merge.h"
#include "support/test_data.h"
#include "tasks/task_loader.h"
#include "tasks/task_names.h"

namespace llmcal::testing {
namespace {

namespace fs = std::filesystem;
using import::ImportLmEval;
using import::ImportRequest;
using import::ImportSummary;

fs::path Fixture(const std::string& relative) {
  return fs::path(LLMCAL_IMPORT_DATA_DIR) / relative;
}

const char* const kV040 = "v0.4.0/pretrained__EleutherAI__pythia-70m_arc_easy.jsonl";
const char* const kV043 =
    "v0.4.3/EleutherAI__pythia-70m/samples_arc_easy_2024-06-01T12-00-00.123456.jsonl";

// The fixtures' ARC-Easy log-likelihoods, gold labels and greedy flags.
const std::vector<std::vector<double>> kArcLls = {
    {-10.5, -12.25, -11.0, -9.75}, {-3.5, -2.0, -4.25, -6.0}, {-4.0, -4.5, -3.0, -2.5}};
const std::vector<std::int64_t> kArcGold = {0, 1, 3};
const std::vector<std::vector<std::string>> kArcTexts = {
    {"Sunlight is the source of energy for nearly all ecosystems.",
     "Most ecosystems are found on land instead of in water.",
     "Carbon dioxide is more available than other gases.",
     "The producers in all ecosystems are plants."},
    {"safety goggles", "breathing mask", "rubber gloves", "lead apron"},
    {"brain cells", "bone cells", "muscle cells", "ovary cells"}};

ImportSummary Import(const fs::path& db, const std::string& model,
                     const std::vector<fs::path>& paths,
                     std::optional<fs::path> task_map = std::nullopt) {
  return ImportLmEval({.paths = paths, .db = db, .model = model, .task_map = task_map});
}

store::RunRecord OnlyRun(store::Store& store, const std::string& model) {
  std::vector<store::RunRecord> runs;
  for (const store::RunRecord& run : store.ListRuns()) {
    if (run.model == model)
      runs.push_back(run);
  }
  EXPECT_EQ(runs.size(), 1u);
  return runs.at(0);
}

std::string ErrorOf(const std::function<void()>& action) {
  try {
    action();
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no InputError";
  return "";
}

fs::path WriteFile(const fs::path& dir, const std::string& name, const std::string& text) {
  fs::create_directories(dir);
  std::ofstream(dir / name) << text;
  return dir / name;
}

// --- Reading the two layouts ------------------------------------------------

TEST(SamplesFile, BothLayoutsReadToTheSameRequests) {
  const import::SamplesFile array = import::ReadSamplesFile(Fixture(kV040));
  const import::SamplesFile lines = import::ReadSamplesFile(Fixture(kV043));
  EXPECT_EQ(array.format, import::SamplesFormat::kJsonArray);
  EXPECT_EQ(lines.format, import::SamplesFormat::kJsonLines);
  ASSERT_EQ(array.samples.size(), 3u);
  ASSERT_EQ(lines.samples.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    for (const import::SamplesFile* file : {&array, &lines}) {
      const import::HarnessSample& s = file->samples[i];
      EXPECT_EQ(s.doc_id, static_cast<std::int64_t>(i));
      ASSERT_EQ(s.requests.size(), 4u);
      for (std::size_t k = 0; k < 4; ++k) {
        EXPECT_EQ(s.requests[k].loglikelihood, kArcLls[i][k]);
        EXPECT_EQ(s.requests[k].continuation, " " + kArcTexts[i][k]);
        EXPECT_TRUE(s.requests[k].context.starts_with("Question: "));
      }
    }
  }
  EXPECT_TRUE(lines.samples[1].requests[1].is_greedy);
  EXPECT_FALSE(lines.samples[1].requests[0].is_greedy);
  EXPECT_TRUE(array.samples[2].requests[3].is_greedy);
  // The array's records are located by line and index.
  EXPECT_EQ(array.samples[0].where.line, 2);
  EXPECT_EQ(array.samples[1].where.array_index, 1);
  EXPECT_EQ(lines.samples[2].where.line, 3);
}

TEST(SamplesFile, PythonsNonFiniteNumbersAreRead) {
  EXPECT_EQ(import::QuoteNonFiniteNumbers("[NaN, -Infinity, Infinity, \"NaN -Infinity\"]"),
            "[\"nan\", \"-inf\", \"inf\", \"NaN -Infinity\"]");
  const import::SamplesFile file =
      import::ReadSamplesFile(Fixture("nonfinite/pretrained__m_arc_easy.jsonl"));
  EXPECT_TRUE(std::isinf(file.samples[1].requests[2].loglikelihood));
  EXPECT_TRUE(std::isnan(file.samples[2].requests[0].loglikelihood));
}

// --- Importing ----------------------------------------------------------------

void ExpectArcItems(store::Store& store, const store::RunRecord& run) {
  const std::vector<store::ImportedItem> items = store.ReadImportedItems(run.id);
  ASSERT_EQ(items.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(items[i].index, static_cast<std::int64_t>(i));
    EXPECT_EQ(items[i].gold, kArcGold[i]);
    EXPECT_EQ(items[i].n_choices, 4);
    ASSERT_EQ(items[i].choices.size(), 4u);
    for (std::size_t k = 0; k < 4; ++k) {
      const store::ImportedChoice& c = items[i].choices[k];
      EXPECT_EQ(c.sum, kArcLls[i][k]);
      EXPECT_EQ(c.n_bytes, static_cast<std::int64_t>(kArcTexts[i][k].size()));
      EXPECT_EQ(c.n_chars, static_cast<std::int64_t>(CountCodePoints(kArcTexts[i][k])));
    }
  }
  EXPECT_EQ(items[0].id, "Mercury_417466");
  EXPECT_TRUE(items[1].choices[1].is_greedy);
  EXPECT_FALSE(items[1].choices[0].is_greedy);
}

TEST(ImportLmEval, VersionZeroFourZeroArray) {
  const fs::path db = FreshTempDir("llmcal-import") / "s.sqlite";
  const ImportSummary summary = Import(db, "pythia", {Fixture(kV040)});
  ASSERT_EQ(summary.files.size(), 1u);
  EXPECT_EQ(summary.files[0].harness_task, "arc_easy");
  store::Store store = store::Store::Open(db, store::Database::kReadOnly);
  const store::RunRecord run = OnlyRun(store, "pythia");
  EXPECT_EQ(run.task, "arc_easy");
  EXPECT_EQ(run.style, "continuation");
  EXPECT_TRUE(run.imported());
  ExpectArcItems(store, run);
  const std::vector<store::ImportRecord> imports = store.ListImports();
  ASSERT_EQ(imports.size(), 1u);
  EXPECT_EQ(imports[0].source_format, "json-array");
  EXPECT_EQ(imports[0].source_task, "arc_easy");
  EXPECT_EQ(imports[0].harness_version,
            "git 4600d6b (results.json); v0.4.0-v0.4.2 by the file's format");
  EXPECT_EQ(imports[0].sha256, Sha256OfFile(Fixture(kV040)));
  EXPECT_EQ(imports[0].items, 3);
  // Planned = stored, so status reads 3 of 3.
  EXPECT_EQ(store.Progress().at(0).items_planned, 3);
  EXPECT_EQ(store.Progress().at(0).items_stored, 3);
  // The model has no file; the task none either.
  EXPECT_TRUE(store.FindModel("pythia")->file.sha256.empty());
  EXPECT_TRUE(store.FindTask("arc_easy")->imported_only());
  EXPECT_EQ(store.FindTask("arc_easy")->item_count, 2376);
}

TEST(ImportLmEval, VersionZeroFourThreeLinesGiveTheSameItems) {
  const fs::path db = FreshTempDir("llmcal-import") / "s.sqlite";
  // The folder as the harness wrote it: samples and results in a model folder.
  Import(db, "pythia", {Fixture("v0.4.3")});
  store::Store store = store::Store::Open(db, store::Database::kReadOnly);
  ExpectArcItems(store, OnlyRun(store, "pythia"));
  EXPECT_EQ(store.ListImports().at(0).harness_version,
            "git a1b2c3d (results_2024-06-01T12-00-00.123456.json); v0.4.3-v0.4.6 by the "
            "samples' fields");
  EXPECT_EQ(store.ListImports().at(0).source_format, "jsonl");
}

TEST(ImportLmEval, MmluSubjectsArePooledIntoMmluAtTheirPlaceAsTheChoiceStyle) {
  const fs::path db = FreshTempDir("llmcal-import") / "s.sqlite";
  const ImportSummary summary = Import(db, "pythia", {Fixture("v0.4.9")});
  ASSERT_EQ(summary.files.size(), 2u);
  store::Store store = store::Store::Open(db, store::Database::kReadOnly);
  const store::RunRecord run = OnlyRun(store, "pythia");
  EXPECT_EQ(run.task, "mmlu");
  EXPECT_EQ(run.style, "choice");
  const std::vector<store::ImportedItem> items = store.ReadImportedItems(run.id);
  ASSERT_EQ(items.size(), 3u);
  // abstract_algebra (100 items) comes first; anatomy (135) second.
  EXPECT_EQ(items[0].index, 100);
  EXPECT_EQ(items[1].index, 101);
  EXPECT_EQ(items[2].index, 235);
  EXPECT_EQ(items[0].subject, "anatomy");
  EXPECT_EQ(items[2].subject, "astronomy");
  // Targets logged as str(int) ("0", "1", "3") are indices.
  EXPECT_EQ(items[0].gold, 0);
  EXPECT_EQ(items[1].gold, 1);
  EXPECT_EQ(items[2].gold, 3);
  EXPECT_EQ(items[2].choices[3].sum, -1.0);
  EXPECT_EQ(items[0].choices[0].n_chars, 1);  // the letter
  EXPECT_EQ(store.ListImports().at(0).harness_version,
            "0.4.9 (results_2025-05-20T08-30-00.000001.json)");
  EXPECT_EQ(store.FindTask("mmlu")->item_count, 14042);
}

TEST(ImportLmEval, StringTargetsAreThePositionOfTheirChoice) {
  const fs::path db = FreshTempDir("llmcal-import") / "s.sqlite";
  Import(db, "m", {Fixture("strings")});
  store::Store store = store::Store::Open(db, store::Database::kReadOnly);
  const store::RunRecord run = OnlyRun(store, "m");
  EXPECT_EQ(run.task, "color_quiz");  // unknown to llmcal: kept as given
  const std::vector<store::ImportedItem> items = store.ReadImportedItems(run.id);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].gold, 1);  // "blue"
  EXPECT_EQ(items[1].gold, 0);  // "green"
  EXPECT_EQ(items[0].id, "doc 0");
  EXPECT_EQ(store.FindTask("color_quiz")->item_count, 2);
}

TEST(ImportLmEval, TheUnconditionalHalfOfMutualInformationIsSkipped) {
  for (const char* folder : {"mi/v0.4.3", "mi/v0.4.10"}) {
    SCOPED_TRACE(folder);
    const fs::path db = FreshTempDir("llmcal-import") / "s.sqlite";
    const ImportSummary summary = Import(db, "m", {Fixture(folder)});
    EXPECT_EQ(summary.files.at(0).unconditional_skipped, 2);
    store::Store store = store::Store::Open(db, store::Database::kReadOnly);
    const std::vector<store::ImportedItem> items = store.ReadImportedItems(OnlyRun(store, "m").id);
    ASSERT_EQ(items.size(), 2u);
    ASSERT_EQ(items[0].choices.size(), 2u);
    EXPECT_EQ(items[0].choices[0].sum, -3.0);
    EXPECT_EQ(items[0].choices[1].sum, -5.0);
    EXPECT_EQ(items[1].choices[1].sum, -2.5);
    EXPECT_EQ(items[1].gold, 1);
  }
}

TEST(ImportLmEval, NonFiniteLogLikelihoodsMakeFailedItems) {
  const fs::path db = FreshTempDir("llmcal-import") / "s.sqlite";
  const ImportSummary summary =
      Import(db, "m", {Fixture("nonfinite/pretrained__m_arc_easy.jsonl")});
  EXPECT_EQ(summary.files.at(0).failed, 2);
  store::Store store = store::Store::Open(db, store::Database::kReadOnly);
  const std::vector<store::ImportedItem> items = store.ReadImportedItems(OnlyRun(store, "m").id);
  EXPECT_TRUE(items[0].ok());
  EXPECT_NE(items[1].error.find("choice 2's log-likelihood is -inf"), std::string::npos);
  EXPECT_NE(items[2].error.find("nan"), std::string::npos);
  EXPECT_TRUE(items[2].choices.empty());
  EXPECT_EQ(store.Progress().at(0).items_failed, 2);
}

TEST(ImportLmEval, ImportingTheSameFileAgainAddsNothing) {
  const fs::path db = FreshTempDir("llmcal-import") / "s.sqlite";
  Import(db, "m", {Fixture(kV040)});
  const ImportSummary again = Import(db, "m", {Fixture(kV040), Fixture("v0.4.0")});
  ASSERT_EQ(again.files.size(), 1u);  // the folder holds the same file
  EXPECT_TRUE(again.files[0].already_imported);
  store::Store store = store::Store::Open(db, store::Database::kReadOnly);
  EXPECT_EQ(store.ListImports().size(), 1u);
  EXPECT_EQ(store.ReadImportedItems(OnlyRun(store, "m").id).size(), 3u);
  EXPECT_EQ(store.ListSessions().size(), 1u);  // the second import wrote nothing
}

TEST(ImportLmEval, AnotherEvaluationOfTheSameItemsIsRefused) {
  const fs::path db = FreshTempDir("llmcal-import") / "s.sqlite";
  Import(db, "m", {Fixture(kV040)});
  EXPECT_NE(ErrorOf([&] {
              Import(db, "m", {Fixture(kV043)});
            }).find("item 0 of run m arc_easy/continuation is stored already from another file"),
            std::string::npos);
  const fs::path other = FreshTempDir("llmcal-import") / "s.sqlite";
  EXPECT_NE(ErrorOf([&] {
              Import(other, "m", {Fixture(kV040), Fixture(kV043)});
            }).find("item 0 of run m arc_easy/continuation is also in"),
            std::string::npos);
  EXPECT_FALSE(fs::exists(other));  // refused before the store was created
}

TEST(ImportLmEval, ImportingOverANativeRunIsRefusedAndChangesNothing) {
  const fs::path db = FreshTempDir("llmcal-import") / "s.sqlite";
  {
    store::Store store = store::Store::Open(db, store::Database::kReadWrite);
    const std::int64_t model = store.PutModel("m", {"/m.gguf", 10, 1, std::string(64, 'a')});
    const std::int64_t task = store.PutTask({0, "arc_easy", 2376, "skip_bad=0", {{"/a", 1, "b"}}});
    store::RunRecord run;
    run.model_id = model;
    run.task_id = task;
    run.style = "continuation";
    run.settings = {"t", "auto", "common-prefix", 0, 0, ""};
    run.block_items = 64;
    store.CreateRun(run);
  }
  const std::string error = ErrorOf([&] { Import(db, "m", {Fixture(kV040)}); });
  EXPECT_NE(error.find("run m arc_easy/continuation was scored by llmcal; importing "
                       "lm-evaluation-harness results over it is refused"),
            std::string::npos)
      << error;
  store::Store store = store::Store::Open(db, store::Database::kReadOnly);
  EXPECT_TRUE(store.ListImports().empty());
  EXPECT_TRUE(store.ListSessions().empty());
  // Another style of the same model and task may be imported.
  EXPECT_EQ(store.ListRuns().size(), 1u);
}

TEST(ImportLmEval, AnImportBesideANativeTaskKeepsItsRecord) {
  const fs::path db = FreshTempDir("llmcal-import") / "s.sqlite";
  {
    store::Store store = store::Store::Open(db, store::Database::kReadWrite);
    store.PutTask({0, "arc_easy", 2376, "skip_bad=0", {{"/a", 1, "b"}}});
  }
  Import(db, "m", {Fixture(kV040)});
  store::Store store = store::Store::Open(db, store::Database::kReadOnly);
  EXPECT_EQ(store.FindTask("arc_easy")->load_options, "skip_bad=0");
  EXPECT_EQ(store.FindTask("arc_easy")->files.size(), 1u);
}

TEST(ImportLmEval, ATaskMapRenamesAndSaysHowToReadTargets) {
  const fs::path dir = FreshTempDir("llmcal-import");
  // color_quiz renamed; its targets read as text.
  const fs::path map = WriteFile(
      dir, "map.toml", "[tasks]\ncolor_quiz = { name = \"colors\", target = \"text\" }\n");
  Import(dir / "s.sqlite", "m", {Fixture("strings")}, map);
  store::Store store = store::Store::Open(dir / "s.sqlite", store::Database::kReadOnly);
  EXPECT_EQ(OnlyRun(store, "m").task, "colors");
  EXPECT_EQ(store.ListImports().at(0).source_task, "color_quiz");
}

TEST(ImportLmEval, ATaskMapDelimiterDecidesTheChoiceTexts) {
  const fs::path dir = FreshTempDir("llmcal-import");
  // No delimiter: the leading space belongs to the choice (" blue": 5 characters).
  const fs::path none = WriteFile(
      dir, "none.toml", "[tasks.color_quiz]\ntarget_delimiter = \"\"\ntarget = \"text\"\n");
  EXPECT_NE(ErrorOf([&] {
              Import(dir / "a.sqlite", "m", {Fixture("strings")}, none);
            }).find("field 'target': \"blue\" is not the text of a choice"),
            std::string::npos);
  const fs::path index =
      WriteFile(dir, "index.toml", "[tasks.color_quiz]\ntarget_delimiter = \"\"\n");
  EXPECT_NE(ErrorOf([&] {
              Import(dir / "b.sqlite", "m", {Fixture("strings")}, index);
            }).find("\"blue\" is neither an index nor the text of a choice"),
            std::string::npos);
  const fs::path colon =
      WriteFile(dir, "colon.toml", "[tasks.color_quiz]\ntarget_delimiter = \": \"\n");
  EXPECT_NE(ErrorOf([&] { Import(dir / "c.sqlite", "m", {Fixture("strings")}, colon); })
                .find(":1: field 'arguments': request 0: the continuation does not start with the "
                      "target delimiter \": \""),
            std::string::npos);
}

TEST(ImportLmEval, AnUnknownOldFileIsNamedThroughTheTaskMap) {
  const fs::path dir = FreshTempDir("llmcal-import");
  fs::copy_file(Fixture(kV040), dir / "pretrained__m_my_arc.jsonl");
  EXPECT_NE(ErrorOf([&] {
              Import(dir / "s.sqlite", "m", {dir / "pretrained__m_my_arc.jsonl"});
            }).find("cannot tell the harness task from this file name"),
            std::string::npos);
  const fs::path map = WriteFile(dir, "map.toml", "[tasks]\nmy_arc = \"arc_easy\"\n");
  const ImportSummary summary =
      Import(dir / "s.sqlite", "m", {dir / "pretrained__m_my_arc.jsonl"}, map);
  EXPECT_EQ(summary.files.at(0).harness_task, "my_arc");
  EXPECT_EQ(summary.files.at(0).task, "arc_easy");
}

TEST(ImportLmEval, MergeRefusesImportedRuns) {
  const fs::path dir = FreshTempDir("llmcal-import");
  Import(dir / "s.sqlite", "m", {Fixture(kV040)});
  const std::vector<fs::path> shards = {dir / "s.sqlite"};
  EXPECT_NE(ErrorOf([&] { study::MergeStores(dir / "out.sqlite", shards); })
                .find("run m arc_easy/continuation was imported from lm-evaluation-harness; "
                      "merge copies scored runs only"),
            std::string::npos);
}

// --- Methods that need tokens are undefined, with their reason ---------------

TEST(ImportLmEval, MinAndMeanAreUndefinedForImportedRunsWithAReason) {
  const fs::path db = FreshTempDir("llmcal-import") / "s.sqlite";
  Import(db, "a", {Fixture(kV040)});
  Import(db, "b", {Fixture(kV043)});
  store::Store store = store::Store::Open(db, store::Database::kReadOnly);
  analysis::AnalysisRequest request;
  request.methods = {calibration::ConfidenceMethod::kSum, calibration::ConfidenceMethod::kMin,
                     calibration::ConfidenceMethod::kChars};
  request.metrics = calibration::ParseMetricSelection("accuracy,ece");
  request.bootstrap.resamples = 0;
  request.reliability = false;
  request.pairs = {{.name = "p", .base = "a", .instruct = "b"}};
  const analysis::Analysis analysis = analysis::AnalyzeStore(store, request);
  int undefined = 0, defined = 0;
  for (const analysis::MetricEstimate& e : analysis.results.estimates) {
    if (e.method == "min") {
      EXPECT_FALSE(e.defined());
      EXPECT_TRUE(std::isnan(e.value));
      EXPECT_NE(e.undefined_reason.find("method min needs per-token log-probs"), std::string::npos);
      ++undefined;
    } else {
      EXPECT_TRUE(e.defined()) << e.method << " " << e.metric;
      ++defined;
    }
  }
  EXPECT_EQ(undefined, 4);  // 2 models x 2 metrics
  EXPECT_EQ(defined, 8);
  // Accuracy by sum: argmax of the logged totals; by chars: of sum / length.
  // Item 0: -9.75 (choice 3) has the largest total, but -10.5 / 59 characters
  // (choice 0, gold) the largest per character; items 1 and 2 are right both ways.
  for (const analysis::MetricEstimate& e : analysis.results.estimates) {
    if (e.model == "a" && e.metric == "accuracy" && e.method == "sum") {
      EXPECT_DOUBLE_EQ(e.value, 2.0 / 3);
    }
    if (e.model == "a" && e.metric == "accuracy" && e.method == "chars") {
      EXPECT_DOUBLE_EQ(e.value, 1.0);
    }
  }
  for (const analysis::ChangeEstimate& c : analysis.results.changes) {
    if (c.method == "min") {
      EXPECT_FALSE(c.defined());
      EXPECT_NE(c.undefined_reason.find("undefined for the base model: method min needs"),
                std::string::npos);
    } else {
      EXPECT_TRUE(c.defined());
      EXPECT_EQ(c.difference, 0.0);  // the same scores twice
    }
  }
}

// --- Bad input: file, line and field ------------------------------------------

struct BadCase {
  const char* name;
  const char* line;  // one JSON Lines record (the file's line 2; line 1 is good)
  const char* message;
};

constexpr const char* kGoodLine =
    R"({"doc_id": 0, "target": 1, "arguments": {"gen_args_0": {"arg_0": "Q", "arg_1": " a"}, "gen_args_1": {"arg_0": "Q", "arg_1": " b"}}, "filtered_resps": [["-1.5", "False"], ["-0.5", "True"]]})";

const BadCase kBadCases[] = {
    {"malformed_json", R"({"doc_id": 1,)", ":2: malformed JSON"},
    {"no_doc_id",
     R"({"target": 1, "arguments": {"gen_args_0": {"arg_0": "Q", "arg_1": " a"}}, "filtered_resps": []})",
     ":2: field 'doc_id': missing"},
    {"response_count",
     R"({"doc_id": 1, "target": 1, "arguments": {"gen_args_0": {"arg_0": "Q", "arg_1": " a"}, "gen_args_1": {"arg_0": "Q", "arg_1": " b"}}, "filtered_resps": [["-1.5", "False"]]})",
     ":2: field 'filtered_resps': 1 responses for 2 requests"},
    {"not_a_number",
     R"({"doc_id": 1, "target": 1, "arguments": {"gen_args_0": {"arg_0": "Q", "arg_1": " a"}, "gen_args_1": {"arg_0": "Q", "arg_1": " b"}}, "filtered_resps": [["abc", "False"], ["-1", "True"]]})",
     ":2: field 'filtered_resps[0][0]': expected a log-likelihood, found \"abc\""},
    {"not_a_greedy_flag",
     R"({"doc_id": 1, "target": 1, "arguments": {"gen_args_0": {"arg_0": "Q", "arg_1": " a"}, "gen_args_1": {"arg_0": "Q", "arg_1": " b"}}, "filtered_resps": [["-1", "maybe"], ["-1", "True"]]})",
     ":2: field 'filtered_resps[0][1]': expected True or False, found \"maybe\""},
    {"generation_task",
     R"({"doc_id": 1, "target": "x", "arguments": {"gen_args_0": {"arg_0": "Q", "arg_1": {"until": ["\n"]}}}, "filtered_resps": ["x"]})",
     ":2: field 'arguments.gen_args_0.arg_1': not a log-likelihood request"},
    {"one_request",
     R"({"doc_id": 1, "target": 0, "arguments": {"gen_args_0": {"arg_0": "Q", "arg_1": " a"}}, "filtered_resps": [["-1", "False"]]})",
     ":2: field 'arguments': fewer than two requests: not a multiple-choice task"},
    {"target_out_of_range",
     R"({"doc_id": 1, "target": 2, "arguments": {"gen_args_0": {"arg_0": "Q", "arg_1": " a"}, "gen_args_1": {"arg_0": "Q", "arg_1": " b"}}, "filtered_resps": [["-1", "False"], ["-1", "True"]]})",
     ":2: field 'target': 2 is not the index of one of the 2 choices"},
    {"target_no_choice",
     R"({"doc_id": 1, "target": "c", "arguments": {"gen_args_0": {"arg_0": "Q", "arg_1": " a"}, "gen_args_1": {"arg_0": "Q", "arg_1": " b"}}, "filtered_resps": [["-1", "False"], ["-1", "True"]]})",
     ":2: field 'target': \"c\" is neither an index nor the text of a choice"},
    {"target_ambiguous",
     R"({"doc_id": 1, "target": "1", "arguments": {"gen_args_0": {"arg_0": "Q", "arg_1": " 1"}, "gen_args_1": {"arg_0": "Q", "arg_1": " 2"}}, "filtered_resps": [["-1", "False"], ["-1", "True"]]})",
     ":2: field 'target': \"1\" is both an index and the text of choice 0; say which in "
     "--task-map"},
    {"several_targets",
     R"({"doc_id": 1, "target": [0, 1], "arguments": {"gen_args_0": {"arg_0": "Q", "arg_1": " a"}, "gen_args_1": {"arg_0": "Q", "arg_1": " b"}}, "filtered_resps": [["-1", "False"], ["-1", "True"]]})",
     ":2: field 'target': several gold answers"},
    {"duplicate_doc_id",
     R"({"doc_id": 0, "target": 1, "arguments": {"gen_args_0": {"arg_0": "Q", "arg_1": " a"}, "gen_args_1": {"arg_0": "Q", "arg_1": " b"}}, "filtered_resps": [["-1", "False"], ["-1", "True"]]})",
     ":2: field 'doc_id': 0 appears twice (also at samples_quiz_2024.jsonl:1)"},
};

class BadSamples : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadSamples, NameFileLineAndField) {
  const fs::path dir = FreshTempDir("llmcal-import-bad");
  const fs::path file = WriteFile(dir, "samples_quiz_2024.jsonl",
                                  std::string(kGoodLine) + "\n" + GetParam().line + "\n");
  const std::string error = ErrorOf([&] { Import(dir / "s.sqlite", "m", {file}); });
  EXPECT_NE(error.find(file.string() + GetParam().message), std::string::npos) << error;
  EXPECT_FALSE(fs::exists(dir / "s.sqlite"));  // bad input creates no store
}

INSTANTIATE_TEST_SUITE_P(Cases, BadSamples, ::testing::ValuesIn(kBadCases),
                         [](const auto& test) { return std::string(test.param.name); });

TEST(ImportLmEval, ADocIdBeyondTheTasksDocumentsIsRefused) {
  const fs::path dir = FreshTempDir("llmcal-import-bad");
  std::string line = kGoodLine;
  line.replace(line.find("\"doc_id\": 0"), 11, "\"doc_id\": 2376");
  const fs::path file = WriteFile(dir, "samples_arc_easy_2024.jsonl", line + "\n");
  EXPECT_NE(ErrorOf([&] {
              Import(dir / "s.sqlite", "m", {file});
            }).find(":1: field 'doc_id': 2376 is beyond the 2376 documents of arc_easy's split"),
            std::string::npos);
}

TEST(ImportLmEval, OtherRefusals) {
  const fs::path dir = FreshTempDir("llmcal-import-bad");
  EXPECT_NE(ErrorOf([&] {
              Import(dir / "s.sqlite", "a:b", {Fixture(kV040)});
            }).find("--model a:b: not a usable model name"),
            std::string::npos);
  EXPECT_NE(ErrorOf([&] {
              Import(dir / "s.sqlite", "m", {dir / "missing.jsonl"});
            }).find("missing.jsonl: no such file or folder"),
            std::string::npos);
  fs::create_directories(dir / "empty");
  EXPECT_NE(ErrorOf([&] {
              Import(dir / "s.sqlite", "m", {dir / "empty"});
            }).find("no lm-evaluation-harness samples file in this folder"),
            std::string::npos);
  const fs::path bad_map =
      WriteFile(dir, "map.toml", "[tasks]\nx = { name = \"y\", target = \"letter\" }\n");
  EXPECT_NE(ErrorOf([&] {
              Import(dir / "s.sqlite", "m", {Fixture(kV040)}, bad_map);
            }).find("map.toml:2: field 'tasks.x.target': expected \"auto\", \"index\" or \"text\""),
            std::string::npos);
  const fs::path unknown = WriteFile(dir, "map2.toml", "[task]\nx = \"y\"\n");
  EXPECT_NE(ErrorOf([&] {
              Import(dir / "s.sqlite", "m", {Fixture(kV040)}, unknown);
            }).find("map2.toml:1: field 'task': unknown key (tasks)"),
            std::string::npos);
  EXPECT_FALSE(fs::exists(dir / "s.sqlite"));
}

// --- The MMLU table against the data -------------------------------------------

TEST(MmluTestCounts, AreThoseOfTheReleaseInMmlusOrder) {
  const auto& counts = import::MmluTestCounts();
  std::vector<std::string> subjects;
  for (const auto& [subject, count] : counts)
    subjects.push_back(subject);
  EXPECT_EQ(subjects, tasks::MmluSubjects());
  const tasks::Task mmlu = tasks::LoadTask({"mmlu", std::nullopt}, TestDataDir(), {});
  std::map<std::string, std::int64_t> loaded;
  std::int64_t previous = -1;
  for (std::size_t i = 0; i < mmlu.items.size(); ++i) {
    ++loaded[mmlu.items[i].subject];
    // Each subject's first item sits where DestinationOf puts doc 0.
    if (mmlu.items[i].subject != (previous < 0 ? "" : mmlu.items[previous].subject)) {
      EXPECT_EQ(import::DestinationOf("mmlu_" + mmlu.items[i].subject).index_offset,
                static_cast<std::int64_t>(i));
    }
    previous = static_cast<std::int64_t>(i);
  }
  for (const auto& [subject, count] : counts)
    EXPECT_EQ(loaded[subject], count) << subject;
}

}  // namespace
}  // namespace llmcal::testing
