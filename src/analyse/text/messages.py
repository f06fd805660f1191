"""Key messages and sentences about a change or a comparison of measured values."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from analyse.indicators import Change, change
from analyse.text.notation import (MISSING, auto_decimals, display_decimals, format_difference, format_measure,
                                   format_number, format_published, format_value, join_words, rounded, to_decimal)
from analyse.text.label_texts import lower_first
from analyse.text.records import is_set
from analyse.text.trend_texts import trend_direction, trend_statement


def _magnitude(x: float, decimals: int | None, formatter) -> str:
    """``formatter(|x|)``, or "minder dan <smallest shown step>" when a non-zero |x| rounds to 0."""
    d = abs(to_decimal(x))
    shown = decimals if decimals is not None else auto_decimals(d)
    if d != 0 and rounded(d, shown) == 0:
        return "minder dan " + formatter(Decimal(1).scaleb(-shown), shown)
    return formatter(d, decimals)


def format_change(ch: Change, decimals: int | None = None) -> str:
    """Describe a change: ``"een stijging van 3,6%"``, ``"een daling van 1,2 procentpunt"``,
    ``"een daling van 3 per 1.000"``, ``"een stijging van 0,3 punt"`` or ``"gelijk gebleven"``.

    A count whose start value is 0 has no relative change; its absolute difference is given.
    A non-zero change that rounds to 0 reads "een stijging van minder dan 0,1%".
    """
    if ch.direction == "gelijk":
        return "gelijk gebleven"
    if ch.kind == "procent" and ch.relative_pct is not None:
        amount = _magnitude(ch.relative_pct, decimals,
                            lambda v, dec: format_value(v, "procent", dec))
    else:
        amount = _magnitude(ch.absolute, decimals,
                            lambda v, dec: format_difference(v, ch.eenheid, dec))
    return f"een {ch.direction} van {amount}"


@dataclass(frozen=True)
class Level:
    """One measured value as a key message states it."""

    year: int
    value: float
    eenheid: str
    derived: bool = False
    status: str = ""
    below: int | None = None  # a small count of persons, published as 'minder dan <below>'
    decimals: int | None = None  # the indicator's fixed decimals (catalogue), else as published

    def shown(self) -> str:
        return format_measure(self.value, self.eenheid, derived=self.derived, status=self.status, below=self.below,
                              decimals=self.decimals)


@dataclass(frozen=True)
class PeerLevels:
    """Where a region stands among the other municipalities of its size, in the comparison year."""

    label: str  # 'gemeenten met 20.000 tot 50.000 inwoners'
    count: int  # peers with the figure
    median: Level
    lower: Level  # 25th percentile
    upper: Level  # 75th percentile
    below: int  # peers with a lower value
    above: int  # peers with a higher value


@dataclass(frozen=True)
class Finding:
    """What the data say about one indicator for one region, for a key message.

    ``subject`` is a lower-case noun phrase naming the indicator (for a rate: including 'per 1.000 ...');
    ``count_word`` turns a count into 'Maassluis heeft 35.832 inwoners'; ``benchmarks`` are (region, level)
    pairs of the comparison year, all of the same year and reeks as ``compared`` (the region's own level in that
    year, when it is not the year of ``level``); ``missing`` the comparison regions without a comparable figure
    that year; ``peers`` the position among the municipalities of the same size that year; ``start`` the first
    value of the same reeks in the window; ``trend`` the record of its trend estimate (None when there is none);
    ``break_year`` the first year after a definition break.
    """

    subject: str
    region: str
    level: Level
    count_word: str | None = None
    benchmarks: tuple = ()
    start: Level | None = None
    trend: dict | None = None
    break_year: int | None = None
    compared: Level | None = None
    missing: tuple[str, ...] = ()
    peers: PeerLevels | None = None


def _decimals(level: Level) -> int | None:
    """The decimals ``level`` is shown with: the indicator's fixed decimals, else as published (one rule:
    :func:`analyse.text.notation.display_decimals`)."""
    return display_decimals(level.value, level.eenheid, level.derived, level.decimals)


def _plain_value(level: Level) -> str:
    """The value without a word unit (the subject names it), keeping % and €."""
    if level.eenheid in ("procent", "euro") or level.below is not None:
        return level.shown()
    shown = format_number(level.value, _decimals(level))
    if level.status == "schatting":
        return f"ongeveer {shown}"
    return f"{shown} (voorlopig)" if level.status == "voorlopig" else shown


def _comparisons(level: Level, benchmarks) -> str:
    """'hoger dan in A (5) en B (6), maar lager dan in C (9)': every benchmark of the year of ``level``."""
    groups: dict[str, list[str]] = {}
    own = rounded(to_decimal(level.value), _decimals(level) or 0)  # as shown: the rule of the notation
    for region, other in benchmarks:
        if other.year != level.year:
            raise ValueError(f"{region}: {other.year} is een ander jaar dan {level.year}; geen vergelijking")
        value = rounded(to_decimal(other.value), _decimals(other) or 0)
        word = "hoger dan" if own > value else "lager dan" if own < value else "even hoog als"
        groups.setdefault(word, []).append(f"{region} ({_plain_value(other)})")
    parts = [f"{word} in {join_words(names)}" for word, names in groups.items()]
    return ", maar ".join(parts) if set(groups) == {"hoger dan", "lager dan"} else join_words(parts)


def _peer_sentence(region: str, peers: PeerLevels) -> str:
    """'Van de 129 andere gemeenten met 20.000 tot 50.000 inwoners ligt de middelste helft tussen 30,1 en 45,6
    (mediaan 38,2); Maassluis ligt hoger dan 100 van hen en lager dan 28.'"""
    n, below, above = peers.count, peers.below, peers.above
    same = n - below - above
    if below == n:
        place = f"{region} ligt hoger dan al deze gemeenten"
    elif above == n:
        place = f"{region} ligt lager dan al deze gemeenten"
    else:
        parts = [f"hoger dan {format_number(below)}" if below else "", f"lager dan {format_number(above)}" if above
                 else "", f"even hoog als {format_number(same)}" if same else ""]
        place = f"{region} ligt {join_words([p for p in parts if p])} van hen"
    return (f"Van de {format_number(n)} andere {peers.label} ligt de middelste helft tussen "
            f"{_plain_value(peers.lower)} en {_plain_value(peers.upper)} (mediaan {_plain_value(peers.median)}); "
            f"{place}.")


def _comparison_sentences(finding: Finding) -> tuple[str, list[str]]:
    """The clause after the level (same year) and the sentences that follow it (another comparison year,
    the regions without a comparable figure, the peers)."""
    level = finding.compared or finding.level
    if finding.count_word and finding.compared is None:
        return "", []
    clause, sentences = "", []
    comparisons = f": {_comparisons(level, finding.benchmarks)}" if finding.benchmarks else ""
    if finding.compared is None:
        clause = comparisons
    elif finding.benchmarks or finding.peers is not None:
        sentences.append(f"In {level.year}, het laatste jaar met vergelijkbare cijfers, was dat "
                         f"{_plain_value(level)}{comparisons}.")
    if finding.missing and (finding.benchmarks or finding.peers is not None or finding.compared is None):
        sentences.append(f"Voor {level.year} is er geen vergelijkbaar cijfer van {join_words(list(finding.missing))}.")
    if finding.peers is not None:
        sentences.append(_peer_sentence(finding.region, finding.peers))
    return clause, sentences


def _statistics_clause(finding: Finding) -> str:
    """What the trend of the same reeks says, after the change between two measurements: the finding of
    :func:`analyse.text.trend_texts.trend_statement` (a direction word only when its interval and the false
    discovery rate allow it); with too few measurements for a trend, that no trend can be told."""
    trend = finding.trend
    if trend is None or is_set(trend.get("reden_code")):
        n = trend.get("n_jaren") if trend else None
        return f"met {n} metingen is niet te zeggen of dit een trend is" if n and n > 1 else ""
    if trend_direction(trend) is None:
        return ""
    return lower_first(trend_statement(trend))


def key_message(finding: Finding) -> str:
    """A few plain Dutch sentences: level and benchmark first, then the difference with the first measurement of
    the same reeks and what its trend says (:func:`_statistics_clause`), then what the comparison could not
    include (regions without a figure of the same year, the peers). Never a sentence about what was not measured
    for the region itself: that belongs in the availability table."""
    level, region = finding.level, finding.region
    if finding.count_word:
        first = f"In {level.year} heeft {region} {level.shown()} {finding.count_word}"
    else:
        first = f"In {level.year} is {finding.subject} in {region} {_plain_value(level)}"
    clause, compared = _comparison_sentences(finding)
    sentences = [first + clause + "."]  # the change ('Dat is ...') right after the level it is about
    start = finding.start
    if start is not None and start.year != level.year and start.below is None and level.below is None:
        moved = change(start.value, level.value, level.eenheid)
        if moved.direction == "gelijk":
            second = f"Dat is evenveel als in {start.year} ({_plain_value(start)})"
        else:
            verb = "meer" if moved.direction == "stijging" else "minder"
            if moved.kind == "procent" and moved.relative_pct is not None:
                amount = format_value(abs(moved.relative_pct), "procent", 1)
            else:
                decimals = max(_decimals(v) or 0 for v in (start, level))
                amount = format_difference(abs(moved.absolute), level.eenheid, decimals)
            second = f"Dat is {amount} {verb} dan in {start.year} ({_plain_value(start)})"
        clause = _statistics_clause(finding)
        if clause:
            second += f"; {clause}"
        if finding.break_year:
            second += (f" (de reeks is in {finding.break_year} van definitie veranderd; eerdere jaren tellen niet "
                       "mee)")
        sentences.append(second + ".")
    return " ".join([*sentences, *compared])


def theme_intro(title: str, producers: list[str], region: str, comparisons: list[str]) -> str:
    """A two-sentence introduction for a theme chapter: what it covers, for whom, and who produced the numbers."""
    beside = f", waar mogelijk naast {join_words(comparisons)}" if comparisons else ""
    who = f" De cijfers komen van {join_words(producers)}." if producers else ""
    return f"Dit hoofdstuk geeft de cijfers over {title.lower()} voor {region}{beside}.{who}"


def describe_change(record: dict, fixed: int | None = None) -> str:
    """The change column of an overview row: 'een stijging van 3,6 procentpunt', '–' with one measurement; in the
    decimals of its two values (``fixed``: the indicator's fixed decimals, as the values are shown)."""
    if record.get("opmerking") in ("een_meting", "rang") or not is_set(record.get("verschil")):
        return MISSING
    moved = change(record["waarde_van"], record["waarde_tot"], record["eenheid"])
    decimals = max(display_decimals(record[f"waarde_{end}"], record["eenheid"], bool(record.get(f"afgeleid_{end}")),
                                    fixed) or 0 for end in ("van", "tot"))
    return format_change(moved, None if moved.kind == "procent" else decimals)


def revision_note(record: dict, label: str) -> str:
    """'Herzien: Inwoners, Maassluis, 2018: 32.518 (bron a) is 32.521 geworden (bron b).'"""
    return (f"Herzien: {label}, {record['regio']}, {record['jaar']}: {format_published(record['waarde'])} "
            f"({record['bron']}) is {format_published(record['nieuwe_waarde'])} geworden ({record['nieuwe_bron']}); "
            "de nieuwste editie telt.")
