// Replaced by the engine module's sources.
