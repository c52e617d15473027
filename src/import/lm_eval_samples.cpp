#include "import/lm_eval_samples.h"

#include <fmt/format.h>

#include <charconv>

#include "common/json_record.h"

namespace llmcal::import {
namespace {

// A log-likelihood as logged: a JSON number (v0.4.0-v0.4.2), or Python's
// str() of a float ("-1.25", "-inf", "nan", "1e-05") after the harness's
// sanitize_list (v0.4.3 on), or a non-finite number QuoteNonFiniteNumbers
// turned into such a string.
double LogLikelihood(const JsonField& field) {
  if (field.IsNumber())
    return field.Number();
  if (!field.IsString())
    throw field.Error("expected a log-likelihood (a number, or a number as text)");
  const std::string text = field.String();
  double value = 0.0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty())
    throw field.Error(fmt::format("expected a log-likelihood, found \"{}\"", text));
  return value;
}

// The greedy flag as logged: true/false, or Python's str() of a bool.
bool GreedyFlag(const JsonField& field) {
  if (field.Json().is_boolean())
    return field.Bool();
  if (field.IsString()) {
    const std::string text = field.String();
    if (text == "True")
      return true;
    if (text == "False")
      return false;
    throw field.Error(fmt::format("expected True or False, found \"{}\"", text));
  }
  throw field.Error("expected the greedy flag (true/false, or \"True\"/\"False\")");
}

// One request's context and continuation: [context, continuation, ...] in the
// array format, {"arg_0": context, "arg_1": continuation, ...} in JSON Lines.
// A generation request (its second argument is not a string) is refused.
HarnessRequest RequestArguments(const JsonField& args) {
  JsonField context = args, continuation = args;
  if (args.IsObject()) {
    context = args.Member("arg_0");
    continuation = args.Member("arg_1");
  } else {
    const std::vector<JsonField> elements = args.Elements();
    if (elements.size() < 2)
      throw args.Error("expected [context, continuation]");
    context = elements[0];
    continuation = elements[1];
  }
  if (!continuation.IsString()) {
    throw continuation.Error(
        "not a log-likelihood request (a generation task's?): only multiple-choice tasks can "
        "be imported");
  }
  HarnessRequest request;
  request.context = context.String();
  request.continuation = continuation.String();
  return request;
}

std::vector<HarnessRequest> Requests(const JsonField& record) {
  const JsonField arguments = record.Member("arguments");
  std::vector<HarnessRequest> requests;
  if (arguments.IsObject()) {
    for (std::size_t i = 0; arguments.Has(fmt::format("gen_args_{}", i)); ++i)
      requests.push_back(RequestArguments(arguments.Member(fmt::format("gen_args_{}", i))));
  } else {
    for (const JsonField& args : arguments.Elements())
      requests.push_back(RequestArguments(args));
  }
  if (requests.empty())
    throw arguments.Error("no requests");
  const std::vector<JsonField> responses = record.Member("filtered_resps").Elements();
  if (responses.size() != requests.size()) {
    throw record.Member("filtered_resps")
        .Error(fmt::format("{} responses for {} requests", responses.size(), requests.size()));
  }
  for (std::size_t i = 0; i < requests.size(); ++i) {
    const std::vector<JsonField> answer = responses[i].Elements();
    if (answer.size() != 2)
      throw responses[i].Error("expected [log-likelihood, is_greedy] (the take_first filter's)");
    requests[i].loglikelihood = LogLikelihood(answer[0]);
    requests[i].is_greedy = GreedyFlag(answer[1]);
  }
  return requests;
}

HarnessSample ReadSample(const JsonField& record) {
  HarnessSample sample;
  sample.where = record.where();
  const JsonField doc_id = record.Member("doc_id");
  sample.doc_id = doc_id.Integer();
  if (sample.doc_id < 0)
    throw doc_id.Error("negative");
  if (record.Has("doc"))
    sample.doc = record.Member("doc").Json();
  sample.target = record.Member("target").Json();
  if (record.Has("filter"))
    sample.filter = record.Member("filter").String();
  sample.requests = Requests(record);
  return sample;
}

bool StartsWithAt(std::string_view text, std::size_t at, std::string_view word) {
  return text.substr(at, word.size()) == word;
}

}  // namespace

const char* SamplesFormatName(SamplesFormat format) {
  return format == SamplesFormat::kJsonLines ? "jsonl" : "json-array";
}

std::string QuoteNonFiniteNumbers(std::string_view text) {
  static constexpr std::pair<std::string_view, std::string_view> kTokens[] = {
      {"-Infinity", "\"-inf\""}, {"Infinity", "\"inf\""}, {"NaN", "\"nan\""}};
  std::string out;
  out.reserve(text.size());
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      out += c;
      if (c == '\\' && i + 1 < text.size()) {
        out += text[++i];
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
      out += c;
      continue;
    }
    bool replaced = false;
    for (const auto& [token, quoted] : kTokens) {
      if (StartsWithAt(text, i, token)) {
        out += quoted;
        i += token.size() - 1;
        replaced = true;
        break;
      }
    }
    if (!replaced)
      out += c;
  }
  return out;
}

SamplesFile ReadSamplesFile(const std::filesystem::path& path) {
  FileText file = ReadWholeFile(path);
  SamplesFile samples;
  samples.path = path;
  samples.format =
      StartsWithJsonArray(file.text) ? SamplesFormat::kJsonArray : SamplesFormat::kJsonLines;
  file.text = QuoteNonFiniteNumbers(file.text);
  BadRecordPolicy fail(false);
  const auto on_record = [&](const JsonField& record) {
    samples.samples.push_back(ReadSample(record));
    samples.has_filter_field = samples.has_filter_field || record.Has("filter");
  };
  if (samples.format == SamplesFormat::kJsonArray) {
    ForEachJsonArrayElement(file, fail, on_record);
  } else {
    ForEachJsonLine(file, fail, on_record);
  }
  if (samples.samples.empty())
    throw InputError::At(path.string(), 0, "", "no samples");
  return samples;
}

}  // namespace llmcal::import
