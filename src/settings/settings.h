// Every setting of llmcal, declared once (settings/setting.h says what a
// declaration holds). The command-line flags (cli/setting_flags.h) and the
// study-file keys (study/toml_table.h) are made from these; the name lists
// come from the enums' own tables (common/name_table.h); the defaults from
// the library that owns each value.
//
// Adding a setting is one declaration in settings.cpp (and its name here),
// then one call where a command registers it (cli::AddFlag) and, when study
// files take it, one where the study file reads it (TomlTable::Read);
// docs/architecture.md, "Settings". tests/settings/ then checks both sides.
#pragma once

#include <vector>

#include "settings/setting.h"

namespace llmcal::settings {

// [analysis]: what is computed from a store or a predictions file.
extern const Setting& kBins;
extern const Setting& kClBins;
extern const Setting& kBootstrap;
extern const Setting& kSeed;
extern const Setting& kAnalysisThreads;
extern const Setting& kMethods;
extern const Setting& kMetrics;
extern const Setting& kAnalysisTasks;
extern const Setting& kRankings;
extern const Setting& kFigure1Metrics;
extern const Setting& kFigure2Metric;
// One metric or method where a command takes exactly one.
extern const Setting& kRankMetric;
extern const Setting& kRankMethod;
extern const Setting& kCalibrateMethod;

// [engine]: how models run.
extern const Setting& kEngineThreads;
extern const Setting& kWorkers;
extern const Setting& kBatchSize;
extern const Setting& kCtxSize;
extern const Setting& kGpuLayers;
extern const Setting& kRpc;
extern const Setting& kFlashAttn;
extern const Setting& kBos;
extern const Setting& kSplit;
extern const Setting& kPrefixCache;
extern const Setting& kVerbose;

// [items]: which items of each task.
extern const Setting& kLimit;
extern const Setting& kSample;
extern const Setting& kSampleSeed;
extern const Setting& kDemoSample;
// Few-shot examples before each item (a study file's top level; [num_fewshot_by_task]
// per task takes the same values).
extern const Setting& kNumFewShot;

// The study's grid (top level of a study file).
extern const Setting& kTasks;
extern const Setting& kStyles;
extern const Setting& kPromptStyle;

// Reading task files (command line only).
extern const Setting& kSkipBad;
extern const Setting& kMedmcqaCopBase;

// One command's own (command line only).
extern const Setting& kGnuplotTimeout;    // report
extern const Setting& kTemperatureSplit;  // calibrate
extern const Setting& kRecalibrate;       // calibrate
extern const Setting& kDataEndpoint;      // data fetch

// Every declaration of settings.cpp, in its order.
std::vector<const Setting*> AllSettings();

}  // namespace llmcal::settings
