"""Speech on the laptop (issue 19): Whisper through CTranslate2, fed 16 kHz mono PCM, nothing downloaded.

This package is the optional part ``jswcoder[transcribe]``: numpy, CTranslate2, tokenizers and the model
weights are imported only when a transcription starts, so the rest of the program runs without them and
:func:`jswcoder.speech.models.missing` says plainly what is absent.
"""
