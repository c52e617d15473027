// Escaping text for every output the report writes, one function per target
// and each in one place: a model name like "olmo_7b<sft>" must come out as
// itself in HTML, LaTeX, Markdown, CSV and a gnuplot figure.
#pragma once

#include <string>
#include <string_view>

namespace llmcal::report {

// HTML text and attribute values: & < > " ' become entities.
// EscapeHtml("a<b & 'c'") == "a&lt;b &amp; &#39;c&#39;"
std::string EscapeHtml(std::string_view text);

// LaTeX text mode: \ { } $ & # ^ _ % ~ < > | become commands or escapes;
// a line break becomes a space. EscapeLatex("a_b 5%") == "a\\_b 5\\%"
std::string EscapeLatex(std::string_view text);

// A Markdown (CommonMark / GFM table) cell: ASCII punctuation that could start
// markup (\ ` * _ [ ] < > | #) is backslash-escaped; a line break becomes a space.
// EscapeMarkdown("a_b|c") == "a\\_b\\|c"
std::string EscapeMarkdown(std::string_view text);

// One CSV field (RFC 4180): quoted, with quotes doubled, when it holds a
// comma, a quote, a line break or leading or trailing space; else unchanged.
// CsvField("a,b") == "\"a,b\"", CsvField("say \"hi\"") == "\"say \"\"hi\"\"\""
std::string CsvField(std::string_view text);

// A gnuplot single-quoted string literal: quotes doubled, line breaks become
// spaces (gnuplot's single-quoted strings have no other escapes). Scripts use
// the `noenhanced` terminal option, so _ ^ { } @ are printed as themselves.
// GnuplotString("it's a_b") == "'it''s a_b'"
std::string GnuplotString(std::string_view text);

// A label column of a tab-separated gnuplot data file: tabs and line breaks
// become spaces and double quotes become single quotes (gnuplot reads a
// double quote in a data file as the start of a quoted field, with no escape).
std::string DataLabel(std::string_view text);

// A file-name stem made of `text`: ASCII letters, digits and '-' kept, every
// run of other bytes ('_', '.', '/', spaces, non-ASCII text) one '_'.
// FileStem("Llama-2 7b/chat") == "Llama-2_7b_chat"
std::string FileStem(std::string_view text);

}  // namespace llmcal::report
