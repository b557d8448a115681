"""Is a question English? The model and the word statistics read English only.

A question mostly written in a non-Latin script, or one whose function words are another
language's ("Qui a donné…", "Wer hat…", "¿Quién…"), is still answered as well as it can be, but
the answer says that questions and documents are read as English. A few lists of words and
Unicode character names are enough for that; no language model is loaded.
"""

from __future__ import annotations

import re
import unicodedata

NOTE = "qa reads questions and documents as English; this question does not look like English, so the answer may miss."
_WORD = re.compile(r"[^\W\d_]+")
_ENGLISH = frozenset(
    "the a an of to in on at for with by from and or but not no is are was were be been being do does did have has "
    "had what who whom whose which when where why how many much there their they he she it its his her them this "
    "that these those than then about after before into over under between during give gave given say said".split()
)
# Frequent words of other languages written in Latin script that are not also English words.
_FOREIGN = frozenset(
    # French
    "le la les des du un une est qui que quoi pourquoi comment où quand avec pour dans sur pas cette ces "
    "ils elle elles sont été quel quelle quels quelles au aux à donné "
    # German
    "der das dem des ein eine einen einem ist sind wer wie warum wo wann welche welcher welches mit und für "
    "auf nicht haben von zu im vom zum hat wurde gab "
    # Spanish, Portuguese, Italian
    "el los las qué quién quiénes cómo dónde cuándo por para con del y está son una uno dio "
    "os um é quem onde não da do já foi "
    "il lo gli della che chi dove quando perché è sono di "
    # Dutch
    "het een wat hoe waar wanneer waarom voor niet heeft zijn gaf".split()
) - _ENGLISH


def note(question: str) -> str | None:
    """``NOTE`` when ``question`` does not look like English, else None."""
    letters = [c for c in question if c.isalpha()]
    if not letters:
        return None
    latin = sum(1 for c in letters if unicodedata.name(c, "").startswith("LATIN"))
    if latin < len(letters) / 2 or "¿" in question or "¡" in question:
        return NOTE
    words = [w.lower() for w in _WORD.findall(question)]
    english = sum(1 for w in words if w in _ENGLISH)
    foreign = sum(1 for w in words if w in _FOREIGN)
    return NOTE if foreign > english and (foreign >= 2 or english == 0) else None
