"""Which services a message names: "men's" never becomes "women's", "a haircut" is asked about.

Services that share their last word ("Men's cut", "Women's cut") are a family, told apart by
their other words ("men's", "women's") and the everyday words for them ("gents", "ladies").
A message that names a family only by its common word ("a haircut", "a cut") names none of
them: the customer is asked which ("Men's cut or women's cut?"), even when the catalog lists
the common word as an alias of one member. A message may name several services ("a men's cut
and a beard trim"): they are read in the order said.

Pure: the catalog and the text come in, a `Reading` comes out.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from scheduling.catalog import Catalog, Service, normalise

KINDS = {
    "mens": ("men", "mens", "man", "mans", "gents", "gent", "gentleman", "gentlemen", "gentlemans",
             "gentlemens", "male", "males", "guys", "boys", "boy", "barber"),
    "womens": ("women", "womens", "woman", "womans", "ladies", "lady", "ladys", "female",
               "females", "girls", "girl"),
}
"""Everyday words for the qualifiers a family's names use, by the qualifier's own form."""


@dataclass(frozen=True, slots=True)
class Reading:
    """`services` the services named, in the order said; `ambiguous` the family the message
    names without saying which member (empty when it says which, or names no family): it is
    asked about before anything else, the other services named are kept."""

    services: tuple[Service, ...] = ()
    ambiguous: tuple[Service, ...] = ()

    @property
    def first(self) -> Service | None:
        """The one service to book first; None while a family is still to be asked about."""
        return self.services[0] if self.services and not self.ambiguous else None


PLURAL_DRY = re.compile(r"\bdries\b")
""""Blow dries for me and my sister": the plural of a service named with "dry"."""
FILLERS = re.compile(r"\b(uh+|um+|uhm|erm?|ah+|hmm+)\b ?")
"""Sounds a caller makes mid-sentence ("a beard uh trim"), not words of a service's name."""


def canonical(text: str) -> str:
    """`normalise`d, with possessives joined ("men's" -> "mens"), so "mens cut" is never
    found inside "womens cut", and without fillers."""
    joined = re.sub(r"\b(\w+) s\b", r"\1s", normalise(text))
    return FILLERS.sub("", PLURAL_DRY.sub("dry", joined)).strip()


def read(catalog: Catalog, text: str, answering: bool = False) -> Reading:
    """The services `text` names. `answering` the question "which service?": then a
    qualifier alone ("men's", "the ladies one") names its family's member."""
    said = canonical(text)
    found = _named(catalog, said)
    if not found and answering:
        found = _by_qualifier(catalog, said)
    if not found:
        close = _closest(catalog, said)
        found = [(0, close)] if close else []
    services: list[Service] = []
    for _, service in sorted(found, key=lambda pair: pair[0]):
        chosen = _qualified(catalog, service, said)
        if chosen not in services:
            services.append(chosen)
    if not services:
        return Reading(ambiguous=_family_by_word(catalog, said))
    generic = next((s for s in services if _generic(catalog, s, said)), None)
    if generic is not None:  # "a haircut and a beard trim": which cut, the trim kept
        others = tuple(s for s in services if s != generic)
        return Reading(services=others, ambiguous=_family(catalog, generic))
    return Reading(services=tuple(services))


def family_word(family: tuple[Service, ...]) -> str:
    """What the members of a family have in common: "cut"."""
    return _head(family[0]) if family else ""


def without_kinds(catalog: Catalog, text: str) -> str:
    """`text` (`canonical`) without the words that say whose service it is ("a man's
    haircut", "ladies cut"), so they are not read as a wish about the staff."""
    said = canonical(text)
    heads = {_head(s) for s in catalog.services if _family(catalog, s)}
    if not heads:
        return said
    kinds = "|".join(word for words in KINDS.values() for word in words)
    nouns = "|".join(re.escape(head) for head in heads)
    return re.sub(rf"\b({kinds})\s+(?=(hair)?({nouns})s?\b)", "", said)


def which_question(family: tuple[Service, ...]) -> str:
    """"Men's cut or women's cut?" """
    names = [s.name if i == 0 else s.name[:1].lower() + s.name[1:] for i, s in enumerate(family)]
    return ", ".join(names[:-1]) + f" or {names[-1]}?"


def _names(service: Service) -> list[str]:
    return [canonical(name) for name in (service.name, *service.aliases) if canonical(name)]


def _named(catalog: Catalog, said: str) -> list[tuple[int, Service]]:
    """Every name or alias found in the message, longest first so that "mens haircut" is
    not also read as "haircut"; each with where it was said."""
    names = sorted(((name, s) for s in catalog.services for name in _names(s)),
                   key=lambda pair: -len(pair[0]))
    taken: list[range] = []
    found: list[tuple[int, Service]] = []
    for name, service in names:
        for match in re.finditer(rf"\b{re.escape(name)}\b", said):
            span = range(match.start(), match.end())
            if any(set(span) & set(other) for other in taken):
                continue
            taken.append(span)
            found.append((match.start(), service))
    return found


def _closest(catalog: Catalog, said: str) -> Service | None:
    """A close spelling ("hairct"): every word of a name found nearly as written."""
    tokens = said.split()
    scored = [(_closeness(name, tokens), s) for s in catalog.services for name in _names(s)]
    if not scored:
        return None
    best, closest = max(scored, key=lambda pair: pair[0])
    return closest if best >= 0.8 else None


def _closeness(name: str, tokens: list[str]) -> float:
    """How well the message spells every word of `name`: the worst word's best match."""
    parts = [part for part in name.split() if len(part) > 2] or name.split()
    if not parts or not tokens:
        return 0.0
    return min(
        max(difflib.SequenceMatcher(None, part, token).ratio() for token in tokens)
        for part in parts
    )


def _head(service: Service) -> str:
    return canonical(service.name).split()[-1] if canonical(service.name) else ""


def _family(catalog: Catalog, service: Service) -> tuple[Service, ...]:
    """The services sharing `service`'s last word, when there are several."""
    family = tuple(s for s in catalog.services if _head(s) == _head(service))
    return family if len(family) > 1 else ()


def _family_by_word(catalog: Catalog, said: str) -> tuple[Service, ...]:
    """The family whose common word the message uses ("a cut", "a haircut"), if one."""
    heads = {_head(s) for s in catalog.services if _family(catalog, s)}
    used = [head for head in heads
            if any(re.fullmatch(rf"(hair)?{re.escape(head)}s?", token) for token in said.split())]
    if len(used) != 1:
        return ()
    return tuple(s for s in catalog.services if _head(s) == used[0])


def _qualifiers(service: Service) -> set[str]:
    """The words that tell `service` from the rest of its family, with their everyday words."""
    words = set(canonical(service.name).split()) - {_head(service)}
    return words | {alias for word in words for alias in KINDS.get(word, ())}


def _generic(catalog: Catalog, service: Service, said: str) -> bool:
    """Named by a word its whole family shares ("haircut"), without saying which member."""
    family = _family(catalog, service)
    return bool(family) and not _qualifier_in(family, said) and not _named_exactly(service, said)


def _qualifier_in(family: tuple[Service, ...], said: str) -> bool:
    tokens = set(said.split())
    return any(_qualifiers(member) & tokens for member in family)


def _named_exactly(service: Service, said: str) -> bool:
    """Named by its full name, or by an alias that itself says which member it is."""
    words = _qualifiers(service)
    return any(re.search(rf"\b{re.escape(name)}\b", said) and set(name.split()) & words
               for name in _names(service))


def _qualified(catalog: Catalog, service: Service, said: str) -> Service:
    """The family member the message's qualifier points to ("gents haircut" is the men's
    cut although "haircut" is an alias of the women's)."""
    tokens = set(said.split())
    pointed = [member for member in _family(catalog, service) if _qualifiers(member) & tokens]
    if service in pointed or len(pointed) != 1:
        return service
    return pointed[0]


def _by_qualifier(catalog: Catalog, said: str) -> list[tuple[int, Service]]:
    tokens = set(said.split())
    pointed = [s for s in catalog.services if _family(catalog, s) and _qualifiers(s) & tokens]
    return [(0, pointed[0])] if len(pointed) == 1 else []
