#!/usr/bin/env python3
"""Writes the lm-evaluation-harness samples fixtures of tests/import with Python's
json module, as the harness itself writes them (docs/fidelity.md quotes the code):

- v0.4.0-v0.4.2, lm_eval/__main__.py: json.dumps(samples[task_name], indent=2,
  default=_handle_non_serializable, ensure_ascii=False) into
  "{model_args with / and = as __}_{task_name}.jsonl", beside results.json;
- v0.4.3 on, loggers/evaluation_tracker.py save_results_samples: one
  json.dumps(sample, ensure_ascii=False) line per document into
  "{model_name_sanitized}/samples_{task_name}_{date_id}.jsonl", arguments as
  {"gen_args_i": {"arg_j": ...}}, resps and filtered_resps through sanitize_list
  (every leaf str()), from v0.4.4 target as str(target), from v0.4.7 "filter"
  and "metrics"; results_{date_id}.json beside it (lm_eval_version from v0.4.9).

The log-likelihoods are made up; everything else is the harness's layout. The
tests read the files this script wrote (it is not run by the tests).
Run from this folder: python3 make_fixtures.py
"""
import json
import os

ARC = [
    {"id": "Mercury_417466", "question": "Which statement best explains why photosynthesis is the foundation of most food webs?",
     "choices": {"text": ["Sunlight is the source of energy for nearly all ecosystems.", "Most ecosystems are found on land instead of in water.",
                          "Carbon dioxide is more available than other gases.", "The producers in all ecosystems are plants."],
                 "label": ["A", "B", "C", "D"]}, "answerKey": "A"},
    {"id": "Mercury_7081673", "question": "Which piece of safety equipment is used to keep mold spores from entering the respiratory system?",
     "choices": {"text": ["safety goggles", "breathing mask", "rubber gloves", "lead apron"], "label": ["A", "B", "C", "D"]}, "answerKey": "B"},
    {"id": "Mercury_7239733", "question": "Meiosis is a type of cell division in which germ cells divide to produce haploid cells. Where does meiosis occur?",
     "choices": {"text": ["brain cells", "bone cells", "muscle cells", "ovary cells"], "label": ["A", "B", "C", "D"]}, "answerKey": "D"},
]
ARC_GOLD = [0, 1, 3]
ARC_LLS = [[-10.5, -12.25, -11.0, -9.75], [-3.5, -2.0, -4.25, -6.0], [-4.0, -4.5, -3.0, -2.5]]
ARC_GREEDY = [[False] * 4, [False, True, False, False], [False, False, False, True]]


def arc_context(doc):
    return "Question: " + doc["question"] + "\nAnswer:"


def sanitize_list(sub):  # lm_eval/loggers/utils.py
    if isinstance(sub, list):
        return [sanitize_list(item) for item in sub]
    if isinstance(sub, tuple):
        return tuple(sanitize_list(item) for item in sub)
    return str(sub)


def example(doc_id, doc, target, arguments, lls, greedy, extra):
    ex = {"doc_id": doc_id, "doc": doc, "target": target, "arguments": arguments,
          "resps": [[(ll, g)] for ll, g in zip(lls, greedy)],
          "filtered_resps": [(ll, g) for ll, g in zip(lls, greedy)]}
    ex.update(extra)
    return ex


def write_array(path, samples):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(samples, indent=2, ensure_ascii=False))


def write_lines(path, samples, str_target, with_filter):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        for sample in samples:
            sample = dict(sample)
            sample["arguments"] = {f"gen_args_{i}": {f"arg_{j}": a for j, a in enumerate(arg)}
                                   for i, arg in enumerate(sample["arguments"])}
            sample["resps"] = sanitize_list(sample["resps"])
            sample["filtered_resps"] = sanitize_list(sample["filtered_resps"])
            if str_target:
                sample["target"] = str(sample["target"])
            if with_filter:
                sample = {**{k: sample[k] for k in ("doc_id", "doc", "target", "arguments", "resps", "filtered_resps")},
                          "filter": "none", "metrics": [k for k in ("acc", "acc_norm") if k in sample],
                          "doc_hash": "0" * 64, "prompt_hash": "1" * 64, "target_hash": "2" * 64,
                          **{k: sample[k] for k in ("acc", "acc_norm") if k in sample}}
            f.write(json.dumps(sample, ensure_ascii=False) + "\n")


def write_json(path, value):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, indent=2)


def arc_samples(lls=ARC_LLS):
    return [example(i, doc, ARC_GOLD[i], [(arc_context(doc), " " + t) for t in doc["choices"]["text"]],
                    lls[i], ARC_GREEDY[i], {"acc": 0.0, "acc_norm": 0.0}) for i, doc in enumerate(ARC)]


# v0.4.0: the JSON array, typed values; results.json beside it.
write_array("v0.4.0/pretrained__EleutherAI__pythia-70m_arc_easy.jsonl", arc_samples())
write_json("v0.4.0/results.json", {"results": {"arc_easy": {"acc,none": 0.6667}},
                                   "configs": {"arc_easy": {"task": "arc_easy", "output_type": "multiple_choice"}},
                                   "git_hash": "4600d6b"})

# v0.4.0 with non-finite log-likelihoods (Python's json writes -Infinity and NaN bare).
nonfinite = [list(row) for row in ARC_LLS]
nonfinite[1][2] = float("-inf")
nonfinite[2][0] = float("nan")
write_array("nonfinite/pretrained__m_arc_easy.jsonl", arc_samples(nonfinite))

# v0.4.3: JSON Lines, sanitized leaves, typed target; results_<date>.json with git_hash only.
DATE43 = "2024-06-01T12-00-00.123456"
write_lines(f"v0.4.3/EleutherAI__pythia-70m/samples_arc_easy_{DATE43}.jsonl", arc_samples(), False, False)
write_json(f"v0.4.3/EleutherAI__pythia-70m/results_{DATE43}.json", {"results": {}, "git_hash": "a1b2c3d"})

# v0.4.9: MMLU (lettered: choices A-D), target str, filter and metrics; two subjects.
DATE49 = "2025-05-20T08-30-00.000001"
MMLU = {
    "anatomy": [
        ("A lesion causing compression of the facial nerve at the stylomastoid foramen will cause ipsilateral",
         ["paralysis of the facial muscles.", "paralysis of the facial muscles and loss of taste.",
          "paralysis of the facial muscles, loss of taste and lacrimation.",
          "paralysis of the facial muscles, loss of taste, lacrimation and decreased salivation."], 0, [-1.25, -1.5, -2.0, -2.5]),
        ("A \"dished face\" profile is often associated with",
         ["a protruding mandible due to reactivation of the condylar cartilage by acromegaly.",
          "a recessive maxilla due to failure of elongation of the cranial base.",
          "an enlarged frontal bone due to hydrocephaly.", "defective development of the maxillary air sinus."], 1, [-2.0, -1.0, -3.0, -1.75]),
    ],
    "astronomy": [
        ("You are pushing a truck along a road. Would it be easier to accelerate this truck on Mars? Why? (Assume there is no friction)",
         ["It would be harder since the truck is heavier on Mars.", "It would be easier since the truck is lighter on Mars.",
          "It would be harder since the truck is lighter on Mars.", "It would be the same no matter where you are."], 3, [-1.5, -1.25, -2.25, -1.0]),
    ],
}
for subject, docs in MMLU.items():
    samples = []
    for i, (question, choices, answer, lls) in enumerate(docs):
        context = (f"The following are multiple choice questions (with answers) about {subject}.\n\n{question}\n"
                   + "".join(f"{'ABCD'[k]}. {c}\n" for k, c in enumerate(choices)) + "Answer:")
        doc = {"question": question, "subject": subject, "choices": choices, "answer": answer}
        samples.append(example(i, doc, answer, [(context, " " + l) for l in "ABCD"], lls, [False] * 4, {"acc": 1.0}))
    write_lines(f"v0.4.9/EleutherAI__pythia-70m/samples_mmlu_{subject}_{DATE49}.jsonl", samples, True, True)
write_json(f"v0.4.9/EleutherAI__pythia-70m/results_{DATE49}.json",
           {"results": {}, "git_hash": None, "lm_eval_version": "0.4.9", "transformers_version": "4.51.3"})

# A task whose target is the answer's text (doc_to_target returns a str), v0.4.9 layout.
COLORS = [("The sky on a clear day is", ["green", "blue", "red"], "blue", [-4.0, -1.0, -5.0]),
          ("Grass is usually", ["green", "purple", "orange"], "green", [-0.5, -6.0, -7.0])]
write_lines(f"strings/m/samples_color_quiz_{DATE49}.jsonl",
            [example(i, {"q": q, "options": c, "answer": a}, a, [(q, " " + t) for t in c], lls, [False] * 3, {"acc": 1.0})
             for i, (q, c, a, lls) in enumerate(COLORS)], True, True)

# acc_mutual_info: the unconditional requests ("", choice) follow the K
# conditional ones; before v0.4.10 without the target delimiter
# (api/task.py: arguments=("", "{}".format(choice))), from v0.4.10 with it.
STORY = [("Tom was hungry, so he", ["ate a sandwich.", "went to sleep."], 0, [-3.0, -5.0], [-7.0, -6.5]),
         ("It rained all day, so we", ["played outside.", "stayed indoors."], 1, [-6.0, -2.5], [-8.0, -9.0])]
for name, delimiter, version_dir in (("story_mi_old", "", "mi/v0.4.3"), ("story_mi", " ", "mi/v0.4.10")):
    samples = []
    for i, (context, endings, gold, lls, unconditional) in enumerate(STORY):
        arguments = [(context, " " + e) for e in endings] + [("", delimiter + e) for e in endings]
        samples.append(example(i, {"context": context, "endings": endings, "label": gold}, gold, arguments,
                               lls + unconditional, [False] * 4, {"acc": 1.0, "acc_mutual_info": 1.0}))
    write_lines(f"{version_dir}/m/samples_{name}_{DATE43}.jsonl", samples, version_dir.endswith("10"), version_dir.endswith("10"))
