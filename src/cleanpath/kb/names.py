"""One normalisation of organisation names: the key that says two spellings are one vendor.

The same key serves an IANA registrant (``"Ubiquiti Networks, Inc."``), an ENTITY-MIB
manufacturer string, an inventory column and a label in an evaluation, so that all of them
resolve alike. :func:`name_key` folds case and accents, drops notes on former names
(``(formerly 'X')``), URLs, punctuation, legal forms (Inc, Ltd, Co, Corp, GmbH, AG, S.A.,
LLC, B.V., Oy, AB, Pty, ...) and, at the end only, generic words (Technologies, Networks,
Systems, Communications, Electronics, Corporation, Group, International, ...) and place
names (a subsidiary's "America", a Chinese registrant's leading city), and joins the rest.
A name made only of such words keeps its last word. :func:`clean_name` gives the display
form of a registrant name: the same cuts, case and generic words kept.

>>> name_key("Ubiquiti Networks, Inc.") == name_key("Ubiquiti")
True
>>> name_key("HUAWEI TECHNOLOGIES CO.,LTD"), name_key("Cisco Systems, Inc")
('huawei', 'cisco')
>>> name_key("Arista Networks, Inc. (formerly 'Arastra, Inc.')")
'arista'
>>> name_key("IBM (https://w3.ibm.com/standards )"), name_key("D-Link Systems, Inc.")
('ibm', 'dlink')
>>> name_key("Samlex America Inc"), name_key("Hangzhou Hikvision Digital Technology Co.,Ltd.")
('samlex', 'hikvision')
>>> clean_name("Advantech B+B SmartWorx s.r.o. (formerly 'Conel s.r.o.')")
'Advantech B+B SmartWorx'
>>> name_key("HUBER+SUHNER BKtel GmbH (HFC)")
'hubersuhnerbktel'
>>> name_key("深圳凌特华盛科技有限公司(Shenzhen Smartbyte Co., Ltd.)")
'smartbyte'
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "CITY_WORDS",
    "COUNTRY_WORDS",
    "GENERIC_WORDS",
    "LEGAL_FORMS",
    "clean_name",
    "name_key",
]


def _words(*text: str) -> frozenset[str]:
    return frozenset(" ".join(text).split())


#: legal forms, as token sequences after punctuation is removed ("S.A." -> ("s", "a"))
LEGAL_FORMS: frozenset[tuple[str, ...]] = frozenset(
    {
        (w,)
        for w in _words(
            "co corp corporation inc incorporated ltd ltda limited llc llp lp plc gmbh mbh ag kg",
            "sa sas sarl srl spa bv nv oy oyj ab as asa aps pty pte pvt private company kk bhd",
            "sdn se sro spol ev ohg ug kft zrt ooo zao oao pjsc jsc cv sl slu sau ad doo",
            "uab sia ou cjsc eood ood",
        )
    }
    | {tuple(w) for w in _words("sa sas sarl srl spa sro bv nv as ag kk sl ev sau ab llc plc")}
    | {("co", "ltd"), ("pty", "ltd"), ("pvt", "ltd"), ("sdn", "bhd"), ("s", "r", "o")}
    | {("d", "o", "o"), ("sp", "z", "o", "o"), ("s", "a", "de", "c", "v"), ("e", "k")}
)
#: words that name what a company does, dropped at the end of a name only
GENERIC_WORDS = _words(
    "technologies technology tech networks network networking systems system",
    "communications communication electronics electronic corporation group international",
    "intl holdings holding industries solutions labs software wireless computer computers",
    "telecom telecommunication telecommunications digital electric manufacturing products",
    "controls",
)
#: countries ending a subsidiary's name ("Samlex America"), dropped at the end only
COUNTRY_WORDS = _words(
    "america americas usa europe deutschland germany sweden uk china japan asia france",
    "italia italy india canada australia nederland netherlands korea taiwan czech poland",
    "polska spain espana austria switzerland schweiz norway norge denmark danmark finland",
    "belgium brazil brasil mexico singapore malaysia russia israel ireland portugal",
)
#: cities and provinces leading Chinese registrant names ("Shenzhen X Technology Co., Ltd."),
#: dropped at the start only
CITY_WORDS = _words(
    "shenzhen hangzhou zhejiang beijing shanghai wuhan guangdong guangzhou suzhou nanjing",
    "jiangsu fujian xiamen chengdu tianjin dongguan zhuhai",
)
_LONGEST_FORM = max(len(f) for f in LEGAL_FORMS)
_NOTE = re.compile(
    r"\(\s*(?:formerly|previously|previous|was|abbr|aka|dba|also|now|http|www)\b[^()]*\)?",
    re.IGNORECASE,
)
_URL = re.compile(r"(?:https?://|www\.)\S*", re.IGNORECASE)
_TOKEN = re.compile(r"[^\W_]+")
_TRAILING = re.compile(r"\(([^()]*)\)\s*$")
_LATIN = re.compile(r"[A-Za-z]")
_CLEAN_TAIL = re.compile(r"[\s,.;:/&+-]+$")


def _fold(text: str) -> str:
    """Case- and accent-folded text (stable: folding it again changes nothing)."""
    for _ in range(2):
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return text


def _strip_notes(text: str) -> str:
    """Without notes on former names, URLs, a " - division" tail ("Ericsson AB - 4G5G") and
    a trailing bracket ("BKtel GmbH (HFC)"); a name in another script followed by its Latin
    form in brackets keeps the Latin form."""
    text = _URL.sub(" ", _NOTE.sub(" ", text))
    head = text.split(" - ", 1)[0]
    text = head if _TOKEN.search(head) else text
    m = _TRAILING.search(text)
    if m is not None:
        before = text[: m.start()]
        if _LATIN.search(before):
            return before
        if _LATIN.search(m.group(1)):
            return m.group(1)
    return text


def _tail_form(tokens: list[str]) -> int:
    """Length of the legal form ending ``tokens`` (0 when none), leaving one token at least."""
    for n in range(min(_LONGEST_FORM, len(tokens) - 1), 0, -1):
        if tuple(tokens[-n:]) in LEGAL_FORMS:
            return n
    return 0


def _core_tokens(tokens: list[str], *, generic: bool) -> int:
    """How many leading tokens remain once legal forms (and generic words) are cut off the end."""
    end = len(tokens)
    while end > 1:
        n = _tail_form(tokens[:end])
        if n:
            end -= n
        elif generic and (tokens[end - 1] in GENERIC_WORDS or tokens[end - 1] in COUNTRY_WORDS):
            end -= 1
        else:
            break
    return end


def name_key(text: str) -> str:
    """The matching key of an organisation or vendor name ('' when it has no letters/digits).

    >>> name_key("Rittal-Werk Rudolf Loh GmbH & Co.KG")
    'rittalwerkrudolfloh'
    >>> name_key("Networks Inc."), name_key("Co., Ltd.")
    ('networks', '')
    """
    tokens = _TOKEN.findall(_fold(_strip_notes(text)))
    while len(tokens) > 1 and (tokens[0] == "the" or tokens[0] in CITY_WORDS):
        tokens = tokens[1:]
    key = "".join(tokens[: _core_tokens(tokens, generic=True)])
    return "" if (key,) in LEGAL_FORMS else key  # only a legal form ("S.A."): no name


def clean_name(text: str) -> str:
    """A registrant name for display: notes on former names, URLs and legal forms removed.

    >>> clean_name("Ubiquiti Networks, Inc."), clean_name("H3C")
    ('Ubiquiti Networks', 'H3C')
    """
    base = re.sub(r"\s+", " ", _strip_notes(text)).strip()
    spans = [(m.start(), m.end()) for m in _TOKEN.finditer(base)]
    tokens = [_fold(base[a:b]) for a, b in spans]
    keep = _core_tokens(tokens, generic=False)
    if not spans:
        return base
    out = base[: spans[keep - 1][1]] if keep < len(spans) else base
    return _CLEAN_TAIL.sub("", out).strip() or base
