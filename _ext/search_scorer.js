/* The site search's scorer (html_search_scorer in _config.yml; Sphinx puts this file into language_data.js).
 *
 * Sphinx scores a page by where a word occurs (title 15, text 5) and breaks ties alphabetically, so a search
 * for "stateful" listed chapter 02 before chapter 07, because "stateful" appears in both. Here each page names
 * its subjects, and a page whose subject is a word of the query comes first, before the pages that only
 * mention it. A page whose title holds a word of the query comes next. Everything else keeps Sphinx's order.
 * tests/browser/test_site.py searches each subject in the browser and checks the first result.
 */
var Scorer = typeof Scorer !== "undefined" ? Scorer : {
  objNameMatch: 11, objPartialMatch: 6, objPrio: {0: 15, 1: 5, 2: -5}, objPrioDefault: 0,
  title: 15, partialTitle: 7, term: 5, partialTerm: 2,
};

/* Page (docname) -> its subjects. A query word matches a subject when it is the subject itself or, for a
 * subject of 4 or more letters, starts with it ("gradients" matches "gradient", "stacked" matches "stack"). */
Scorer.courseSubjects = {
  "chapters/01_one_unit_one_feature": ["lstm_step", "lstmcell", "unit_forget_bias", "gate", "gates",
                                       "candidate", "float64"],
  "chapters/02_many_features": ["feature", "features", "input_dim", "input_shape", "kernel"],
  "chapters/03_many_units": ["unit", "units", "recurrent_kernel", "parameter", "count_params",
                             "neuron", "split_gates"],
  "chapters/04_outputs_and_states": ["return_sequences", "return_state", "output", "outputs",
                                     "hidden state", "cell state", "carry"],
  "chapters/05_stacking": ["stack", "stacking", "stacked", "depth", "width", "deep"],
  "chapters/06_masking": ["mask", "masking", "masked", "padding", "pad", "padded", "mask_zero",
                          "zero_output_for_mask"],
  "chapters/07_stateful": ["stateful", "reset_state", "reset_states", "batch_shape", "shuffle"],
  "chapters/08_gradients": ["gradient", "backward", "backprop", "backpropagation", "bptt",
                            "lstm_backward", "autodiff", "vanish", "exploding"],
  "chapters/09_keras2_to_keras3": ["keras2", "keras 2", "errata", "migrat", "deprecat", "cudnn",
                                   "tf.keras"],
  "chapters/10_pytorch_and_keras": ["pytorch", "torch", "from_torch", "to_torch", "state_dict",
                                   "weight_ih", "weight_hh", "tf32"],
  "chapters/11_gru_and_simple_rnn": ["gru", "simplernn", "simple_rnn", "reset_after", "gru_forward"],
  "chapters/12_bidirectional": ["bidirectional", "merge_mode", "backward_layer"],
  "chapters/13_sequences_in_and_out": ["timedistributed", "repeatvector", "encoder", "decoder",
                                       "seq2seq", "window", "windowing", "many-to-many",
                                       "timeseries_dataset_from_array", "sliding_windows"],
  "chapters/14_training_by_hand": ["training", "train", "optimizer", "adam", "sgd", "learning rate",
                                  "train_on_batch", "loss", "adding problem"],
  "glossary": ["glossary", "definition", "definitions"],
};

Scorer.courseQuery = () => {
  const query = new URLSearchParams(window.location.search).get("q") || "";
  return query.toLowerCase().trim();
};

Scorer.courseMatches = (word, subject) =>
  word === subject || (subject.length >= 4 && !subject.includes(" ") && word.startsWith(subject));

Scorer.score = (result) => {
  const [docname, title, anchor, descr, score, filename] = result;
  const query = Scorer.courseQuery();
  const words = query.split(/[^a-z0-9_.]+/).filter((w) => w.length > 1);
  const subjects = Scorer.courseSubjects[docname] || [];
  let boost = 0;
  for (const subject of subjects) {
    if (subject.includes(" ") ? ` ${query} `.includes(` ${subject} `)
                              : words.some((w) => Scorer.courseMatches(w, subject))) {
      boost += 1000;
    }
  }
  // the page's own title (the part before " > ", for a section) holds a word of the query
  const pageTitle = String(title || "").split(" > ")[0].toLowerCase();
  if (words.some((w) => w.length > 3 && pageTitle.includes(w))) boost += 100;
  // among a boosted page's results, the page itself first, then its sections
  if (boost > 0 && !anchor) boost += 10;
  return score + boost;
};
