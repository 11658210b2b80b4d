"""Language identification with lingua, over a restricted set of languages news comes in."""
from __future__ import annotations

import functools

SUPPORTED = {"en"}  # languages the reading layers read; others get the language and a warning


@functools.lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    langs = [
        Language.ENGLISH, Language.GERMAN, Language.FRENCH, Language.SPANISH, Language.ITALIAN,
        Language.PORTUGUESE, Language.DUTCH, Language.RUSSIAN, Language.UKRAINIAN, Language.POLISH,
        Language.TURKISH, Language.ARABIC, Language.CHINESE, Language.JAPANESE, Language.KOREAN,
        Language.SWEDISH, Language.CZECH, Language.ROMANIAN, Language.HUNGARIAN, Language.GREEK,
        Language.HINDI, Language.INDONESIAN, Language.PERSIAN, Language.HEBREW,
    ]
    # Low-accuracy mode uses trigram models only: it loads in a fraction of a second instead of
    # ~15 s, and on article-length text it is as accurate as the full mode.
    return LanguageDetectorBuilder.from_languages(*langs).with_low_accuracy_mode().build()


def detect_language(text: str, sample: int = 4000) -> str | None:
    """ISO 639-1 code of the text's language, or None when there is too little text to tell."""
    sample_text = text[:sample].strip()
    if len(sample_text) < 20:
        return None
    lang = _detector().detect_language_of(sample_text)
    return lang.iso_code_639_1.name.lower() if lang else None
