// Preparing a gnuplot SVG file for inlining into an HTML page.
#pragma once

#include <string>
#include <string_view>

namespace llmcal::report {

// Returns `svg` (a whole SVG document) as an element to place inside HTML:
// the XML declaration and any DOCTYPE dropped; every id prefixed with
// `id_prefix` + "-", and every reference to one (href="#id", url(#id))
// likewise, so that several figures in one page keep their own definitions;
// the <svg> element labelled with `title` (role="img", aria-label) and its
// <title> set to it.
// REQUIRES: svg holds an <svg element. Throws std::invalid_argument otherwise.
std::string InlineSvg(std::string_view svg, const std::string& id_prefix, const std::string& title);

}  // namespace llmcal::report
