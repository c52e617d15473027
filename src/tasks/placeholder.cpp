// Replaced by the tasks module's sources.
