"""The sound side of speech: engines, synthesis into the clip cache, and the files of an audio
edition (MP3s with tags and chapters, subtitles, playlist, feed, manifest)."""
