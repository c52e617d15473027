#!/usr/bin/env bash
# The report in a real browser: draws the fixture study's report and opens it
# from disk in headless Chromium (tests/report/browser/browser_test.cjs).
# Screenshots stay in BUILD_DIR/report-browser-test/.
# Exit 77 (ctest: skipped) only when Chromium is not installed.
# Usage: browser_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
src=$2
chromium=${LLMCAL_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  echo "SKIPPED: Chromium not found at $chromium (scripts/setup.sh installs the chromium package)"
  exit 77
fi
packages=$build/report-browser
if [ ! -d "$packages/node_modules/playwright-core" ]; then
  echo "FAIL: playwright-core is not installed in $packages: run scripts/setup.sh"
  exit 1
fi
out=$build/report-browser-test
rm -rf "$out"
mkdir -p "$out"
"$build/tests/report/make_report_fixture" "$out/results.json"
"$build/llmcal" report --from-json "$out/results.json" --out "$out/report" >/dev/null
node "$src/tests/report/browser/browser_test.cjs" "$out/report/report.html" "$out" "$packages" "$chromium"
echo "screenshots: $out/report-desktop.png $out/report-phone.png"
