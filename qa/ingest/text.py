"""Words for lexical matching: accent folding, lowercasing, stopwords, Porter stemming.

``tokenize`` is used on both sides of BM25: passages keep every word, questions drop
stopwords (``drop_stop=True``) so that "what", "did", "the" do not decide a ranking.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import pairwise


class PorterStemmer:
    """Classic Porter (1980) stemmer, implemented from the published algorithm.

    PyStemmer's Snowball "porter" (C) is 16 times faster a word, but it stems words of one or two
    letters ("us" -> "u") and undoubles only some consonants ("trekking" -> "trekk"): 11 of the
    16,212 distinct words of the benchmark files come out otherwise. And a word is stemmed once
    per process (``stem`` caches): all 16,212 take 0.12 s here, so the speed would matter little.
    """

    def _cons(self, w, i):
        c = w[i]
        if c in "aeiou":
            return False
        if c == "y":
            return i == 0 or not self._cons(w, i - 1)
        return True

    def _m(self, s):  # number of VC sequences
        n = 0
        i = 0
        L = len(s)
        while i < L and self._cons(s, i):
            i += 1
        while i < L:
            while i < L and not self._cons(s, i):
                i += 1
            if i >= L:
                break
            n += 1
            while i < L and self._cons(s, i):
                i += 1
        return n

    def _vowel(self, s):
        return any(not self._cons(s, i) for i in range(len(s)))

    def _dc(self, s):
        return len(s) >= 2 and s[-1] == s[-2] and self._cons(s, len(s) - 1)

    def _cvc(self, s):
        return (
            len(s) >= 3
            and self._cons(s, len(s) - 3)
            and not self._cons(s, len(s) - 2)
            and self._cons(s, len(s) - 1)
            and s[-1] not in "wxy"
        )

    def _r(self, w, suf, rep, cond):
        if w.endswith(suf):
            st = w[: len(w) - len(suf)]
            if cond(st):
                return st + rep, True
            return w, True
        return w, False

    def stem(self, w):
        if len(w) <= 2:
            return w
        # 1a
        if w.endswith(("sses", "ies")):
            w = w[:-2]
        elif w.endswith("ss"):
            pass
        elif w.endswith("s"):
            w = w[:-1]
        # 1b
        flag = False
        if w.endswith("eed"):
            if self._m(w[:-3]) > 0:
                w = w[:-1]
        elif w.endswith("ed") and self._vowel(w[:-2]):
            w = w[:-2]
            flag = True
        elif w.endswith("ing") and self._vowel(w[:-3]):
            w = w[:-3]
            flag = True
        if flag:
            if w.endswith(("at", "bl", "iz")):
                w += "e"
            elif self._dc(w) and w[-1] not in "lsz":
                w = w[:-1]
            elif self._m(w) == 1 and self._cvc(w):
                w += "e"
        # 1c
        if w.endswith("y") and self._vowel(w[:-1]):
            w = w[:-1] + "i"
        m0 = lambda s: self._m(s) > 0
        for suf, rep in (
            ("ational", "ate"),
            ("tional", "tion"),
            ("enci", "ence"),
            ("anci", "ance"),
            ("izer", "ize"),
            ("abli", "able"),
            ("alli", "al"),
            ("entli", "ent"),
            ("eli", "e"),
            ("ousli", "ous"),
            ("ization", "ize"),
            ("ation", "ate"),
            ("ator", "ate"),
            ("alism", "al"),
            ("iveness", "ive"),
            ("fulness", "ful"),
            ("ousness", "ous"),
            ("aliti", "al"),
            ("iviti", "ive"),
            ("biliti", "ble"),
        ):
            w, hit = self._r(w, suf, rep, m0)
            if hit:
                break
        for suf, rep in (
            ("icate", "ic"),
            ("ative", ""),
            ("alize", "al"),
            ("iciti", "ic"),
            ("ical", "ic"),
            ("ful", ""),
            ("ness", ""),
        ):
            w, hit = self._r(w, suf, rep, m0)
            if hit:
                break
        for suf in (
            "al",
            "ance",
            "ence",
            "er",
            "ic",
            "able",
            "ible",
            "ant",
            "ement",
            "ment",
            "ent",
            "ion",
            "ou",
            "ism",
            "ate",
            "iti",
            "ous",
            "ive",
            "ize",
        ):
            if w.endswith(suf):
                st = w[: -len(suf)]
                if self._m(st) > 1 and (suf != "ion" or (st and st[-1] in "st")):
                    w = st
                break
        if w.endswith("e"):
            st = w[:-1]
            m = self._m(st)
            if m > 1 or (m == 1 and not self._cvc(st)):
                w = st
        if self._m(w) > 1 and self._dc(w) and w.endswith("l"):
            w = w[:-1]
        return w


_STEMMER = PorterStemmer()
_STEM_CACHE = {}


# Irregular verb forms Porter cannot see through ("gave" is "give"): past tense and participle.
_IRREGULAR = {
    form: base
    for base, forms in {
        "be": "was were been", "begin": "began begun", "break": "broke broken", "bring": "brought",
        "build": "built", "buy": "bought", "catch": "caught", "choose": "chose chosen", "come": "came",
        "do": "did done", "draw": "drew drawn", "drink": "drank drunk", "drive": "drove driven",
        "eat": "ate eaten", "fall": "fell fallen", "feel": "felt", "fight": "fought", "find": "found",
        "fly": "flew flown", "forget": "forgot forgotten", "get": "got gotten", "give": "gave given",
        "go": "went gone", "grow": "grew grown", "have": "had", "hear": "heard", "hold": "held",
        "keep": "kept", "know": "knew known", "lead": "led", "leave": "left", "lend": "lent",
        "lose": "lost", "make": "made", "mean": "meant", "meet": "met", "pay": "paid", "rise": "rose risen",
        "run": "ran", "say": "said", "see": "saw seen", "seek": "sought", "sell": "sold", "send": "sent",
        "shake": "shook shaken", "shoot": "shot", "show": "shown", "sing": "sang sung", "sit": "sat",
        "sleep": "slept", "speak": "spoke spoken", "spend": "spent", "stand": "stood", "steal": "stole stolen",
        "strike": "struck", "swim": "swam swum", "take": "took taken", "teach": "taught", "tell": "told",
        "think": "thought", "throw": "threw thrown", "understand": "understood", "wear": "wore worn",
        "win": "won", "write": "wrote written",
    }.items()
    for form in forms.split()
}
PAST_FORMS = frozenset(_IRREGULAR)  # "came", "given": a verb, where a word's ending does not tell


def stem(w: str) -> str:
    s = _STEM_CACHE.get(w)
    if s is None:
        s = _STEM_CACHE[w] = _STEMMER.stem(_IRREGULAR.get(w, w)) if w.isalpha() else w
    return s


STOPWORDS = frozenset(
    """a an the of in on at to for from by with about as into onto upon over under
and or but nor so if then than that this these those there here is are was were be been being am
do does did doing done have has had having it its it's he she they them their his her him we us our
you your i me my what which who whom whose when where why how whats whos
can could would should will shall may might must also not no yes
any some such other another each every all both either neither
one ones s t""".split()
)

_TOKEN_RE = re.compile(r"[a-z0-9]+")


def _fold(text: str) -> str:
    t = unicodedata.normalize("NFKD", text.replace("’", "'"))
    t = "".join(c for c in t if not unicodedata.combining(c))
    return t.lower()


def tokenize(text: str, do_stem: bool = True, drop_stop: bool = False) -> list[str]:
    """Lowercase, strip accents, split on non-alphanumerics, optional stopword drop, Porter stem.
    Numbers with separators ('1,000', '3.5') are joined ('1000', '35')."""
    t = _fold(text)
    t = re.sub(r"(?<=\d)[,.](?=\d)", "", t)  # 1,000 -> 1000
    t = t.replace("'s", " ")
    toks = _TOKEN_RE.findall(t)
    if drop_stop:
        toks = [w for w in toks if w not in STOPWORDS]
    if do_stem:
        toks = [stem(w) for w in toks]
    return toks


def bigrams(tokens: list[str]) -> list[str]:
    """Adjacent pairs, joined: ["trade", "hous"] -> ["trade_hous"]."""
    return [a + "_" + b for a, b in pairwise(tokens)]
