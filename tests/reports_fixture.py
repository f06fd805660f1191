"""A small but complete ``reports/`` folder built from contract records, for the export tests.

Three themes (demografie, arbeid_inkomen, criminaliteit) with realistic Dutch content, the run-wide monitor,
reproduction register and trend table, small PNG figures drawn with matplotlib and a run manifest. The
theme code that writes ``reports/`` is being rewritten; these records are what it must produce.

``hostile=True`` puts spreadsheet formulas, markup and control characters into the texts and cells, the
way a data file or a parameter could. Run as a script to build a folder and its publications for review:
``python tests/reports_fixture.py /tmp/reports``.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from analyse import contract  # noqa: E402
from analyse.contract import (  # noqa: E402
    Benchmark, Column, FigureRecord, KeyFigure, Parameters, RunManifest, Settings, Source, SuppressedCell,
    TableRecord, ThemeRun, ThemeSummary,
)

FORMULA = '=HYPERLINK("http://x","klik")'
COMMAND = "=cmd|' /C calc'!A0"
SCRIPT = "<script>alert(1)</script>"
DOLLARS = "Turks $x$"
HOSTILE_TEXTS = (FORMULA, COMMAND, SCRIPT, DOLLARS)

CBS_BEVOLKING = Source("cbs_bevolking", "Bevolking; migratieachtergrond, regio (StatLine)", "CBS", "CBS", "primair",
                       "https://opendata.cbs.nl/statline/#/CBS/nl/dataset/37713/table")
BEGROTING = Source("begroting_2019", "Begroting 2019, kerngegevens", "Gemeente Maassluis", "Gemeente Maassluis",
                   "primair")
BELEIDSVISIE = Source("beleidsvisie_2019", "Beleidsvisie Integratie Maassluis 2019, hoofdstuk 2",
                      "Gemeente Maassluis", "CBS", "secundair")
CBS_BIJSTAND = Source("cbs_bijstand", "Personen met bijstand; migratieachtergrond (StatLine)", "CBS", "CBS",
                      "primair")
POLITIE = Source("politie_misdrijven", "Geregistreerde misdrijven per wijk", "Politie", "Politie", "primair",
                 "https://data.politie.nl")
SCHIEDAM24 = Source("schiedam24_2019", "Nieuwsbericht over woninginbraken", "Schiedam24", "Politie", "secundair")

MAASSLUIS = "Maassluis"


def _write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def _figure(root: Path, record: FigureRecord, draw, dpi: int) -> FigureRecord:
    png = root / record.png
    png.parent.mkdir(parents=True, exist_ok=True)
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    draw(ax)
    ax.set_title(record.title, loc="left", fontsize=10, fontweight="bold")
    ax.spines[["top", "right"]].set_visible(False)
    fig.supxlabel(record.source, x=0.02, ha="left", fontsize=7, color="#555555")
    fig.tight_layout()
    fig.savefig(png, dpi=dpi)
    plt.close(fig)
    if record.csv:  # the figure's data, as the writer saves it beside the figure
        lines = [(int(x), float(y)) for line in fig.axes[0].get_lines() for x, y in zip(*line.get_data())]
        _write_csv(root / record.csv, ["jaar", "waarde"], [list(pair) for pair in lines])
    return record


def _line(series: dict[str, tuple[list[int], list[float]]], percent: bool = False):
    def draw(ax):
        for name, (years, values) in series.items():
            ax.plot(years, values, marker="o", label=name)
        ax.xaxis.get_major_locator().set_params(integer=True)
        if len(series) > 1:
            ax.legend(frameon=False, fontsize=8)
        if percent:
            ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0f}%")
        else:
            ax.yaxis.set_major_formatter(lambda v, _: f"{v:,.0f}".replace(",", "."))
    return draw


def _bars(labels: list[str], values: list[float]):
    def draw(ax):
        ax.barh(labels, values, color="#2f6f9f")
        for y, v in enumerate(values):
            ax.text(v, y, f" {v:.1f}".replace(".", ","), va="center", fontsize=8)
    return draw


def demografie(root: Path, dpi: int, hostile: bool) -> ThemeSummary:
    params = Parameters(MAASSLUIS, ("Rotterdam", "Nederland"), 2009, 2018)
    years = list(range(2009, 2019))
    inwoners = [31390, 31580, 31720, 31810, 31930, 32030, 32150, 32270, 32390, 32518]
    aandeel = [23.3, 23.6, 24.0, 24.4, 24.8, 25.2, 25.6, 26.0, 26.5, 26.9]
    figures = (
        _figure(root, FigureRecord(
            "inwoners", "inwoners", "lijn", "figures/demografie/inwoners.png", "figures/demografie/inwoners.svg",
            "Aantal inwoners, Maassluis, 2009-2018", "Bron: CBS",
            "Elke stip is een meting; een lijn tussen twee stippen is zelf geen meting, en er is niets bijgeschat.",
            "Lijnfiguur: het aantal inwoners van Maassluis groeide van 31.390 in 2009 naar 32.518 in 2018.",
            main=True, csv="figures/demografie/inwoners.csv"), _line({MAASSLUIS: (years, inwoners)}), dpi),
        _figure(root, FigureRecord(
            "aandeel_migratieachtergrond", "aandeel_migratieachtergrond", "lijn",
            "figures/demografie/aandeel_migratieachtergrond.png", "figures/demografie/aandeel_migratieachtergrond.svg",
            "Aandeel inwoners met een migratieachtergrond, 2009-2018", "Bron: CBS",
            "Elke lijn is een regio en elke stip een meting. Een verschil tussen twee percentages is een aantal "
            "procentpunt.",
            "Lijnfiguur: in Maassluis steeg het aandeel van 23,3% naar 26,9%; in Rotterdam ligt het rond 50%, "
            "in Nederland rond 23%.", main=True),
            _line({MAASSLUIS: (years, aandeel), "Rotterdam": (years, [47.5 + 0.31 * i for i in range(10)]),
                   "Nederland": (years, [20.4 + 0.3 * i for i in range(10)])}, percent=True), dpi),
        _figure(root, FigureRecord(
            "herkomst", "inwoners", "staaf", "figures/demografie/herkomst.png", "figures/demografie/herkomst.svg",
            "Inwoners naar migratieachtergrond, Maassluis, 1 januari 2018", "Bron: CBS",
            "Elke staaf is de waarde van één groep in 2018; het getal staat erbij.",
            "Staaffiguur: 73,1% van de inwoners heeft een Nederlandse achtergrond, 16,2% een niet-westerse en "
            "10,7% een westerse migratieachtergrond."),
            _bars(["Nederlandse achtergrond", "Westerse migratieachtergrond", "Niet-westerse migratieachtergrond"],
                  [73.1, 10.7, 16.2]), dpi),
    )
    overview = TableRecord(
        "overzicht", "tables/demografie/overzicht.csv", "Kerncijfers demografie",
        "Bron: CBS; Gemeente Maassluis, Begroting 2019",
        (Column("indicator_label", "Indicator", "label"), Column("regio", "Regio", "text"),
         Column("jaar", "Jaar", "year"),
         Column("waarde", "Waarde", "number", unit_column="eenheid", decimals_column="decimalen"),
         Column("eenheid", "Eenheid", "label"), Column("decimalen", "Decimalen", "number", decimals=0)),
        in_note=True)
    rows = [["Aantal inwoners", MAASSLUIS, "2009", "31390", "aantal", "0"],
            ["Aantal inwoners", MAASSLUIS, "2018", "32518", "aantal", "0"],
            ["Aandeel inwoners met migratieachtergrond", MAASSLUIS, "2009", "23.3", "procent", "1"],
            ["Aandeel inwoners met migratieachtergrond", MAASSLUIS, "2018", "26.9", "procent", "1"],
            ["Aandeel inwoners met migratieachtergrond", "Rotterdam", "2018", "50.3", "procent", "1"],
            ["Aandeel inwoners met migratieachtergrond", "Nederland", "2018", "23.1", "procent", "1"],
            ["Verandering aandeel migratieachtergrond 2009-2018", MAASSLUIS, "2018", "3.6", "procentpunt", "1"]]
    if hostile:
        rows[0][0] = COMMAND
        rows[1][1] = SCRIPT
        rows.append([FORMULA, DOLLARS, "2018", "-3.6", "procentpunt", "1"])
        rows.append(["@SOM(A1:A9)", "+31 10 123", "2018", "-12", "aantal", "0"])
    _write_csv(root / overview.csv, ["indicator", "indicator_label", "regio", "jaar", "waarde", "eenheid", "decimalen"],
               [[r[0].lower().replace(" ", "_")[:20], *r] for r in rows])
    origin = TableRecord(
        "herkomst", "tables/demografie/herkomst.csv", "Inwoners naar migratieachtergrond, 1 januari 2018",
        "Bron: CBS",
        (Column("groep_label", "Migratieachtergrond", "label"), Column("aantal", "Aantal inwoners", "number",
                                                                        unit="aantal", decimals=0),
         Column("aandeel", "Aandeel", "number", unit="procent", decimals=1)),
        in_note=False)
    _write_csv(root / origin.csv, ["groep", "groep_label", "aantal", "aandeel"], [
        ["nederlands", "Nederlandse achtergrond", "23771", "73.1"],
        ["westers", "Westerse migratieachtergrond", "3479", "10.7"],
        ["niet_westers", "Niet-westerse migratieachtergrond", "5268", "16.2"]])
    messages = (
        "De bevolking van Maassluis is gegroeid van 31.390 inwoners in 2009 naar 32.518 inwoners in 2018, "
        "een stijging van 3,6%.",
        "Het aandeel inwoners met een migratieachtergrond steeg van 23,3% naar 26,9%, een stijging van "
        "3,6 procentpunt.",
        "Maassluis ligt daarmee iets boven Nederland (23,1%) en ver onder Rotterdam (50,3%).",
        "De groei komt vooral van inwoners met een niet-westerse migratieachtergrond.",
    )
    if hostile:
        messages = (FORMULA + " De bevolking groeide\x07.", f"{DOLLARS} en {SCRIPT}", *messages[1:])
    key_figures = (
        KeyFigure("inwoners", "Aantal inwoners", MAASSLUIS, "totaal", "Totaal", 2018, 32518.0, "aantal", "32.518",
                  "Bron: CBS", "cbs_bevolking"),
        KeyFigure("aandeel_migratieachtergrond", "Aandeel inwoners met migratieachtergrond", MAASSLUIS,
                  "migratieachtergrond", "Met migratieachtergrond", 2018, 26.9, "procent", "26,9%", "Bron: CBS",
                  "cbs_bevolking", benchmarks=(Benchmark("Rotterdam", 2018, 50.3, "50,3%"),
                                               Benchmark("Nederland", 2018, 23.1, "23,1%")), comparison_year=2018),
    )
    return ThemeSummary(
        "demografie", "Demografie en diversiteit",
        "Hoe groot is Maassluis, en hoe divers? Dit hoofdstuk volgt het aantal inwoners en het aandeel inwoners "
        "met een migratieachtergrond van 2009 tot en met 2018, en vergelijkt Maassluis met Rotterdam en Nederland.",
        params, messages, key_figures, figures, (overview, origin), "overzicht",
        ("Het aandeel migranten in 2009 en 2018 is overgenomen uit de beleidsvisie; de peildatum staat daar niet "
         "bij.",), (CBS_BEVOLKING, BEGROTING, BELEIDSVISIE))


def arbeid_inkomen(root: Path, dpi: int, hostile: bool) -> ThemeSummary:
    params = Parameters(MAASSLUIS, ("Vlaardingen", "Schiedam"), 2014, 2018)
    years = list(range(2014, 2019))
    figures = (
        _figure(root, FigureRecord(
            "bijstand", "bijstand_totaal", "lijn", "figures/arbeid_inkomen/bijstand.png",
            "figures/arbeid_inkomen/bijstand.svg",
            "Personen met een bijstandsuitkering, Maassluis, 2014-2018", "Bron: CBS",
            "Elke stip is een meting; een lijn tussen twee stippen is zelf geen meting, en er is niets bijgeschat. "
            "De gestreepte lijn is de geschatte trend, de band eromheen het 95%-interval: hoe breder, hoe "
            "onzekerder.",
            "Lijnfiguur: het aantal personen met een bijstandsuitkering in Maassluis daalde van 905 in 2014 naar "
            "825 in 2018.", main=True),
            _line({MAASSLUIS: (years, [905, 890, 872, 850, 825])}), dpi),
    )
    per_wijk = TableRecord(
        "bijstand_wijk", "tables/arbeid_inkomen/bijstand_wijk.csv",
        "Uitkeringen naar wijk, Maassluis, 2018", "Bron: CBS, Kerncijfers wijken en buurten 2018",
        (Column("wijk", "Wijk", "text"),
         Column("inwoners", "Inwoners 15 tot 75 jaar", "number", unit="aantal", decimals=0),
         Column("bijstand", "Personen met een bijstandsuitkering", "number", unit="aantal", decimals=0),
         Column("ao", "Arbeidsongeschiktheidsuitkeringen", "number", unit="aantal", decimals=0),
         Column("ww", "WW-uitkeringen", "number", unit="aantal", decimals=0),
         Column("aow", "AOW-uitkeringen", "number", unit="aantal", decimals=0),
         Column("aandeel_bijstand", "Aandeel bijstandsuitkering", "number", unit="procent", decimals=1),
         Column("aandeel_ao", "Aandeel arbeidsongeschiktheid", "number", unit="procent", decimals=1),
         Column("verandering", "Verandering bijstand sinds 2014", "number", unit="procentpunt", decimals=1)),
        in_note=True, suppressed=(SuppressedCell(3, "bijstand", "<10"),),
        notes=("Aantallen personen kleiner dan 10 zijn niet gepubliceerd (<10).",))
    _write_csv(root / per_wijk.csv,
               ["wijk_code", "wijk", "inwoners", "bijstand", "ao", "ww", "aow", "aandeel_bijstand", "aandeel_ao",
                "verandering"], [
                   ["WK055601", "Centrum", "5840", "212", "480", "95", "1310", "3.6", "8.2", "-0.4"],
                   ["WK055602", "Koningshoek", "7410", "301", "602", "120", "1655", "4.1", "8.1", "-0.7"],
                   ["WK055603", "Steendijkpolder", "6320", "188", "455", "88", "1190", "3.0", "7.2", "0.2"],
                   ["WK055604", "Kapelpolder", "720", "", "41", "11", "160", "", "5.7", ""],
                   ["WK055605", "Sluispolder", "4630", "124", "310", "64", "1011", "2.7", "6.7", "-0.3"],
               ])
    messages = (
        "Het aantal personen met een bijstandsuitkering in Maassluis daalde van 905 in 2014 naar 825 in 2018.",
        "In Vlaardingen en Schiedam ligt het aandeel bijstandsontvangers hoger dan in Maassluis.",
    )
    key_figures = (
        KeyFigure("bijstand_totaal", "Personen met een bijstandsuitkering", MAASSLUIS, "totaal", "Totaal", 2018, 825,
                  "aantal", "825", "Bron: CBS", "cbs_bijstand",
                  benchmarks=(Benchmark("Vlaardingen", 2018, 2890, "2.890"),
                              Benchmark("Schiedam", 2018, 3560, "3.560")), comparison_year=2018),
    )
    warnings = ("Voor de wijk Kapelpolder zijn te weinig bijstandsontvangers om het aantal te publiceren.",)
    if hostile:
        warnings += (COMMAND,)
    return ThemeSummary(
        "arbeid_inkomen", "Arbeid en inkomen",
        "Werk en inkomen bepalen voor een groot deel of mensen mee kunnen doen. Dit hoofdstuk volgt de "
        "bijstand en andere uitkeringen in Maassluis en vergelijkt met Vlaardingen en Schiedam.",
        params, messages, key_figures, figures, (per_wijk,), "bijstand_wijk", warnings, (CBS_BIJSTAND,))


def criminaliteit(root: Path, dpi: int, hostile: bool) -> ThemeSummary:
    params = Parameters(MAASSLUIS, ("Vlaardingen", "Schiedam", "Nederland"), 2012, 2018)
    years = list(range(2012, 2019))
    values = [5.0, 5.7, 4.8, 4.1, 3.9, 3.2, 2.9]
    title = "Diefstal uit woning per 1.000 inwoners, Maassluis, 2012-2018"
    figures = (
        _figure(root, FigureRecord(
            "diefstal_uit_woning", "diefstal_uit_woning", "lijn", "figures/criminaliteit/diefstal_uit_woning.png",
            "figures/criminaliteit/diefstal_uit_woning.svg", SCRIPT if hostile else title, "Bron: Politie",
            "Elke stip is een meting; een lijn tussen twee stippen is zelf geen meting, en er is niets bijgeschat.",
            (SCRIPT + '" onerror="alert(1)') if hostile else
            "Lijnfiguur: het aantal woninginbraken per 1.000 inwoners daalde van 5,0 in 2012 naar 2,9 in 2018.",
            main=True), _line({MAASSLUIS: (years, values)}), dpi),
    )
    table = TableRecord(
        "diefstal_uit_woning", "tables/criminaliteit/diefstal_uit_woning.csv",
        "Diefstal uit woning per 1.000 inwoners", "Bron: Politie, geregistreerde misdrijven",
        (Column("jaar", "Jaar", "year"), Column("regio", "Regio", "text"),
         Column("waarde", "Diefstal uit woning", "number", unit="per_1000", decimals=1)), in_note=True)
    _write_csv(root / table.csv, ["jaar", "regio", "waarde"],
               [[str(y), MAASSLUIS, str(v)] for y, v in zip(years, values)])
    return ThemeSummary(
        "criminaliteit", "Criminaliteit en delinquentie",
        "Dit hoofdstuk gaat over geregistreerde criminaliteit in Maassluis, met woninginbraak als voorbeeld.",
        params, ("Het aantal woninginbraken per 1.000 inwoners is gedaald van 5,0 in 2012 naar 2,9 in 2018.",),
        (KeyFigure("diefstal_uit_woning", "Diefstal uit woning per 1.000 inwoners", MAASSLUIS, "totaal", "Totaal",
                   2018, 2.9, "per_1000", "2,9", "Bron: Politie", "politie_misdrijven"),),
        figures, (table,), "diefstal_uit_woning", (), (POLITIE, SCHIEDAM24))


MONITOR_RULES = (
    "Gehaald: de laatste meting ligt al op of voorbij de doelwaarde.",
    "Op koers: het hele 95%-voorspellingsinterval van de trend in het doeljaar ligt op of voorbij het doel.",
    "Niet op koers: het hele voorspellingsinterval ligt aan de verkeerde kant van het doel.",
    "Onzeker: er is een trend, maar het interval laat zowel halen als niet halen toe.",
    "Onvoldoende data: minder dan drie meetjaren in één reeks; geen trend, dus geen oordeel.",
)


def run_tables(root: Path, hostile: bool) -> tuple[TableRecord, ...]:
    monitor = TableRecord(
        contract.MONITOR_TABLE, "monitor.csv", "Doelenmonitor: de doelen uit hoofdstuk 4",
        "Bron: Beleidsvisie Integratie Maassluis 2019, hoofdstuk 4; CBS; DUO",
        (Column("label", "Indicator", "label"), Column("doel_omschrijving", "Doel", "text"),
         Column("eenheid", "Eenheid", "label"),
         Column("basis_waarde", "Basis", "number", unit_column="eenheid", decimals_column="decimalen"),
         Column("basis_periode", "Basisperiode", "year"),
         Column("laatste_waarde", "Laatste meting", "number", unit_column="eenheid", decimals_column="decimalen"),
         Column("laatste_jaar", "Jaar laatste meting", "year"),
         Column("oordeel", "Oordeel", "label"), Column("toelichting", "Toelichting", "text")),
        notes=MONITOR_RULES)
    _write_csv(root / monitor.csv, ["indicator", "label", "doel_omschrijving", "eenheid", "decimalen",
                                    "basis_waarde", "basis_periode", "laatste_waarde", "laatste_jaar", "oordeel",
                                    "toelichting"], [
        ["bijstand_totaal", "Personen met een bijstandsuitkering", "Neemt af", "aantal", "0", "825", "juli 2018",
         "825", "2018", "onvoldoende_data", "Eén meting in de reeks: geen trend."],
        ["vsv_pct", "Voortijdig schoolverlaters", "Blijft minimaal gelijk", "procent", "2", "1.73", "2016/2017",
         "1.52", "2018", "op_koers", "De trend daalt; het 95%-interval laat geen stijging toe."],
        ["vve_deelname", "Kinderen met een VVE-indicatie die deelnemen", "Neemt toe tot 90% in 2021", "procent",
         "0", "79", "2017", "84", "2018", "onzeker", "De trend stijgt, maar het interval laat 90% in 2021 open."],
        ["discriminatie_meldingen", "Meldingen van discriminatie", "Neemt af", "aantal", "0", "14", "2017", "", "",
         "onvoldoende_data", "Geen nieuwe meting."],
    ])
    register = TableRecord(
        contract.REGISTER_TABLE, "reproductie.csv", "Reproductieregister: de cijfers in hoofdstuk 2",
        "Bron: Beleidsvisie Integratie Maassluis 2019; herberekening met de gegevens van deze analyse",
        (Column("thema", "Thema", "label"), Column("citaat", "Bewering", "text"),
         Column("verwacht", "Volgens document", "text"), Column("berekend", "Herberekend", "text"),
         Column("status", "Uitkomst", "label"), Column("toelichting", "Toelichting", "text")))
    claims = [
        ["demografie", "De bevolking van Maassluis is gegroeid van 31.390 inwoners in 2009 naar 32.518 inwoners "
         "in 2018.", "32.518", "32.518", "klopt", "Berekend als waarde."],
        ["demografie", "Dat is een stijging van 3,6% in acht jaar.", "3,6%", "3,6%", "klopt", ""],
        ["demografie", "Het aandeel migranten is gestegen met 3,6% van 23,3% naar 26,9%.", "3,6%",
         "3,6 procentpunt", "tekst_onjuist", "Het verschil van twee percentages is 3,6 procentpunt, geen 3,6%."],
        ["demografie", "Dit percentage is aanzienlijk lager dan in Rotterdam (50,3%).", "50,3%", "",
         "overgenomen", "Alleen in de beleidsvisie; geen eigen bron voor Rotterdam in 2018."],
        ["arbeid_inkomen", "In juli 2018 ontvingen 825 inwoners een bijstandsuitkering.", "825", "", "overgenomen",
         "Overgenomen uit de beleidsvisie."],
        ["arbeid_inkomen", "Het aantal bijstandsuitkeringen daalde tussen 2014 en 2018 met 12%.", "12%", "8,8%",
         "wijkt_af", "De data geven (825 − 905) / 905 × 100 = -8,8%."],
        ["criminaliteit", "Jongeren met een migratieachtergrond zijn vaker verdachte.", "hoger", "", "niet_aangetoond",
         "Het verschil valt binnen de onzekerheidsmarge."],
        ["criminaliteit", "Het aantal woninginbraken is gehalveerd.", "gehalveerd", "", "geen_data",
         "Niet te herberekenen: geen gegevens over 2010."],
        ["demografie", "In 2018 woonden 32.518 mensen in Maassluis.", "32.518", "32.518", "klopt", ""],
    ]
    if hostile:
        claims.append(["demografie", FORMULA, COMMAND, "-3,6", "wijkt_af", SCRIPT])
    _write_csv(root / register.csv, ["id", "thema", "citaat", "verwacht", "berekend", "status", "toelichting"],
               [[f"c-{i:02d}", *claim] for i, claim in enumerate(claims, start=1)])
    trends = TableRecord(
        contract.TRENDS_TABLE, "trends.csv", "Trendschattingen", "Bron: berekening op de gegevens van deze analyse",
        (Column("label", "Indicator", "label"), Column("regio", "Regio", "text"), Column("groep_label", "Groep", "label"),
         Column("eerste_jaar", "Eerste jaar", "year"), Column("laatste_jaar", "Laatste jaar", "year"),
         Column("n_jaren", "Meetjaren", "number", unit="aantal", decimals=0),
         Column("helling", "Verandering per jaar", "number", unit_column="eenheid", decimals=2),
         Column("helling_ondergrens", "Ondergrens 95%-interval", "number", unit_column="eenheid", decimals=2),
         Column("helling_bovengrens", "Bovengrens 95%-interval", "number", unit_column="eenheid", decimals=2),
         Column("eenheid", "Eenheid", "label"), Column("reden", "Geen trend omdat", "text")))
    _write_csv(root / trends.csv, ["indicator", "label", "regio", "groep_label", "eerste_jaar", "laatste_jaar",
                                   "n_jaren", "helling", "helling_ondergrens", "helling_bovengrens", "eenheid",
                                   "reden"], [
        ["aandeel_migratieachtergrond", "Aandeel inwoners met migratieachtergrond", MAASSLUIS,
         "Met migratieachtergrond", "2009", "2018", "10", "0.4", "0.37", "0.43", "procentpunt", ""],
        ["bijstand_totaal", "Personen met een bijstandsuitkering", MAASSLUIS, "Totaal", "2014", "2018", "5",
         "-19.7", "-23.9", "-15.5", "aantal", ""],
        ["discriminatie_meldingen", "Meldingen van discriminatie", MAASSLUIS, "Totaal", "2017", "2017", "1", "",
         "", "", "aantal", "Minder dan drie meetjaren in één reeks: geen trend."],
    ])
    return monitor, register, trends


def build_reports(root: Path, *, hostile: bool = False, dpi: int = 40, themes: tuple[str, ...] | None = None,
                  settings: Settings | None = None) -> Path:
    """Write a complete ``reports/`` folder into ``root`` and return ``root``."""
    root = Path(root)
    builders = {"demografie": demografie, "arbeid_inkomen": arbeid_inkomen, "criminaliteit": criminaliteit}
    summaries = []
    for code, build in builders.items():
        if themes is None or code in themes:
            summary = build(root, dpi, hostile)
            path = root / "tables" / code / contract.SUMMARY_FILE
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(contract.to_json(summary), encoding="utf-8")
            summaries.append(summary)
    for code in [s.theme for s in summaries]:
        page = root / "notebooks" / f"{code}.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"<!DOCTYPE html><html lang=\"nl\"><title>{code}</title><p>Notebook</p></html>\n",
                        encoding="utf-8")
    municipality = "Gemeente Maassluis"
    if settings is None:
        settings = Settings(region=MAASSLUIS, region_code="GM0556", organisation=municipality,
                            department="Team Onderzoek en Statistiek",
                            contact="onderzoek@maassluis.nl of 14 010" if not hostile else FORMULA, small_count=10,
                            policy_document="Samen naar een gedeelde toekomst. Beleidsvisie Integratie")
    manifest = RunManifest(
        "2026-11-29T14:05:00+01:00", "sha256:3f2a9c0d5e7b", (2009, 2018), settings,
        tuple(ThemeRun(s.theme, s.title, s.parameters) for s in summaries) + (
            ThemeRun("onderwijs", "Onderwijs", Parameters(MAASSLUIS, ("Vlaardingen",), 2012, 2018)),),
        run_tables(root, hostile), {"analyse": "0.1.0"})
    (root / contract.MANIFEST_FILE).write_text(contract.to_json(manifest), encoding="utf-8")
    return root


if __name__ == "__main__":  # build a folder and its publications for review
    from analyse import export

    target = Path(sys.argv[1])
    build_reports(target, hostile="--hostile" in sys.argv, dpi=150)
    for written in export.export_all(target):
        print(written)
