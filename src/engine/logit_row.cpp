// Compiled with -O3 -ffast-math so that the exp loop vectorizes (glibc's
// libmvec); the inputs are finite logits, so fast-math's assumptions hold.
#include "engine/logit_row.h"

#include <cmath>

namespace llmcal::engine {

namespace {

// Sums exp(x - shift) in float lanes, which the compiler vectorizes; eight
// independent partial sums keep the rounding error near 1e-7 relative.
float SumExpShifted(const float* x, std::size_t n, float shift) {
  float lanes[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    for (int l = 0; l < 8; ++l) lanes[l] += std::exp(x[i + l] - shift);
  }
  float sum = 0;
  for (; i < n; ++i) sum += std::exp(x[i] - shift);
  for (float l : lanes) sum += l;
  return sum;
}

}  // namespace

LogitRowStats SummarizeLogitRow(const float* logits, std::size_t n) {
  std::int32_t argmax = 0;
  float max = logits[0];
  for (std::size_t i = 1; i < n; ++i) {
    if (logits[i] > max) {
      max = logits[i];
      argmax = static_cast<std::int32_t>(i);
    }
  }
  return {max + std::log(SumExpShifted(logits, n, max)), argmax};
}

}  // namespace llmcal::engine
