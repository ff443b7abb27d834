"""Articles → audio editions: narration script, text for speech, engines, audio files."""
