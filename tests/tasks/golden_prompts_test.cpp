// Golden prompts: the exact strings DESIGN.md's templates give for real
// items, written out by hand from the templates and the raw records.
#include <gtest/gtest.h>

#include "real_tasks.h"
#include "tasks/prompt_builder.h"

namespace llmcal::tasks {
namespace {

using testing::RealTask;
using Strings = std::vector<std::string>;

struct Golden {
  const char* task;
  std::size_t index;
  PromptStyle style;
  std::string id;
  std::string context;
  Strings continuations;
  int gold;
};

const Strings kLetters4 = {" A", " B", " C", " D"};
const std::string kYang = "Select one of the choices that answers the following question: ";

std::vector<Golden> Goldens() {
  const auto C = PromptStyle::kContinuation;
  const auto L = PromptStyle::kChoice;
  return {
      // ARC-Easy: letter keys, numeric keys, 3 and 5 choices.
      {"arc_easy",
       0,
       C,
       "Mercury_417466",
       "Question: Which statement best explains why photosynthesis is the foundation of most food "
       "webs?\nAnswer:",
       {" Sunlight is the source of energy for nearly all ecosystems.",
        " Most ecosystems are found on land instead of in water.",
        " Carbon dioxide is more available than other gases.",
        " The producers in all ecosystems are plants."},
       0},
      {"arc_easy", 0, L, "Mercury_417466",
       kYang +
           "Which statement best explains why photosynthesis is the foundation of most food webs? "
           "Choices: A. Sunlight is the source of energy for nearly all ecosystems. B. Most "
           "ecosystems are found on land instead of in water. C. Carbon dioxide is more available "
           "than other gases. D. The producers in all ecosystems are plants. Answer:",
       kLetters4, 0},
      {"arc_easy", 14, L, "NYSEDREGENTS_2015_8_28",
       kYang + "All living and nonliving material is composed of Choices: A. Air. B. Elements. "
               "C. Water. D. Soil. Answer:",
       kLetters4, 1},
      {"arc_easy",
       93,
       L,
       "NYSEDREGENTS_2008_4_6",
       kYang + "When a rock is placed in a graduated cylinder containing water, the height of the "
               "water will Choices: A. Decrease. B. Increase. C. Remain the same. Answer:",
       {" A", " B", " C"},
       1},
      {"arc_easy",
       500,
       C,
       "TIMSS_2003_4_pg35",
       "Question: What gas in the air do we need to breathe in order to live?\nAnswer:",
       {" nitrogen", " oxygen", " carbon dioxide", " hydrogen", " water vapor"},
       1},
      {"arc_easy",
       500,
       L,
       "TIMSS_2003_4_pg35",
       kYang + "What gas in the air do we need to breathe in order to live? Choices: A. Nitrogen. "
               "B. Oxygen. C. Carbon dioxide. D. Hydrogen. E. Water vapor. Answer:",
       {" A", " B", " C", " D", " E"},
       1},
      // HellaSwag (llama.cpp text): ctx_b capitalized again, markup removed.
      {"hellaswag",
       0,
       C,
       "hellaswag_val_full.txt:1",
       "Roof shingle removal: A man is sitting on a roof. He",
       {" is using wrap to wrap a pair of skis.", " is ripping level tiles off.",
        " is holding a rubik's cube.", " starts pulling up roofing on a roof."},
       3},
      {"hellaswag", 0, L, "hellaswag_val_full.txt:1",
       kYang +
           "Roof shingle removal: A man is sitting on a roof. He Choices: A. Is using wrap to wrap "
           "a pair of skis. B. Is ripping level tiles off. C. Is holding a rubik's cube. "
           "D. Starts pulling up roofing on a roof. Answer:",
       kLetters4, 3},
      {"hellaswag",
       1,
       C,
       "hellaswag_val_full.txt:7",
       "Clean and jerk: A lady walks to a barbell. She bends down and grabs the pole. The lady",
       {" swings and lands in her arms.", " pulls the barbell forward.",
        " pulls a rope attached to the barbell.", " stands and lifts the weight over her head."},
       3},
      {"hellaswag",
       3505,
       C,
       "hellaswag_val_full.txt:21031",
       "Family Life: How to entertain a toddler. Ask the toddler what he or she would like to do "
       "instead of doing what you would like to do.. Visit a site like to find loads of creative "
       "activities for toddlers and preschoolers.. Choose small, simple games like candy land or "
       "chutes and ladders.",
       {" Make sure you get a computer or tablet in case the toddler wants to do some general "
        "stuff. And maybe ask to go get a snack or an xbox or wii.",
        " Try some arts and crafts like washable paints, little foamies, crayons, and paper.. "
        "Watch the toddler's favorite movie, even if it's barney, and even if he or she has seen "
        "it 20 times before.",
        " Make sure the kid you are babysitting is old enough to handle various household chores "
        "or housework. Little kids will have a difficult time holding objects and will have "
        "precious time learning any new skill.",
        " If you discover that your toddler likes archery or fishing, create activities around "
        "these games as well. Alternatively, make small squares and place them around the "
        "toddler."},
       1},
      // MedMCQA: lm-eval's lettered default.
      {"medmcqa",
       0,
       C,
       "validation.jsonl:1",
       "Question: A patient who was on ventilator and being ventilated for past few days, "
       "suddenly pulls out the endotracheal tube. What is the next step of management?\nAnswer:",
       {" Assess the patient, give bag and mask ventilation and look for spontaneous breathing",
        " Sta bag and mask ventilation and reintubate", " Sedate and reintubate",
        " Make him sit and do physiotherapy"},
       0},
      {"medmcqa", 1, L, "validation.jsonl:2",
       "Question: Highest concentration of oxygen is delivered through?\nChoices:\nA. Nasal "
       "cannula\nB. Venturi mask\nC. Bag and mask\nD. Mask with reservoir\nAnswer:",
       kLetters4, 2},
      // MMLU: subject words, stripped question, unstripped choices.
      {"mmlu",
       0,
       C,
       "abstract_algebra_test.csv:1",
       "The following are questions (with answers) about abstract algebra.\n\nQuestion: Find the "
       "degree for the given field extension Q(sqrt(2), sqrt(3), sqrt(18)) over Q.\nAnswer:",
       {" 0", " 4", " 2", " 6"},
       1},
      {"mmlu", 0, L, "abstract_algebra_test.csv:1",
       "The following are multiple choice questions (with answers) about abstract algebra.\n\nFind "
       "the degree for the given field extension Q(sqrt(2), sqrt(3), sqrt(18)) over Q.\nA. 0\nB. "
       "4\nC. 2\nD. 6\nAnswer:",
       kLetters4, 1},
      {"mmlu", 1105, L, "college_mathematics_test.csv:13",
       "The following are multiple choice questions (with answers) about college mathematics.\n\n"
       "Which of the following is true?\nA. Every compact space is complete\nB. Every complete "
       "space is compact\nC. Neither (a) nor (b).\nD.  Both (a) and (b).\nAnswer:",
       kLetters4, 0},
      {"mmlu",
       1105,
       C,
       "college_mathematics_test.csv:13",
       "The following are questions (with answers) about college mathematics.\n\nQuestion: Which "
       "of the following is true?\nAnswer:",
       {" Every compact space is complete", " Every complete space is compact",
        " Neither (a) nor (b).", "  Both (a) and (b)."},
       0},
      {"mmlu_world_religions", 0, L, "world_religions_test.csv:1",
       "The following are multiple choice questions (with answers) about world religions.\n\nWhat "
       "can murtis be translated as?\nA. Offerings\nB. Prayers\nC. Apparitions\nD. Idols\nAnswer:",
       kLetters4, 3},
      // PIQA: raw solutions as continuations; Y normalizes them.
      {"piqa",
       0,
       C,
       "valid.jsonl:1",
       "Question: How do I ready a guinea pig cage for it's new occupants?\nAnswer:",
       {" Provide the guinea pig with a cage full of a few inches of bedding made of ripped paper "
        "strips, you will also need to supply it with a water bottle and a food dish.",
        " Provide the guinea pig with a cage full of a few inches of bedding made of ripped jeans "
        "material, you will also need to supply it with a water bottle and a food dish."},
       0},
      {"piqa",
       1,
       C,
       "valid.jsonl:2",
       "Question: dresser\nAnswer:",
       {" replace drawer with bobby pin ", " finish, woodgrain with  bobby pin "},
       1},
      {"piqa",
       1,
       L,
       "valid.jsonl:2",
       kYang +
           "dresser Choices: A. Replace drawer with bobby pin. B. Finish, woodgrain with  bobby "
           "pin. Answer:",
       {" A", " B"},
       1},
  };
}

TEST(GoldenPrompts, RealItemsRenderExactly) {
  for (const Golden& g : Goldens()) {
    SCOPED_TRACE(std::string(g.task) + " #" + std::to_string(g.index) + " " +
                 std::string(PromptStyleName(g.style)));
    const PromptRequest request = BuildPrompt(RealTask(g.task), g.index, g.style);
    EXPECT_EQ(request.task, g.task);
    EXPECT_EQ(request.index, g.index);
    EXPECT_EQ(request.id, g.id);
    EXPECT_EQ(request.context, g.context);
    EXPECT_EQ(request.continuations, g.continuations);
    EXPECT_EQ(request.gold, g.gold);
  }
}

TEST(GoldenPrompts, ChoiceTextsAreTheContinuationsWithoutTheDelimiter) {
  const PromptRequest piqa = BuildPrompt(RealTask("piqa"), 1, PromptStyle::kContinuation);
  EXPECT_EQ(piqa.choice_texts,
            (Strings{"replace drawer with bobby pin ", "finish, woodgrain with  bobby pin "}));
  const PromptRequest lettered = BuildPrompt(RealTask("arc_easy"), 93, PromptStyle::kChoice);
  EXPECT_EQ(lettered.choice_texts, (Strings{"A", "B", "C"}));
}

TEST(GoldenPrompts, EveryItemOfEveryTaskRendersInBothStyles) {
  for (const char* name : {"arc_easy", "hellaswag", "medmcqa", "mmlu", "piqa"}) {
    const Task& task = RealTask(name);
    for (PromptStyle style : {PromptStyle::kContinuation, PromptStyle::kChoice}) {
      for (std::size_t i = 0; i < task.items.size(); ++i) {
        const PromptRequest request = BuildPrompt(task, i, style);
        ASSERT_EQ(request.continuations.size(), task.items[i].choices.size()) << name << i;
        for (std::size_t k = 0; k < request.continuations.size(); ++k) {
          ASSERT_EQ(request.continuations[k], " " + request.choice_texts[k]) << name << i;
        }
        ASSERT_FALSE(request.context.empty()) << name << i;
      }
    }
  }
}

TEST(GoldenPrompts, TemplateVersions) {
  EXPECT_EQ(TemplateVersion(PromptStyle::kContinuation), "lm-eval-0.4-zeroshot/1");
  EXPECT_EQ(TemplateVersion(PromptStyle::kChoice), "lm-eval-0.4-zeroshot-lettered+yang2024/1");
  EXPECT_EQ(ParsePromptStyle("choice"), PromptStyle::kChoice);
  EXPECT_EQ(ParsePromptStyle("continuation"), PromptStyle::kContinuation);
  EXPECT_FALSE(ParsePromptStyle("lettered"));
}

}  // namespace
}  // namespace llmcal::tasks
