#include "tasks/prompt_builder.h"

#include <fmt/format.h>

#include "common/unicode_text.h"
#include "tasks/python_text.h"

namespace llmcal::tasks {
namespace {

constexpr std::string_view kDelimiter = " ";

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

std::string ContinuationContext(const Task& task, const Item& item) {
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
      return fmt::format(
          "The following are questions (with answers) about {}.\n\nQuestion: {}\nAnswer:",
          SubjectWords(item.subject), PyStrip(item.question));
    case Benchmark::kCustom:
      return item.context;
  }
  return {};
}

std::string MmluChoiceContext(const Item& item) {
  std::string out =
      fmt::format("The following are multiple choice questions (with answers) about {}.\n\n{}\n",
                  SubjectWords(item.subject), PyStrip(item.question));
  for (std::size_t k = 0; k < item.choices.size(); ++k) {
    out += fmt::format("{}. {}\n", Letter(k), item.choices[k]);
  }
  return out + "Answer:";
}

std::string MedmcqaChoiceContext(const Item& item) {
  std::string out = fmt::format("Question: {}\nChoices:\n", item.question);
  for (std::size_t k = 0; k < item.choices.size(); ++k) {
    out += fmt::format("{}. {}\n", Letter(k), item.choices[k]);
  }
  return out + "Answer:";
}

std::string YangChoiceContext(const Task& task, const Item& item) {
  std::string out =
      fmt::format("Select one of the choices that answers the following question: {} Choices:",
                  YangQuestion(task, item));
  const std::vector<std::string> answers = AnswerTexts(task, item);
  for (std::size_t k = 0; k < answers.size(); ++k) {
    out += fmt::format(" {}. {}", Letter(k), YangChoiceText(answers[k]));
  }
  return out + " Answer:";
}

std::string ChoiceContext(const Task& task, const Item& item) {
  switch (task.benchmark) {
    case Benchmark::kMmlu:
      return MmluChoiceContext(item);
    case Benchmark::kMedMcqa:
      return MedmcqaChoiceContext(item);
    default:
      return YangChoiceContext(task, item);
  }
}

}  // namespace

std::string_view TemplateVersion(PromptStyle style) {
  return style == PromptStyle::kContinuation ? kContinuationTemplateVersion
                                             : kChoiceTemplateVersion;
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

PromptRequest BuildPrompt(const Task& task, std::size_t index, PromptStyle style) {
  const Item& item = task.items.at(index);
  PromptRequest request{task.name, index, item.id, {}, {}, {}, item.gold};
  if (style == PromptStyle::kContinuation) {
    request.context = ContinuationContext(task, item);
    request.choice_texts = AnswerTexts(task, item);
  } else {
    request.context = ChoiceContext(task, item);
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
                                        PromptStyle style) {
  std::vector<PromptRequest> out;
  out.reserve(indices.size());
  for (std::size_t index : indices) {
    out.push_back(BuildPrompt(task, index, style));
  }
  return out;
}

}  // namespace llmcal::tasks
