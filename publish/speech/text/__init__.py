"""The text side of speech: what a listener hears, as text — the narration script, text
normalised for speech, readings, lexicons and the pronunciation fixes sent to each engine."""
