"""Which figure a set of rows gets: the rules for figure types, in one place.

:func:`choose` applies the rules below to the rows of one figure and returns a :class:`FigurePlan`
(a kind of :data:`analyse.contract.FIGURE_KINDS` and whether a trend line and its band are drawn).
The drawing functions in :mod:`analyse.plots` obey the same constants (they import them from here),
so a figure drawn without asking :func:`choose` still follows the trend, break and axis rules.

A *series* is one group or region (the ``per`` column) of one indicator; a series may consist of
several *reeksen* (statistics with their own definition, data contract v2). Rows without a
``reeks`` belong to the reeks of their ``bron``, as the data contract says.

Rules, each with its reason:

1. **Fewer than three measurements: a key-figure tile, not a line** (:data:`MIN_LINE_POINTS`).
   Two points joined by a line suggest a straight path between them that nobody measured; over
   nine years that is a claim about nine years of data that do not exist. A tile shows the newest
   value with its year and source, the earlier measurement as text, and the benchmark.
   Several groups or regions in one year, each with fewer than three measurements, are a bar
   chart (a comparison, not a development); a single bar is never drawn, it is a tile.
2. **A trend line only from five measurements in one reeks** (:data:`MIN_TREND_POINTS`), and only
   over the years of the reeks it was fitted on. :mod:`analyse.trends` estimates a trend from three
   years but calls three or four years *indicative*: with three points a 95% band has one residual
   degree of freedom and spans most of the axis (the Halt figure of the review, 2014-2016), so
   the band says "we do not know" while the dashed line suggests we do. From five points (three
   residual degrees of freedom) the t-quantile drops from 12,7 to 3,2 and the band starts to
   carry information. The indicative estimates stay in the trend table with their warning.
   A trend is never extended beyond its reeks: a definition break ends what it describes.
3. **Bands for at most three trends** (:data:`MAX_TREND_BANDS`): more shaded bands cover each
   other and the data; the lines stay and the intervals are in the trend table. **No band through a
   count** (:data:`analyse.trends.REGISTRATION_UNITS`): a count of inhabitants or registered cases is a
   registration, not a sample; a shaded 95% band would be read as a sampling margin it does not have.
   The trend line stays, and its interval (about the year-to-year variation around the line) is in
   the trend table, which says so.
4. **Maassluis next to a benchmark** where one exists (:func:`benchmark_rows`): the comparison
   regions (Nederland first) for the same group, or for a group its reference group in the same
   region (``nederlands`` for the classification by migratieachtergrond, ``herkomst_nederland``
   for the classification by herkomstland, ``totaal`` otherwise). A number without a reference
   ("niet-westerse migratieachtergrond: 18 verdachten per 1.000") invites a comparison the reader
   cannot make; the tile then says that there is no comparison figure.
5. **Complementary categories as one 100% bar** (:func:`is_complementary`): man/vrouw, or a group
   and its complement that add up to 100%. Two bars for 75% and 25% repeat one fact; one bar
   shows the whole and the split. A single category of a known pair ("Man 75%") gets its
   complement as the rest of the bar.
6. **Rankings as a table with the values**, never as a chart (:func:`ranking_table`): a rank
   has no size, so bars or circles of equal size for "1" and "1" say nothing; a table states the
   rank, shared ranks ("1 (gedeeld)") and any value the source gave.
7. **Estimates marked** (:data:`ESTIMATE_STATUSES`): a row with status ``schatting`` ("ongeveer
   250", a Taalhuis expectation) or ``voorlopig`` is drawn with an open or half-filled marker and
   a legend entry, and a tile says it in words. A reader must not take an expectation for a count.
8. **Axes that show the differences the text talks about, without inventing them** (:func:`y_range`).
   Bars always start at 0: a bar's length is its value. A line's axis starts at 0 for a unit with a true
   zero (:data:`ZERO_BASED_UNITS`) when the lowest value is at most two thirds of the highest
   (:data:`ZERO_SHARE`): the data then fill at least a third of the height. Otherwise a 0-70% axis hides
   rates of 60-67% behind each other, so the axis spans the data, with a break mark on the axis, and
   never less than a minimum span, so a small difference does not fill the height: a fifth of the
   largest value for a unit with a true zero (:data:`MIN_SPAN_FRACTION_ZERO_BASED`: 30.000 to 37.000
   inhabitants, not 31.390 to 35.832) and at least 10 points for a percentage; when that span reaches
   0, the axis starts at 0 after all (1,70% against 1,80%). Units without a true zero are scaled to
   the data the same way, with a tenth of the value as the minimum span (:data:`MIN_SPAN_FRACTION`).
   Rapportcijfer: at least 2 points on the 1-10 scale (a 6,8 against a 7,0 then takes a tenth of
   the height; the difference between a "voldoende" and a "ruim voldoende" is a whole point), and
   never beyond 1-10. Score: at least 2 points (a CITO score of 535 gets about 54 points, its whole
   scale of 501-550; a score on a 0-10 scale such as sociale cohesie behaves like a report mark).
   Index: 10 points around an index of 100.
9. **Small multiples when more than four series share a measure** (:data:`MAX_LINES`): with five
   or more lines the colours, markers and crossings can no longer be told apart reliably (even in
   a colour-blind-safe palette); one panel per group on a shared axis, with the benchmark repeated
   in grey in every panel, keeps each development readable.
10. **Rank units** (``rang``) are always a ranking table (rule 6), whatever else holds.
11. **Groups in the order they have, nested as they are** (:func:`arrange`). Age groups from young to
    old and education levels from basic to university; other groups in the order of the catalogue
    (``groepen.csv``). A group within another (18-20 within 18-27 within the total; westers within
    migratieachtergrond, ``som_van``) is drawn under it as "waarvan ...", and when it is a part of it
    (counts, or shares that add up) the whole is drawn lightly behind it: three bars side by side
    would read as three separate categories. The average of a breakdown (``totaal`` of a share or
    rate) and the national figure next to municipalities are a reference line, never one more bar.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from .contract import FIGURE_KINDS
from .trends import is_registration
from .text.notation import format_number, format_value, published_decimals

MIN_LINE_POINTS = 3
"""A series needs at least this many measurements (in one reeks) to be drawn as a line."""
MIN_TREND_POINTS = 5
"""A fitted trend line (and band) is drawn only for a reeks with at least this many measurements."""
MAX_TREND_BANDS = 3
"""At most this many trend bands in one panel; with more trends only the lines are drawn."""
MAX_LINES = 4
"""More series than this in one line chart: small multiples instead."""
MIN_SPAN_FRACTION = 0.1
"""A line axis of a unit without a true zero spans at least this fraction of its largest value."""
MIN_SPAN_FRACTION_ZERO_BASED = 0.2
"""A line axis of a unit with a true zero that does not start at 0 spans at least this fraction of its largest
value."""
ZERO_SHARE = 2 / 3
"""A line axis of a unit with a true zero starts at 0 when the lowest value is at most this share of the highest (the
data then fill at least a third of the height; rates of 4 against 6 keep their ratio in sight)."""
MIN_SPAN = {"rapportcijfer": 2.0, "score": 2.0, "procent": 10.0}
"""Minimum axis span in the unit itself (on top of the fractions above)."""
SCALE_LIMITS = {"rapportcijfer": (1.0, 10.0)}
"""Units on a closed scale: the axis never goes beyond it."""
ZERO_BASED_UNITS = frozenset({"aantal", "procent", "per_100", "per_1000", "per_10000", "euro", "jaren"})
"""Units with a true zero: their axes start at 0."""
ESTIMATE_STATUSES = ("schatting", "voorlopig")
"""Row statuses that are not a final measurement (data contract v2, column ``status``)."""
STATUS_LABELS = {"schatting": "Schatting", "voorlopig": "Voorlopig"}
"""Legend label per status."""
ROUNDING_TOLERANCE = 0.5
"""Per category: published shares rounded to whole percents may miss 100% by this much each."""

PARTITIONS: tuple[tuple[str, ...], ...] = (
    ("man", "vrouw"),
    ("nederlands", "migratieachtergrond"),
    ("nederlands", "westers", "niet_westers"),
    ("herkomst_nederland", "herkomst_europa", "herkomst_buiten_europa"),
)
"""Groups that together make up a whole population (complementary categories)."""
REFERENCE_GROUPS: tuple[tuple[str, str], ...] = (("herkomst_", "herkomst_nederland"),)
"""(code prefix, reference group) for group classifications; others use ``nederlands`` (origin)
or ``totaal``."""
_ORIGIN_GROUPS = frozenset({"migratieachtergrond", "westers", "niet_westers", "eerste_generatie",
                            "tweede_generatie", "tweede_generatie_twee_ouders", "turks", "marokkaans",
                            "surinaams", "antilliaans", "overig_niet_westers", "pools", "nieuwe_eu",
                            "statushouders"})


@dataclass(frozen=True)
class FigurePlan:
    """What :func:`choose` decided for the rows of one figure."""

    kind: str
    """One of :data:`analyse.contract.FIGURE_KINDS`."""
    trend: bool
    """Draw fitted trend lines (only for reeksen with :data:`MIN_TREND_POINTS` measurements)."""
    band: bool
    """Shade the 95% bands of those trends."""
    benchmark: bool
    """A benchmark (comparison region or reference group) is shown."""
    estimates: tuple[str, ...]
    """Statuses other than final in the rows (``schatting``, ``voorlopig``): they are marked."""
    breaks: bool
    """A series changes reeks (a definition break): drawn as two parts with a break mark."""
    reason: str
    """One Dutch sentence: why this kind (for the notebook and the log)."""
    year: int | None = None
    """For the one-year kinds (``tegel``, ``staaf``, ``gestapeld``): the year to draw; else None."""
    n_trends: int = 0
    """How many series get a trend line (for the reading guidance)."""

    def __post_init__(self):
        if self.kind not in FIGURE_KINDS:
            raise ValueError(f"onbekende soort figuur: {self.kind!r}")


# --------------------------------------------------------------------------- series and reeksen

def reeks_column(rows: pd.DataFrame) -> pd.Series:
    """The reeks of every row: ``reeks``, else its ``bron`` (data contract v2), else one reeks."""
    if "reeks" in rows.columns:
        reeks = rows["reeks"].astype("object").where(rows["reeks"].notna() & (rows["reeks"].astype(str) != ""))
    else:
        reeks = pd.Series(None, index=rows.index, dtype="object")
    if "bron" in rows.columns:
        reeks = reeks.fillna(rows["bron"])
    return reeks.fillna("").astype(str)


def status_column(rows: pd.DataFrame) -> pd.Series:
    """The status of every row: ``schatting``, ``voorlopig`` or ``""`` (final)."""
    if "status" not in rows.columns:
        return pd.Series("", index=rows.index, dtype="object")
    status = rows["status"].astype("object").fillna("").astype(str).str.strip().str.lower()
    unknown = set(status) - {"", *ESTIMATE_STATUSES}
    if unknown:
        raise ValueError(f"Onbekende status {', '.join(sorted(unknown))}; bekend zijn: "
                         f"{', '.join(ESTIMATE_STATUSES)} of leeg.")
    return status


def _measured(rows: pd.DataFrame, y: str) -> pd.DataFrame:
    return rows[pd.to_numeric(rows[y], errors="coerce").notna()]


def points_per_series(rows: pd.DataFrame, *, per: str | None, x: str = "jaar", y: str = "waarde") -> dict:
    """Per series key: the largest number of measured years within one of its reeksen."""
    measured = _measured(rows, y)
    measured = measured.assign(_reeks=reeks_column(measured))
    keys = [per, "_reeks"] if per else ["_reeks"]
    if measured.empty:
        return {}
    counts = measured.groupby(keys, sort=False)[x].nunique()
    if per is None:
        return {None: int(counts.max())}
    return {key: int(n) for key, n in counts.groupby(level=0, sort=False).max().items()}


def has_break(rows: pd.DataFrame, *, per: str | None) -> bool:
    """Whether a series holds measurements of more than one reeks (a definition break)."""
    measured = rows.assign(_reeks=reeks_column(rows))
    if per is None:
        return measured["_reeks"].nunique() > 1
    return bool((measured.groupby(per, sort=False)["_reeks"].nunique() > 1).any())


def draws_line(n_points: int) -> bool:
    """Rule 1: a reeks with ``n_points`` measurements is drawn as a line (otherwise: a tile)."""
    return n_points >= MIN_LINE_POINTS


def draws_trend(n_points: int) -> bool:
    """Rule 2: a fitted trend is drawn for a reeks with ``n_points`` measurements."""
    return n_points >= MIN_TREND_POINTS


def draws_bands(n_trends: int, unit: str | None = None) -> bool:
    """Rule 3: the bands of ``n_trends`` trend lines in one panel of ``unit`` are shaded."""
    return n_trends <= MAX_TREND_BANDS and not is_registration(unit)


# --------------------------------------------------------------------------- the decision

def choose(rows: pd.DataFrame, *, unit: str, per: str | None, has_benchmark: bool = False,
           complementary: bool | None = None, x: str = "jaar", y: str = "waarde") -> FigurePlan:
    """The figure for ``rows`` (one indicator; every row that would be drawn), by the module's rules.

    - ``unit``: the unit of the indicator (``procent``, ``rang``, ...).
    - ``per``: the column that tells the series apart (``"groep"``, ``"regio"``; ``None``: one series).
    - ``has_benchmark``: a benchmark exists (see :func:`benchmark_rows`), whether or not it is in ``rows``.
    - ``complementary``: the categories add up to a whole; ``None`` (default): decided by
      :func:`is_complementary` on the rows of the year the plan draws.

    Series with fewer than :data:`MIN_LINE_POINTS` measurements in every reeks: a tile for the newest
    value, or, when some year has two or more categories, the newest such year as a 100% bar
    (complementary shares) or a bar chart; ``FigurePlan.year`` says which year. Otherwise a line
    chart, or small multiples for more than :data:`MAX_LINES` series; trends for the reeksen with
    :data:`MIN_TREND_POINTS` measurements, bands for at most :data:`MAX_TREND_BANDS` per panel.

    Pure: looks only at its arguments. Raises ``ValueError`` for rows without a single measurement.
    """
    measured = _measured(rows, y)
    if rows.empty or measured.empty:
        raise ValueError("Geen metingen om een figuur van te maken.")
    estimates = tuple(s for s in ESTIMATE_STATUSES if s in set(status_column(rows)))
    breaks = has_break(measured, per=per)

    def plan(kind, reason, trend=False, band=False, year=None, n_trends=0):
        return FigurePlan(kind, trend, band, has_benchmark, estimates, breaks, reason,
                          None if year is None else int(year), n_trends)

    if unit == "rang":
        return plan("rangorde", "Een rangorde heeft geen grootte: een tabel met de rangen en waarden.")
    points = points_per_series(rows, per=per, x=x, y=y)
    long = [key for key, n in points.items() if draws_line(n)]
    if not long:
        per_year = measured.groupby(x)[per].nunique() if per else measured.groupby(x).size().clip(upper=1)
        several = per_year[per_year >= 2]
        year = several.index.max() if len(several) else measured[x].max()
        in_year = measured[measured[x] == year]
        if complementary is None:
            complementary = is_complementary(in_year, per=per, unit=unit, y=y)
        if complementary and unit == "procent":
            return plan("gestapeld", f"Delen van één geheel in {int(year)}: één balk van 100%.", year=year)
        if several.empty:
            return plan("tegel", f"Minder dan {MIN_LINE_POINTS} metingen: een kerncijfer met jaar, bron en "
                                 "vergelijking in plaats van een lijn.", year=year)
        return plan("staaf", f"Minder dan {MIN_LINE_POINTS} metingen per reeks: een vergelijking in "
                             f"{int(year)}, geen ontwikkeling.", year=year)
    n_trends = sum(draws_trend(points[key]) for key in long)
    many = len(points) > MAX_LINES
    kind = "kleine_veelvouden" if many else "lijn"
    band = n_trends > 0 and draws_bands(1 if many else n_trends, unit)
    if many:
        reason = f"Meer dan {MAX_LINES} reeksen: één paneel per {per or 'reeks'} op dezelfde as."
    else:
        reason = f"Ten minste {MIN_LINE_POINTS} metingen: een lijn per {per or 'reeks'}."
    if n_trends:
        reason += f" Trend alleen bij ten minste {MIN_TREND_POINTS} metingen in één reeks."
    return plan(kind, reason, trend=n_trends > 0, band=band, n_trends=n_trends)


# --------------------------------------------------------------------------- benchmarks

def reference_group(groep: str) -> str:
    """The group a group is compared with: its classification's reference group, else ``totaal``."""
    for prefix, reference in REFERENCE_GROUPS:
        if groep.startswith(prefix):
            return reference
    if groep in _ORIGIN_GROUPS:
        return "nederlands"
    return "totaal"


def benchmark_rows(rows: pd.DataFrame, *, per: str, region: str, group: str,
                   comparison_regions: Iterable[str] = ()) -> pd.DataFrame:
    """The rows to show next to ``region`` / ``group`` (rule 4), from all rows of one indicator.

    - ``per="regio"``: the comparison regions (in the order given) for the same group.
    - ``per="groep"``: the reference group of ``group`` in the same region (:func:`reference_group`);
      when the region has none, the same group in the comparison regions.
    An empty frame means there is no benchmark. The own rows are never returned.
    """
    regions = [r for r in comparison_regions if r != region]
    same_group = rows[(rows["groep"] == group) & rows["regio"].isin(regions)]
    same_group = same_group.assign(_order=same_group["regio"].map({r: i for i, r in enumerate(regions)}))
    same_group = same_group.sort_values(["_order", "jaar"], kind="stable").drop(columns="_order")
    if per == "regio":
        return same_group
    if per != "groep":
        raise ValueError(f"per moet 'groep' of 'regio' zijn, niet {per!r}.")
    reference = reference_group(group)
    if reference != group:
        own = rows[(rows["regio"] == region) & (rows["groep"] == reference)]
        if not own.empty:
            return own.sort_values("jaar", kind="stable")
    return same_group


# --------------------------------------------------------------------------- complementary categories

def _partition_of(categories: set[str]) -> tuple[str, ...] | None:
    for partition in PARTITIONS:
        if categories <= set(partition) and len(set(partition) - categories) <= 1:
            return partition
    return None


def complement_of(categories: Iterable[str]) -> str | None:
    """The missing member of a partition (``{"man"}`` -> ``"vrouw"``); None when none or unknown."""
    categories = set(categories)
    partition = _partition_of(categories)
    if partition is None:
        return None
    missing = set(partition) - categories
    return missing.pop() if missing else None


def is_complementary(rows: pd.DataFrame, *, per: str | None = "groep", unit: str, y: str = "waarde") -> bool:
    """Rule 5: the categories of ``rows`` (one year, one region) are shares of one whole.

    True for ``procent`` rows whose categories form a known partition (:data:`PARTITIONS`) and add
    up to 100% (within the rounding of the published shares), or are one short of it and add up to
    at most 100% (the missing member is the rest of the bar).
    """
    if unit != "procent" or rows.empty or per is None:
        return False
    others = [c for c in ("jaar", "regio", "groep") if c in rows.columns and c != per]
    if any(rows[c].nunique() > 1 for c in others) or rows[per].duplicated().any():
        return False
    categories = set(rows[per])
    partition = _partition_of(categories)
    if partition is None:
        return False
    total = float(pd.to_numeric(rows[y]).sum())
    tolerance = ROUNDING_TOLERANCE * len(partition)
    if categories == set(partition):
        return abs(total - 100) <= tolerance
    return total <= 100 + tolerance


# --------------------------------------------------------------------------- groups: order and nesting

TOTAL = "totaal"
EDUCATION_ORDER = ("opleiding_basisniveau", "opleiding_vmbo", "opleiding_mbo", "opleiding_hbo", "opleiding_wo")
"""Education levels from basic to university: an ordered category."""
_AGE = re.compile(r"leeftijd_(?:(\d+)_(\d+|plus)|tot_(\d+))")


def age_bounds(groep: str) -> tuple[float, float] | None:
    """First and last year of age of an age group: ``leeftijd_15_24`` (15, 24), ``leeftijd_65_plus`` (65, inf),
    ``leeftijd_tot_29`` (0, 29); None for any other code (``leeftijd_tot_aow`` has no fixed age)."""
    match = _AGE.fullmatch(str(groep))
    if match is None:
        return None
    first, last, below = match.groups()
    if below is not None:
        return 0.0, float(below)
    return float(first), math.inf if last == "plus" else float(last)


def rank_of(groep: str) -> tuple[float, float] | None:
    """Where an ordered category stands (age by first then last year; education by level); None otherwise."""
    if groep in EDUCATION_ORDER:
        return float(EDUCATION_ORDER.index(groep)), 0.0
    return age_bounds(groep)


def is_ordered(keys: Iterable) -> bool:
    """Two or more keys, all of one ordered kind (all age groups, or all education levels)."""
    keys = list(keys)
    ages = [age_bounds(k) is not None for k in keys]
    return len(keys) > 1 and (all(ages) or all(k in EDUCATION_ORDER for k in keys))


def order_groups(keys: Iterable, catalogue_order: Sequence[str] = ()) -> list:
    """Groups in the order a reader expects: ``totaal`` first; then other groups in the order of the catalogue;
    then ordered categories (:func:`rank_of`) from young to old, from basic to university; unknown ones last,
    as given."""
    keys = list(dict.fromkeys(keys))
    position = {code: i for i, code in enumerate(catalogue_order)}

    def key(item):
        index, code = item
        rank = rank_of(code)
        if code == TOTAL:
            return (0, 0.0, 0.0, index)
        if rank is not None:
            return (2, *rank, index)
        if code in position:
            return (1, float(position[code]), 0.0, index)
        return (3, 0.0, 0.0, index)

    return [code for _, code in sorted(enumerate(keys), key=key)]


def enclosing(keys: Iterable, sums: Mapping[str, Sequence[str]] | None = None) -> dict:
    """Each key's nearest enclosing key among ``keys`` (not ``totaal``: see :func:`arrange`): an age group within
    the narrowest wider one (18-20 within 18-27), a group within the group it is part of (``som_van``:
    westers within migratieachtergrond)."""
    keys = list(dict.fromkeys(keys))
    parents = {}
    for parent, parts in (sums or {}).items():
        if parent in keys:
            parents.update({part: parent for part in parts if part in keys})
    for child in keys:
        inner = age_bounds(child)
        if inner is None or child in parents:
            continue
        wider = [(b[1] - b[0], k) for k in keys if k != child and (b := age_bounds(k)) is not None
                 and b[0] <= inner[0] and inner[1] <= b[1] and b != inner]
        if wider:
            parents[child] = min(wider)[1]
    return parents


@dataclass(frozen=True)
class Arrangement:
    """How the categories of one bar chart are laid out (rule 11)."""

    order: tuple
    """Categories drawn as bars, from top to bottom; a nested category right under the one it lies within."""
    parents: Mapping
    """Category -> the category it lies within (drawn under it as "waarvan ...")."""
    parts: bool
    """A nested category is a part of its parent (counts, or shares that add up): the parent is drawn behind it."""
    references: tuple
    """Categories drawn as a reference line, not as a bar (the average of a breakdown, the national figure)."""


def arrange(keys: Iterable, *, per: str, unit: str, values: Mapping | None = None,
            sums: Mapping[str, Sequence[str]] | None = None, catalogue_order: Sequence[str] = (),
            national: Iterable[str] = ()) -> Arrangement:
    """Rule 11 for the categories of one figure (``per`` ``groep`` or ``regio``), in the order given for regions.

    - Regions: the national figure (``national``) is a reference line when other regions are drawn.
    - Groups: in :func:`order_groups`; nested as :func:`enclosing` finds them. ``totaal`` of a count is the
      whole the other groups lie within; ``totaal`` of a share or rate is a reference line. Nested groups are
      parts of their parent for counts, and for shares when every ``som_van`` group equals the sum of its
      parts shown (``values``) within rounding.
    """
    keys = list(dict.fromkeys(keys))
    if per != "groep":
        references = tuple(k for k in keys if k in set(national)) if len(keys) > 1 else ()
        if len(references) == len(keys):
            references = ()
        return Arrangement(tuple(k for k in keys if k not in references), {}, False, references)
    ordered = order_groups(keys, catalogue_order)
    count = unit == "aantal"
    references = (TOTAL,) if TOTAL in keys and len(keys) > 1 and not count else ()
    shown = [k for k in ordered if k not in references]
    parents = enclosing([k for k in shown if k != TOTAL], sums)
    if count and TOTAL in shown:
        parents.update({k: TOTAL for k in shown if k != TOTAL and k not in parents})
    parts = count or _adds_up(parents, sums or {}, values or {}, unit)
    return Arrangement(tuple(_nested_order(shown, parents)), parents, parts and bool(parents), references)


def _adds_up(parents: Mapping, sums: Mapping, values: Mapping, unit: str) -> bool:
    """Every nesting is a ``som_van`` whose shown parts add up to the parent (shares, within rounding)."""
    if unit != "procent" or not parents:
        return False
    for parent in set(parents.values()):
        children = [k for k, p in parents.items() if p == parent]
        if set(children) - set(sums.get(parent, ())) or any(_missing(values.get(k)) for k in [parent, *children]):
            return False
        total = sum(float(values[k]) for k in children)
        if abs(total - float(values[parent])) > ROUNDING_TOLERANCE * (len(children) + 1):
            return False
    return True


def _nested_order(keys: list, parents: Mapping) -> list:
    """``keys`` with every nested key moved right under its parent (children in their own order)."""
    result: list = []

    def place(key):
        result.append(key)
        for child in keys:
            if parents.get(child) == key:
                place(child)

    for key in keys:
        if key not in parents or parents[key] not in keys:
            place(key)
    return result


# --------------------------------------------------------------------------- rankings

def ranking_table(rows: pd.DataFrame, *, category: str, rank: str = "waarde",
                  labels: Mapping[str, str] | None = None, header: str | None = None,
                  values: Mapping[str, float] | None = None, unit: str | None = None) -> pd.DataFrame:
    """Rule 6: a ranking as a table for display: ``Rang``, the category and, when given, ``Waarde``.

    Sorted by rank, then by label. A rank shared by several categories reads "1 (gedeeld)".
    ``values`` maps categories to the value behind the rank (in ``unit``); categories without a
    value show "–". ``header`` names the category column (default: "Groep" or "Regio").
    """
    ranks = pd.to_numeric(rows[rank], errors="coerce")
    if ranks.isna().any() or (ranks < 1).any() or (ranks != ranks.round()).any():
        raise ValueError("Een rang moet een geheel getal van 1 of hoger zijn.")
    labels = labels or {}
    table = pd.DataFrame({"_rank": ranks.astype(int).to_numpy(),
                          "_key": rows[category].to_numpy(),
                          "_label": [labels.get(k, str(k)) for k in rows[category]]})
    table = table.sort_values(["_rank", "_label"], kind="stable").reset_index(drop=True)
    shared = table["_rank"].duplicated(keep=False)
    result = pd.DataFrame({
        "Rang": [f"{format_number(r)} (gedeeld)" if s else format_number(r) for r, s in zip(table["_rank"], shared)],
        header or {"groep": "Groep", "regio": "Regio"}.get(category, category.capitalize()): table["_label"],
    })
    if values is not None:
        result["Waarde"] = [format_value(values[k], unit or "aantal", published_decimals(values[k]))
                            if k in values and not _missing(values[k]) else "–" for k in table["_key"]]
    return result


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


# --------------------------------------------------------------------------- axes

def y_range(unit: str, low: float, high: float, *, bars: bool = False) -> tuple[float, float]:
    """Rule 8: the value range an axis must at least show for data from ``low`` to ``high``.

    Bars (``bars``), and lines of a unit with a true zero whose lowest value is at most :data:`ZERO_SHARE` of
    the highest, include 0. Otherwise the range is widened symmetrically to its minimum span
    (:data:`MIN_SPAN_FRACTION_ZERO_BASED` or :data:`MIN_SPAN_FRACTION` of the largest value, and
    :data:`MIN_SPAN` in the unit); a unit with a true zero whose minimum span reaches 0 starts at 0 after
    all; a closed scale (:data:`SCALE_LIMITS`) is never left. The caller adds its own margins.
    """
    zero_based = unit in ZERO_BASED_UNITS
    if zero_based and (bars or low <= 0 or low <= ZERO_SHARE * high):
        return min(0.0, low), max(0.0, high)
    fraction = MIN_SPAN_FRACTION_ZERO_BASED if zero_based else MIN_SPAN_FRACTION
    least = max(fraction * max(abs(low), abs(high)), MIN_SPAN.get(unit, 0.0))
    if high - low < least:
        pad = (least - (high - low)) / 2
        if zero_based and low - pad <= 0:
            return 0.0, high
        low, high = low - pad, high + pad
    if unit in SCALE_LIMITS:
        floor, ceiling = SCALE_LIMITS[unit]
        if high > ceiling:
            low, high = low - (high - ceiling), ceiling
        if low < floor:
            low, high = floor, min(ceiling, high + (floor - low))
    return low, high


def starts_at_zero(unit: str, values) -> bool:
    """Whether a line axis for ``values`` (everything the chart draws) starts at 0 (rule 8)."""
    finite = [float(v) for v in values if v is not None and math.isfinite(float(v))]
    return not finite or y_range(unit, min(finite), max(finite))[0] <= 0


def scale_limits(unit: str) -> tuple[float, float] | None:
    """The closed scale of a unit (rapportcijfer: 1-10), or None."""
    return SCALE_LIMITS.get(unit)
