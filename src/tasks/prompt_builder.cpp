#include "tasks/prompt_builder.h"

#include <fmt/format.h>

#include "common/unicode_text.h"
#include "tasks/python_text.h"

namespace llmcal::tasks {
namespace {

// The harness's target_delimiter and fewshot_delimiter (api/task.py TaskConfig).
constexpr std::string_view kDelimiter = " ";
constexpr std::string_view kFewShotDelimiter = "\n\n";

std::string Letter(std::size_t k) {
  return std::string(1, static_cast<char>('A' + k));
}

// "high_school_biology" -> "high school biology".
std::string SubjectWords(const std::string& subject) {
  return PyReplace(subject, "_", " ");
}

// SciQ's context up to its "\nAnswer:" (lm-evaluation-harness sciq.yaml:
// "{{support.lstrip()}}\nQuestion: {{question}}\nAnswer:").
std::string SciqPassageAndQuestion(const Item& item) {
  return fmt::format("{}\nQuestion: {}", PyLStrip(item.passage), item.question);
}

// The text Y puts after "question:" and the choice texts it lists, per benchmark.
// HellaSwag and SciQ give the whole continuation-style context (SciQ without
// its "\nAnswer:"), since their question alone leaves out what it is about.
std::string YangQuestion(const Task& task, const Item& item) {
  switch (task.benchmark) {
    case Benchmark::kHellaSwag:
      return HellaswagPreprocess(item.question);
    case Benchmark::kSciq:
      return SciqPassageAndQuestion(item);
    case Benchmark::kCustom:
      return item.question.empty() ? item.context : item.question;
    default:
      return item.question;
  }
}

// Continuation-style answer texts: the choices, HellaSwag's preprocessed.
std::vector<std::string> AnswerTexts(const Task& task, const Item& item) {
  if (task.benchmark != Benchmark::kHellaSwag) {
    return item.choices;
  }
  std::vector<std::string> out;
  for (const std::string& ending : item.choices) {
    out.push_back(HellaswagPreprocess(ending));
  }
  return out;
}

// The harness's doc_to_text in the continuation style: the context without
// the task description.
std::string ContinuationText(const Task& task, const Item& item) {
  switch (task.benchmark) {
    case Benchmark::kArc:
    case Benchmark::kPiqa:
    case Benchmark::kMedMcqa:
      return fmt::format("Question: {}\nAnswer:", item.question);
    case Benchmark::kHellaSwag:
      return HellaswagPreprocess(item.question);
    case Benchmark::kSciq:
      return SciqPassageAndQuestion(item) + "\nAnswer:";
    case Benchmark::kMmlu:
      return fmt::format("Question: {}\nAnswer:", PyStrip(item.question));
    case Benchmark::kCustom:
      return item.context;
  }
  return {};
}

std::string MmluChoiceText(const Item& item) {
  std::string out = fmt::format("{}\n", PyStrip(item.question));
  for (std::size_t k = 0; k < item.choices.size(); ++k) {
    out += fmt::format("{}. {}\n", Letter(k), item.choices[k]);
  }
  return out + "Answer:";
}

std::string MedmcqaChoiceText(const Item& item) {
  std::string out = fmt::format("Question: {}\nChoices:\n", item.question);
  for (std::size_t k = 0; k < item.choices.size(); ++k) {
    out += fmt::format("{}. {}\n", Letter(k), item.choices[k]);
  }
  return out + "Answer:";
}

std::string YangPromptText(const Task& task, const Item& item) {
  std::string out =
      fmt::format("Select one of the choices that answers the following question: {} Choices:",
                  YangQuestion(task, item));
  const std::vector<std::string> answers = AnswerTexts(task, item);
  for (std::size_t k = 0; k < answers.size(); ++k) {
    out += fmt::format(" {}. {}", Letter(k), YangChoiceText(answers[k]));
  }
  return out + " Answer:";
}

// The harness's doc_to_text: what follows the description and the examples.
std::string DocText(const Task& task, const Item& item, PromptStyle style) {
  if (style == PromptStyle::kContinuation) {
    return ContinuationText(task, item);
  }
  switch (task.benchmark) {
    case Benchmark::kMmlu:
      return MmluChoiceText(item);
    case Benchmark::kMedMcqa:
      return MedmcqaChoiceText(item);
    default:
      return YangPromptText(task, item);
  }
}

// The task description the harness puts before everything else (MMLU only;
// mmlu_<subject>.yaml's "description", the subject's underscores as spaces).
std::string Description(const Task& task, const Item& item, PromptStyle style) {
  if (task.benchmark != Benchmark::kMmlu) {
    return {};
  }
  const std::string_view kind =
      style == PromptStyle::kContinuation ? "questions" : "multiple choice questions";
  return fmt::format("The following are {} (with answers) about {}.\n\n", kind,
                     SubjectWords(item.subject));
}

// The answer a few-shot example shows: the gold choice in the item's style.
std::string Target(const Task& task, const Item& item, PromptStyle style) {
  const std::size_t gold = static_cast<std::size_t>(item.gold);
  return style == PromptStyle::kContinuation ? AnswerTexts(task, item).at(gold) : Letter(gold);
}

}  // namespace

std::string TemplateVersion(PromptStyle style, std::size_t num_fewshot) {
  const std::string zero_shot(style == PromptStyle::kContinuation ? kContinuationTemplateVersion
                                                                  : kChoiceTemplateVersion);
  if (num_fewshot == 0) {
    return zero_shot;
  }
  return PyReplace(zero_shot, "zeroshot", fmt::format("{}shot", num_fewshot));
}

std::string YangChoiceText(std::string_view choice) {
  std::string out(PyStrip(choice));
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') {
    out[0] = static_cast<char>(out[0] - 'a' + 'A');
  }
  if (out.empty() || out.back() != '.') {
    out.push_back('.');
  }
  return out;
}

PromptRequest BuildPrompt(const Task& task, std::size_t index, PromptStyle style,
                          const std::vector<const Item*>& examples) {
  const Item& item = task.items.at(index);
  PromptRequest request{task.name, index, item.id, {}, {}, {}, item.gold};
  request.context = Description(task, item, style);
  for (const Item* example : examples) {
    request.context += DocText(task, *example, style) + std::string(kDelimiter) +
                       Target(task, *example, style) + std::string(kFewShotDelimiter);
  }
  request.context += DocText(task, item, style);
  if (style == PromptStyle::kContinuation) {
    request.choice_texts = AnswerTexts(task, item);
  } else {
    for (std::size_t k = 0; k < item.choices.size(); ++k) {
      request.choice_texts.push_back(Letter(k));
    }
  }
  for (const std::string& text : request.choice_texts) {
    request.continuations.push_back(fmt::format("{}{}", kDelimiter, text));
  }
  return request;
}

std::vector<PromptRequest> BuildPrompts(const Task& task, const std::vector<std::size_t>& indices,
                                        PromptStyle style, const FewShotPlan& fewshot) {
  std::vector<PromptRequest> out;
  out.reserve(indices.size());
  for (std::size_t index : indices) {
    out.push_back(BuildPrompt(task, index, style, fewshot.ExamplesOf(index)));
  }
  return out;
}

}  // namespace llmcal::tasks
