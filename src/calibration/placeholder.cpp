// Replaced by the calibration module's sources.
