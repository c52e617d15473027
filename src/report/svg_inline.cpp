#include "report/svg_inline.h"

#include <regex>
#include <stdexcept>

#include "report/escape.h"

namespace llmcal::report {

namespace {

// Prefixes the id, href="#..." and url(#...) of every tag; text between tags
// (figure labels, which may hold anything) is left alone.
std::string PrefixIds(const std::string& svg, const std::string& prefix) {
  static const std::regex kId(R"re((<[^<>]*?\s)id=(['"])([^'"]+)\2)re");
  static const std::regex kHref(R"re((<[^<>]*?\s(?:xlink:)?)href=(['"])#([^'"]+)\2)re");
  static const std::regex kUrl(R"re((<[^<>]*?)url\(#([^)'"]+)\))re");
  std::string out = std::regex_replace(svg, kId, "$1id=$2" + prefix + "$3$2");
  out = std::regex_replace(out, kHref, "$1href=$2#" + prefix + "$3$2");
  return std::regex_replace(out, kUrl, "$1url(#" + prefix + "$2)");
}

}  // namespace

std::string InlineSvg(std::string_view svg, const std::string& id_prefix,
                      const std::string& title) {
  const std::size_t start = svg.find("<svg");
  if (start == std::string_view::npos)
    throw std::invalid_argument("not an SVG document");
  std::string out = PrefixIds(std::string(svg.substr(start)), id_prefix + "-");
  const std::string label = EscapeHtml(title);
  const std::size_t open = out.find("<title>");
  const std::size_t close = out.find("</title>");
  if (open != std::string::npos && close != std::string::npos && open < close)
    out.replace(open + 7, close - open - 7, label);
  out.replace(0, 4, "<svg role=\"img\" aria-label=\"" + label + "\"");
  return out;
}

}  // namespace llmcal::report
