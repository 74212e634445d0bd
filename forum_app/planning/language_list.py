"""Languages for interpretation: far more than the seven interface languages.

Names are never written here: Babel's locale data names each code in the reader's language, so the
list reads right in Tigrinya as in Swedish. Residents may also type a language that is not listed.
"""

# The languages most often asked for in Swedish municipalities' interpreting services, plus the
# interface languages. ``fa_AF`` is Dari, which Babel names on its own.
INTERPRETATION_LANGUAGES: tuple[str, ...] = (
    "ar", "fa", "fa_AF", "ps", "so", "ti", "am", "om", "uk", "ru", "ku", "ckb", "tr", "bs", "hr", "sr",
    "sq", "pl", "ro", "es", "fr", "en", "sw", "ur", "hi", "bn", "th", "zh", "vi", "ta", "my", "ne", "uz",
    "tg", "az", "hy", "ka", "el", "pt", "it", "de", "fi", "sv", "lg", "rw", "ln", "ha", "yo", "wo", "ff",
    "mn", "ug", "bo",
)
