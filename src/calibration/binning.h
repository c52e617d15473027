// Equal-width binning of values in [0, 1], two conventions.
//
// Ours (DESIGN.md "Metrics"): bin b of B holds v with b/B <= v < (b+1)/B, the
// last bin also holds 1.0. The edge b/B is the double nearest to the rational
// b/B (double(b) / double(B)), and membership is decided by comparing v with
// those edges, so a value on an edge always belongs to the bin that starts
// there, whatever rounding v * B suffers (0.3 * 10 may be 2.9999999999999996;
// 0.3 is still in bin 3).
//
// calibration_library's (Pearce, metrics.py `CELoss`): edges
// np.linspace(0, 1, B + 1), that is b * (1.0 / B) with the last edge exactly
// 1.0, and bin b holds v with edge_b < v <= edge_{b+1}: 0 (and anything above
// 1) falls in no bin.
#pragma once

namespace llmcal::calibration {

// Returns the lower edge of bin b: double(b) / double(bins). REQUIRES: bins >= 1.
inline double BinEdge(int b, int bins) {
  return static_cast<double>(b) / static_cast<double>(bins);
}

// Returns the bin of v in [0, bins). Values below 0 go to bin 0 and values
// at or above 1 to the last bin. REQUIRES: bins >= 1, v not NaN.
inline int EqualWidthBin(double v, int bins) {
  if (!(v > 0))
    return 0;
  if (v >= 1)
    return bins - 1;
  int b = static_cast<int>(v * bins);
  // v * bins may round across an integer; the edges decide.
  if (b >= bins)
    b = bins - 1;
  while (b > 0 && v < BinEdge(b, bins))
    --b;
  while (b + 1 < bins && v >= BinEdge(b + 1, bins))
    ++b;
  return b;
}

// The edge b of calibration_library's bins: b * (1.0 / bins) as
// np.linspace(0, 1, bins + 1) computes it, exactly 1.0 for b == bins.
// REQUIRES: 0 <= b <= bins.
inline double LinspaceEdge(int b, int bins) {
  return b == bins ? 1.0 : static_cast<double>(b) * (1.0 / static_cast<double>(bins));
}

// Returns calibration_library's bin of v, in [0, bins), or -1 when v is in no
// bin (v <= 0 or v > 1). REQUIRES: bins >= 1, v not NaN.
inline int LinspaceBin(double v, int bins) {
  if (!(v > 0) || v > 1)
    return -1;
  int b = static_cast<int>(v * bins);
  if (b >= bins)
    b = bins - 1;
  while (b > 0 && v <= LinspaceEdge(b, bins))
    --b;
  while (b + 1 < bins && v > LinspaceEdge(b + 1, bins))
    ++b;
  return b;
}

}  // namespace llmcal::calibration
