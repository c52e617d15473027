// Writes the report tests' fixture study (study_fixture.h) as StudyResults
// JSON, for `llmcal report --from-json`: the browser test and the example
// figures of docs/report.md are drawn from it.
// Usage: make_report_fixture OUT.json [--single-model]
#include <fmt/format.h>

#include <cstring>
#include <exception>

#include "report/study_fixture.h"
#include "report/study_results_json.h"
#include "report/text_file.h"

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3 || (argc == 3 && std::strcmp(argv[2], "--single-model") != 0)) {
    fmt::print(stderr, "usage: make_report_fixture OUT.json [--single-model]\n");
    return 2;
  }
  try {
    namespace fixture = llmcal::report::testing;
    const auto results = argc == 3 ? fixture::SingleModelStudy() : fixture::FixtureStudy();
    llmcal::report::WriteTextFile(argv[1],
                                  llmcal::report::StudyResultsToJson(results).dump(1) + "\n");
  } catch (const std::exception& e) {
    fmt::print(stderr, "make_report_fixture: {}\n", e.what());
    return 1;
  }
  return 0;
}
