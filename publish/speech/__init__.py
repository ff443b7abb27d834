"""Articles → audio editions, in two sides.

The text side (`speech.text`) decides what is said: the narration script of an article, text
normalised for speech, the readings of polyphones, lexicons and the pronunciation fixes each
engine needs. The sound side (`speech.sound`) makes it heard: engines, synthesis into the clip
cache, audio files, tags, subtitles and feeds. They meet in the script: the sound side takes
a fixed `Script` and speaks its requests; the text side never imports the sound side.
`speech.espeak`, the espeak-ng binding, serves both (phonemes to check fixes; the offline
engine's voice).
"""
