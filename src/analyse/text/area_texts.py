"""Wijken and segregation in Dutch: key messages, table notes and the explanations in the notebook."""

from __future__ import annotations

from analyse.segregation import Dissimilarity, Exposure
from analyse.text.notation import format_difference, format_number, format_value

FORMULA = "D = ½ × Σᵢ | aᵢ / A − bᵢ / B |"
"""The index of dissimilarity in plain text (no LaTeX: the notebook pages work offline, without MathJax)."""

LEFT_OUT_REASONS = {
    "missing_count": "aantal ontbreekt of is geheim",
    "total_zero": "geen inwoners",
    "not_a_count": "geen geheel, niet-negatief aantal",
    "group_exceeds_total": "groep groter dan het totaal",
}
"""Why an area was left out of a segregation index (:data:`analyse.segregation.REASONS`), as a reader sees it."""


def classification_note() -> str:
    """Why the two origin classifications stand side by side and are never subtracted."""
    return ("Herkomst staat in twee indelingen van het CBS: tot 2022 naar migratieachtergrond (westers, "
            "niet-westers), vanaf 2022 naar herkomstland (Europa, buiten Europa). Dat zijn verschillende groepen; "
            "tussen de twee wordt geen verandering berekend.")


def sentence_top_area(area: str, group: str, value: float, average: float, region: str, year: int,
                      most: tuple[str, float] | None = None) -> str:
    """The wijk where the group's share of the inhabitants is highest, and (``most``: wijk and its share of the
    whole group, in percent) the wijk where most of the group lives, which can be another wijk:

    'In 2022 is het aandeel inwoners uit de groep niet-westerse migratieachtergrond het hoogst in Sluispolder:
    25,1% van de inwoners van die wijk, tegen 20,2% in heel Maassluis. De meeste inwoners uit die groep wonen in
    Kapelpolder (31,0% van de groep).'"""
    text = (f"In {year} is het aandeel inwoners uit de groep {group} het hoogst in {area}: "
            f"{format_value(value, 'procent', 1)} van de inwoners van die wijk, tegen "
            f"{format_value(average, 'procent', 1)} in heel {region}.")
    if most is not None:
        where, share = most
        shown = format_value(share, "procent", 1)
        text += (f" Daar wonen ook de meeste inwoners uit die groep ({shown} van de groep)." if where == area else
                 f" De meeste inwoners uit die groep wonen in {where} ({shown} van de groep).")
    return text


def sentence_area_difference(area: str, group: str, value: float, average: float, difference: float,
                             year: int) -> str:
    """The wijk that differs most from the municipal average, in procentpunt."""
    word = "hoger" if difference > 0 else "lager"
    return (f"{area} wijkt het meest af van het gemiddelde van de gemeente: in {year} hoort daar "
            f"{format_value(value, 'procent', 1)} van de inwoners tot de groep {group}, "
            f"{format_difference(abs(difference), 'procent', 1)} {word} dan gemiddeld "
            f"({format_value(average, 'procent', 1)}).")


def chance_text(result: Dissimilarity, *, how: bool = True) -> str:
    """How likely the observed D is under random allocation, as a chance ('kleiner dan 1 op de 10.000', '30 op de
    10.000'), with ``how`` also how many simulations reached it ('(geen van 10.000 gesimuleerde willekeurige
    spreidingen komt zo hoog)')."""
    n = format_number(result.simulations, 0)
    k = format_number(result.exceedances, 0)
    if result.exceedances == 0:
        chance, count = f"kleiner dan 1 op de {n}", f"geen van {n} gesimuleerde willekeurige spreidingen komt zo hoog"
    else:
        chance = f"{k} op de {n}"
        count = f"{k} van {n} gesimuleerde willekeurige spreidingen komen even hoog of hoger"
    return f"{chance} ({count})" if how else chance


def sentence_dissimilarity(result: Dissimilarity, group: str, region: str, year: int) -> str:
    """The segregation index as a key message: D, the bias-corrected D beside it, the expected D under random
    allocation (an expected value) and the chance of a D this high by chance alone (a chance)."""
    value = result.value
    return (f"In {year} zou {format_value(100 * value, 'procent', 0)} van de inwoners met een {group} in "
            f"{region} moeten verhuizen om gelijk over de {result.n_areas} buurten verspreid te wonen "
            f"(ongelijkheidsindex D = {format_number(value, 2)}; gecorrigeerd voor toeval "
            f"{format_number(result.systematic, 2)}). Bij een willekeurige spreiding over dezelfde buurten is D "
            f"gemiddeld {format_number(result.expected_random, 2)}; de kans op een D van "
            f"{format_number(value, 2)} of hoger bij een willekeurige spreiding is {chance_text(result)}.")


def dissimilarity_formula() -> str:
    return ("Ongelijkheidsindex D = ½ × Σ | aᵢ/A − bᵢ/B | over de buurten i, met aᵢ de groep en bᵢ de overige "
            "inwoners in buurt i en A en B hun totalen. Een andere maat dan de 'factor' van de Buurtmonitor "
            "Integratie in de beleidsvisie; de twee worden niet met elkaar vergeleken.")


def _pct(x: float) -> str:
    return format_number(100 * x, 1) + "%"


def segregation_explanation(result: Dissimilarity | None = None, *, exposure_result: Exposure | None = None,
                            group_label: str = "inwoners met een niet-westerse migratieachtergrond",
                            area_label: str = "buurten", region: str = "Maassluis", jaar: int | None = None,
                            source: str = "CBS, Kerncijfers wijken en buurten") -> str:
    """Markdown for the notebook, in Dutch: what D means, its formula, the small-area caveat, and why it
    is not the Buurtmonitor Integratie 'factor' of the policy document.

    With ``result`` (and optionally ``exposure_result``) the text also gives the numbers: D, its
    expected value and range under random allocation, the areas used and left out. It names no count
    of persons, so it needs no suppression; the per-area table (:attr:`analyse.segregation.Dissimilarity.areas`) does.
    """
    area = area_label[:-2] if area_label.endswith("en") else area_label
    parts = [
        "### Segregatie-index: de index van ongelijkheid (D)",
        "",
        f"De index van ongelijkheid *D* meet hoe ongelijk {group_label} en de overige inwoners over de "
        f"{area_label} verspreid wonen. *D* is **het aandeel van de groep dat zou moeten verhuizen voor een "
        f"gelijke spreiding**: naar andere {area_label}, totdat elke {area} hetzelfde deel van de groep "
        "huisvest als van de overige inwoners. 0 betekent een volledig gelijke spreiding, 1 (100%) een "
        "volledige scheiding. Voor de overige inwoners geldt hetzelfde aandeel.",
        "",
        "**Formule.**",
        "",
        f"    {FORMULA}",
        "",
        f"met aᵢ het aantal {group_label} in {area} i, bᵢ het aantal overige inwoners daar (totaal "
        f"min groep), en A en B de aantallen over alle gebruikte {area_label} samen. Per {area} wordt dus "
        "het aandeel van de groep dat daar woont vergeleken met het aandeel van de overige inwoners dat daar "
        "woont.",
        "",
        f"**Kleine {area_label}.** Ook als iedereen willekeurig over de {area_label} verdeeld zou zijn, is "
        f"*D* groter dan 0: in een kleine {area} wijkt het aandeel van de groep door toeval af van het "
        "gemiddelde. Daarom staat naast *D* de waarde die bij een willekeurige verdeling te verwachten is "
        f"(zelfde {area}groottes, zelfde aantal in de groep). Alleen het deel van *D* boven die verwachting "
        f"zegt iets over een werkelijk ongelijke spreiding; hoe kleiner de {area_label}, hoe hoger de "
        "verwachting door toeval.",
        "",
        f"**Kleine aantallen.** *D* is berekend op de echte aantallen per {area}, ook als die klein zijn. "
        "Aantallen onder 10 personen worden niet als getal gepubliceerd; dat gebeurt pas bij het publiceren "
        "van een tabel, niet vóór de berekening.",
        "",
        "**Niet de 'factor' uit de beleidsvisie.** De beleidsvisie noemt een segregatie-index uit de "
        "Buurtmonitor Integratie (ministerie van SZW) die daalde 'van factor 19 naar 13'. Dat is een andere "
        f"maat, op een andere schaal en mogelijk over een andere gebiedsindeling. Deze *D* over "
        f"CBS-{area_label} wordt daar nooit getalsmatig mee vergeleken; de uitspraak uit de beleidsvisie "
        "blijft ongewijzigd in het reproductieregister staan.",
    ]
    if result is not None:
        when = f"In {jaar} is" if jaar is not None else "Hier is"
        low, high = result.random_range
        parts += [
            "",
            "**Uitkomst.** "
            f"{when} *D* over {result.n_areas} {area_label} van {region} {format_number(result.value, 2)} "
            f"({_pct(result.value)}): zoveel procent van de groep zou moeten verhuizen voor een gelijke "
            f"spreiding. Bij een willekeurige verdeling over dezelfde {area_label} is *D* gemiddeld "
            f"{_pct(result.expected_random)} (een verwachte waarde), en in 95% van de "
            f"{format_number(result.simulations, 0)} gesimuleerde willekeurige verdelingen tussen "
            f"{_pct(low)} en {_pct(high)}. De kans op een *D* van {_pct(result.value)} of hoger bij een "
            f"willekeurige verdeling is {chance_text(result)}. "
            + ("De gemeten *D* ligt daarboven: de spreiding is niet door toeval alleen te verklaren."
               if result.value > high else
               "De gemeten *D* valt binnen wat door toeval alleen kan ontstaan.")
            + f" Gecorrigeerd voor toeval (Carrington en Troske: (*D* − verwachting) / (1 − verwachting)) is *D* "
            f"{format_number(result.systematic, 2)}.",
        ]
        if result.left_out:
            listed = "; ".join(f"{item.area} ({LEFT_OUT_REASONS.get(item.reason, item.reason)})"
                               for item in result.left_out)
            parts.append(f"Niet meegeteld (niets bijgeschat): {listed}.")
        if result.small_counts:
            parts.append(f"Met kleine aantallen (onder 10) in de groep of de rest: "
                         f"{', '.join(result.small_counts)}; die tellen mee, maar hun aantallen worden niet "
                         "gepubliceerd.")
    if exposure_result is not None:
        e = exposure_result
        parts += [
            "",
            f"**Isolatie en blootstelling.** In de {area} van een gemiddeld lid van de groep hoort "
            f"{_pct(e.isolation)} van de inwoners tot dezelfde groep (isolatie) en {_pct(e.exposure)} tot de "
            f"overige inwoners (blootstelling). Bij een gelijke spreiding zou de isolatie {_pct(e.group_share)} "
            f"zijn (het aandeel van de groep in alle gebruikte {area_label} samen), en bij een willekeurige "
            f"verdeling gemiddeld {_pct(e.expected_isolation)}.",
        ]
    parts += ["", f"{source}."]
    return "\n".join(parts)
