#!/usr/bin/env python3
"""Import the shared CBS key figures into data/raw, reproducibly. Run by hand, never by the pipeline.

    .venv/bin/python scripts/import_cbs_kerncijfers.py [--shared PAD/cbs_kerncijfers_2012_2024.csv]
        [--gemeenten PAD/cbs_gemeenten_2012_2023.csv] [--check]

Reads ``../shared/data/cbs_kerncijfers_2012_2024.csv`` (Maassluis, its wijken and buurten, three neighbours and
Nederland) and ``../shared/data/cbs_gemeenten_2012_2023.csv`` (every municipality; see the README next to them:
values produced by CBS and the Politie, found in public repositories that republish CBS tables) and writes one
observation file per bron (one CBS table edition) into ``data/raw``, plus the rows of those bronnen in
``bronnen.csv``. Every shared row is either mapped onto an indicator, region, group, unit and reeks
(:data:`MAPPING`), or left out with a reason (:data:`LEFT_OUT_COLUMNS`, or a duplicate of a value already
imported). A value found in both files is imported once, from the file with the direct CBS table. The two
files give the same CBS tables, so the rows of one municipality form one series whichever file they came from.
``tests/test_cbs_import.py`` checks the written files against the shared files and this plan.

The regions, groups, indicators and reeksen the mapping uses are maintained by hand in the catalogues (they
carry judgements: names, definitions, findings); this script only checks that they exist. The one exception
is the municipalities of the all-municipality file: a municipal code without a row in ``regios.csv`` gets one
(the CBS name, level gemeente, and the years the code has figures), after the hand-kept rows. Output is sorted
and deterministic: running it twice changes nothing. ``--check`` writes nothing and fails when a file in
data/raw differs from what the import would write.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
SHARED = ROOT.parent / "shared" / "data" / "cbs_kerncijfers_2012_2024.csv"
SHARED_MUNICIPALITIES = ROOT.parent / "shared" / "data" / "cbs_gemeenten_2012_2023.csv"

COLUMNS = ["indicator", "regio", "groep", "jaar", "waarde", "eenheid", "bron", "reeks", "periode", "status",
           "vindplaats", "opmerking"]
BRONNEN_COLUMNS = ["bron", "naam", "uitgever", "producent", "soort", "datum", "adres", "licentie"]
REGION_ALIASES = {"NL00": "NL01"}  # CBS writes Nederland as NL00 in some tables and NL01 in others

# ------------------------------------------------------------------ the CBS tables (one bron per edition)

PDOK = "CBS Kerncijfers wijken en buurten {jaar} as served by PDOK wijkenbuurten/{jaar} WFS (repo field name; 0_15..65plus and pct_* are percentages)"
CRIME = "47018NED (Politie geregistreerde misdrijven per wijk/buurt, via CBS dataderden OData; field mapped by repo script)"
KWB2019 = "kwb-2019 (Kerncijfers wijken en buurten 2019, 84583NED; columns renamed by repo author)"
MIGR = "KWB 2022 (85318NED) migratieachtergrond counts, as repackaged by repo (array order per src/components Map.vue prepareData); year inferred from totals = KWB 2022 inwoners"
MIGR_OTHER = "KWB 2022 (85318NED) migratieachtergrond, keyed JSON in earlier commit"
KWB2024_JSON = "85984NED (Kerncijfers wijken en buurten 2024)"
KWB2024_CSV = "85984NED Kerncijfers wijken en buurten 2024 (StatLine CSV export)"
KWB2024_HERKOMST = "85984NED Kerncijfers wijken en buurten 2024 (StatLine CSV export; file has names only, codes matched by name+population to geslachten file)"
INKOMEN = "CBS StatLine 'Inkomen van huishoudens; regio' export (table id not in file; 2024* = voorlopig)"
KWB2018_EXAMPLE = "84286NED Kerncijfers wijken en buurten 2018 (tabelvoorbeeld op cbs.nl)"
MUNICIPALITIES = "alle gemeenten, editie {editie} (PDOK wijkenbuurten en 47018NED via een publieke repository)"
"""The all-municipality file has no table column: its ``editie`` names the table (see its README)."""
MUNICIPALITY_EDITIONS = {"kwb2012": 2012, "kwb2017": 2017, "kwb2018": 2018, "kwb2019": 2019, "kwb2022": 2022,
                         "kwb2023": 2023, "politie_47018ned": "47018NED"}

KWB_TABLES = {2012: "70904NED", 2017: "83765NED", 2018: "84286NED", 2019: "84583NED", 2022: "85318NED",
              2023: "85618NED", 2024: "85984NED"}
STATLINE = "https://opendata.cbs.nl/statline/#/CBS/nl/dataset/{tabel}/table"


def _kwb_bron(jaar: int) -> dict:
    tabel = KWB_TABLES[jaar]
    naam = (f"CBS, Kerncijfers wijken en buurten {jaar} (tabel {tabel}"
            + (", Kerncijfers wijken en buurten 2009-2012)" if jaar == 2012 else ")"))
    return {"bron": f"cbs_kwb_{jaar}", "naam": naam, "uitgever": "Centraal Bureau voor de Statistiek",
            "producent": "CBS", "soort": "primair", "datum": "", "adres": STATLINE.format(tabel=tabel),
            "licentie": "CC BY 4.0"}


BRONNEN = {jaar: _kwb_bron(jaar) for jaar in KWB_TABLES}
BRONNEN["47018NED"] = {
    "bron": "politie_47018ned",
    "naam": "Politie, geregistreerde misdrijven naar soort, wijk en buurt (tabel 47018NED, open data van derden bij het CBS)",
    "uitgever": "Centraal Bureau voor de Statistiek (open data van derden)", "producent": "Politie", "soort": "primair",
    "datum": "", "adres": "https://dataderden.cbs.nl", "licentie": "onbekend"}

# shared cbs_tabel -> (bron key, priority when the same value is found twice: lower wins). A direct CBS table
# (StatLine export, a CBS table with renamed columns) comes before a map service or a repackaged file.
TABLES = {
    **{PDOK.format(jaar=j): (j, 3) for j in (2012, 2017, 2018, 2019, 2022, 2023, 2024)},
    CRIME: ("47018NED", 1),
    KWB2019: (2019, 2),
    MIGR: (2022, 5), MIGR_OTHER: (2022, 5),
    KWB2024_CSV: (2024, 1), KWB2024_HERKOMST: (2024, 2), KWB2024_JSON: (2024, 4),
    INKOMEN: (None, 9), KWB2018_EXAMPLE: (2018, 9),
    # the all-municipality file: the same tables, after the file with the direct tables for the four municipalities
    **{MUNICIPALITIES.format(editie=e): (key, 6) for e, key in MUNICIPALITY_EDITIONS.items()},
}

# ------------------------------------------------------------------ what each column becomes


@dataclass(frozen=True)
class Target:
    indicator: str
    groep: str
    eenheid: str
    reeks: str
    note: str  # the remark written into opmerking, in our own words


POP = "Bevolking op 1 januari (Kerncijfers wijken en buurten)."
AGE_PCT = "Aandeel van de leeftijdsgroep in de bevolking op 1 januari, door het CBS in hele procenten gegeven."
AGE_N = "Inwoners in de leeftijdsgroep op 1 januari."
MIG = "Inwoners naar migratieachtergrond op 1 januari 2022 (CBS-indeling tot 2022)."
HERK = "Inwoners naar herkomstland op 1 januari 2024 (CBS-indeling vanaf 2022)."
HERK_PCT = "Aandeel van de herkomstgroep in de bevolking op 1 januari 2024, in hele procenten (CBS-indeling vanaf 2022)."
CRIME_NOTE = "Door de politie geregistreerd in het kalenderjaar; veld {kolom} zoals de republicerende repository het aan de soort misdrijf koppelde."


def _pop(groep: str) -> Target:
    return Target("inwoners", groep, "aantal", "cbs_bevolking", POP)


def _age(groep: str, pct: bool) -> Target:
    if pct:
        return Target("aandeel_leeftijd", groep, "procent", "cbs_bevolking", AGE_PCT)
    return Target("aantal_leeftijd", groep, "aantal", "cbs_bevolking", AGE_N)


def _mig(groep: str) -> Target:
    return Target("aantal_herkomst", groep, "aantal", "cbs_bevolking_migratieachtergrond", MIG)


def _crime(code: str) -> Target:
    return Target(f"misdrijven_{code}", "totaal", "aantal", "politie_47018", CRIME_NOTE)


PDOK_COLUMNS = {
    "aantal_inwoners": _pop("totaal"), "mannen": _pop("man"), "vrouwen": _pop("vrouw"),
    "0_15": _age("leeftijd_0_14", True), "15_25": _age("leeftijd_15_24", True), "25_45": _age("leeftijd_25_44", True),
    "45_65": _age("leeftijd_45_64", True), "65plus": _age("leeftijd_65_plus", True),
    "huishoudens": Target("huishoudens", "totaal", "aantal", "cbs_huishoudens", "Particuliere huishoudens op 1 januari."),
    "arbeidsparticipatie": Target("netto_arbeidsparticipatie_kwb", "leeftijd_15_74", "procent", "cbs_kwb_arbeidsparticipatie",
                                  "Netto arbeidsparticipatie zoals de Kerncijfers wijken en buurten die geven (hele procenten)."),
    "pct_hh_laag_inkomen": Target("huishoudens_laagste_40pct_inkomen", "totaal", "procent", "cbs_kwb_inkomen",
                                  "Veld heet in de kaartdienst 'huishoudens met een laag inkomen'; de waarde is het aandeel in de landelijk 40% laagste inkomens."),
    "pct_rond_sociaal_min": Target("huishoudens_rond_sociaal_minimum", "totaal", "procent", "cbs_kwb_inkomen",
                                   "Huishoudens onder of rond het sociaal minimum (hele procenten)."),
    "stedelijkheid": Target("stedelijkheid", "totaal", "klasse", "cbs_stedelijkheid",
                            "Mate van stedelijkheid op 1 januari (1 zeer sterk stedelijk tot 5 niet stedelijk), naar de "
                            "omgevingsadressendichtheid."),
    "pct_herkomst_nl": Target("aandeel_herkomst", "herkomst_nederland", "procent", "cbs_bevolking_herkomstland", HERK_PCT),
    "pct_herkomst_europa": Target("aandeel_herkomst", "herkomst_europa", "procent", "cbs_bevolking_herkomstland", HERK_PCT),
    "pct_herkomst_buiten_europa": Target("aandeel_herkomst", "herkomst_buiten_europa", "procent",
                                         "cbs_bevolking_herkomstland", HERK_PCT),
}
CRIME_COLUMNS = {"cr_totaal_misdrijven": _crime("totaal"), "cr_inbraak_woning": _crime("woninginbraak"),
                 "cr_vernieling": _crime("vernieling"), "cr_mishandeling": _crime("mishandeling"),
                 "cr_bedreiging": _crime("bedreiging"), "cr_straatroof": _crime("straatroof"),
                 "cr_winkeldiefstal": _crime("winkeldiefstal"), "cr_diefstal_fietsen": _crime("fietsendiefstal")}
MAPPING: dict[str, dict[str, Target]] = {
    **{PDOK.format(jaar=j): PDOK_COLUMNS for j in (2012, 2017, 2018, 2019, 2022, 2023, 2024)},
    CRIME: CRIME_COLUMNS,
    **{MUNICIPALITIES.format(editie=e): CRIME_COLUMNS if e == "politie_47018ned" else PDOK_COLUMNS
       for e in MUNICIPALITY_EDITIONS},
    KWB2019: {"population": _pop("totaal"), "men": _pop("man"), "women": _pop("vrouw"),
              "b_00_14": _age("leeftijd_0_14", False), "b_15_24": _age("leeftijd_15_24", False),
              "b_25_44": _age("leeftijd_25_44", False), "b_45_64": _age("leeftijd_45_64", False),
              "b_65_oo": _age("leeftijd_65_plus", False)},
    MIGR: {"total (~AantalInwoners_5)": _pop("totaal"), "westernTotal (~WestersTotaal_17)": _mig("westers"),
           "nonWesternTotal (~NietWestersTotaal_18)": _mig("niet_westers"), "morocco (~Marokko_19)": _mig("marokkaans"),
           "antillesAndAruba (~NederlandseAntillenEnAruba_20)": _mig("antilliaans"),
           "surinam (~Suriname_21)": _mig("surinaams"), "turkey (~Turkije_22)": _mig("turks")},
    MIGR_OTHER: {"otherNonWestern (~OverigNietWesters_23)": _mig("overig_niet_westers")},
    KWB2024_CSV: {"Bevolking/Aantal inwoners (aantal)": _pop("totaal"),
                  "Bevolking/Geslacht/Mannen (aantal)": _pop("man"), "Bevolking/Geslacht/Vrouwen (aantal)": _pop("vrouw"),
                  "Bevolking/Leeftijdsgroepen/0 tot 15 jaar (aantal)": _age("leeftijd_0_14", False),
                  "Bevolking/Leeftijdsgroepen/15 tot 25 jaar (aantal)": _age("leeftijd_15_24", False),
                  "Bevolking/Leeftijdsgroepen/25 tot 45 jaar (aantal)": _age("leeftijd_25_44", False),
                  "Bevolking/Leeftijdsgroepen/45 tot 65 jaar (aantal)": _age("leeftijd_45_64", False),
                  "Bevolking/Leeftijdsgroepen/65 jaar of ouder (aantal)": _age("leeftijd_65_plus", False)},
    KWB2024_HERKOMST: {
        "Bevolking/Aantal inwoners (aantal)": _pop("totaal"),
        "Bevolking/Bevolking naar herkomst/Herkomstland/Nederland (aantal)":
            Target("aantal_herkomst", "herkomst_nederland", "aantal", "cbs_bevolking_herkomstland", HERK),
        "Bevolking/Bevolking naar herkomst/Herkomstland/Europa (exclusief Nederland)  (aantal)":
            Target("aantal_herkomst", "herkomst_europa", "aantal", "cbs_bevolking_herkomstland", HERK),
        "Bevolking/Bevolking naar herkomst/Herkomstland/Buiten Europa  (aantal)":
            Target("aantal_herkomst", "herkomst_buiten_europa", "aantal", "cbs_bevolking_herkomstland", HERK)},
    KWB2024_JSON: {"AantalInwoners_5": _pop("totaal"), "Mannen_6": _pop("man"), "Vrouwen_7": _pop("vrouw")},
}

# ------------------------------------------------------------------ what is left out, and why

NOT_H2 = "geen thema van hoofdstuk 2"
REASONS = {
    "wonen": f"wonen (woningvoorraad, WOZ-waarde, eigendom, type, bouwjaar, leegstand, verwarming): {NOT_H2}",
    "energie": f"energieverbruik: {NOT_H2}",
    "afstand": f"afstand tot voorzieningen: {NOT_H2}",
    "voertuigen": f"motorvoertuigen: {NOT_H2}",
    "bedrijven": f"bedrijfsvestigingen: {NOT_H2}",
    "geografie": (f"oppervlakte en dichtheid: geografische kenmerken, {NOT_H2} (de mate van stedelijkheid is wel "
                  "overgenomen: die bepaalt met het inwonertal welke gemeenten vergelijkbaar zijn)"),
    "huishoudenssamenstelling": ("huishoudensgrootte en -samenstelling: geen indicator van hoofdstuk 2 (het aantal "
                                 "huishoudens is wel overgenomen)"),
    "burgerlijke_staat": f"burgerlijke staat: {NOT_H2}",
    "geboorte_sterfte": f"geboorte en sterfte: {NOT_H2}",
    "inkomensniveau": ("inkomensniveau in 1.000 euro: hoofdstuk 2 bespreekt lage inkomens en uitkeringen, niet het "
                       "gemiddelde inkomen, en het datacontract kent geen eenheid van 1.000 euro (omrekenen zou "
                       "een precisie suggereren die de bron niet geeft)"),
    "hoog_inkomen": "20% hoogste inkomens: hoofdstuk 2 bespreekt lage inkomens",
    "werkenden": "verdeling van werkenden over werknemers en zelfstandigen: geen indicator van hoofdstuk 2",
    "zorg": f"jeugdzorg en Wmo: zorg is {NOT_H2}",
    "opleiding": ("opleidingsniveau 15-75 jaar als aantallen zonder gepubliceerde noemer; hoofdstuk 2 gebruikt "
                  "hoogopgeleiden van 18-30 jaar naar herkomst, een andere maat"),
    "misdrijf_overig": ("soort misdrijf die hoofdstuk 2 niet bespreekt (de tekst noemt verdachten, Halt, vernieling en "
                        "jeugdoverlast; de beleidsindicatoren woninginbraak, geweld, vernieling en winkeldiefstal)"),
    "drugs_drank": ("veld voor drugs- of drankoverlast: vrijwel altijd 0 en de soort misdrijf achter het veld is uit "
                    "de gedeelde lijst niet vast te stellen"),
    "indelingscode": "code voor een indelingswijziging van de regio, geen waarneming",
    "tabelvoorbeeld": ("landelijk uitkeringsaantal uit een tabelvoorbeeld; het jaar staat als 'KWB 2018 edition' in "
                       "de lijst en de peildatum ontbreekt, dus het jaar van de waarneming staat niet vast"),
    "inkomen_2024": ("inkomen van huishoudens 2024 (voorlopig) in 1.000 euro en huishoudens in duizendtallen: "
                     "hoofdstuk 2 bespreekt het inkomensniveau niet, het datacontract kent geen eenheid van 1.000 "
                     "euro, en de tabel-id staat niet in de gedeelde lijst"),
}
_COLUMN_REASON = {
    **{c: "wonen" for c in ("woningvoorraad", "gem_woz_waarde", "koopwoningen", "huurwoningen", "pct_eengezins",
                           "pct_meergezins", "pct_huurcorporatie", "pct_bouwjaar_na_2000", "pct_leegstand",
                           "pct_stadsverwarming", "Woningvoorraad_35")},
    **{c: "energie" for c in ("gem_aardgas", "gem_elektriciteit")},
    **{c: "afstand" for c in ("afstand_huisarts", "afstand_supermarkt", "afstand_apotheek", "afstand_ziekenhuis",
                             "afstand_cafe", "afstand_restaurant", "afstand_kdv", "afstand_basisonderwijs",
                             "afstand_treinstation", "afstand_bibliotheek", "afstand_oprit")},
    **{c: "voertuigen" for c in ("personenautos", "motorfietsen", "auto_per_huishouden", "auto_per_km2")},
    "bedrijfsvestigingen": "bedrijven",
    **{c: "geografie" for c in ("bevolkingsdichtheid", "omgevingsadressendichtheid", "opp_land",
                               "opp_water", "Bevolkingsdichtheid_34", "OppervlakteLand_123", "OppervlakteTotaal_122",
                               "OppervlakteWater_124")},
    **{c: "huishoudenssamenstelling" for c in ("gem_huishouden_grootte", "pct_eenpersoonshhd", "pct_hhd_zonder_kind",
                                              "pct_hhd_met_kind")},
    **{c: "burgerlijke_staat" for c in ("pct_ongehuwd", "pct_gehuwd", "unmarried", "married", "divorced", "widowed")},
    **{c: "geboorte_sterfte" for c in ("geboorte_relatief", "sterfte_relatief")},
    **{c: "inkomensniveau" for c in ("gem_inkomen_inwoner", "gem_inkomen_ontvanger", "gem_gestand_inkomen",
                                    "mediaan_vermogen")},
    "pct_hh_hoog_inkomen": "hoog_inkomen",
    **{c: "werkenden" for c in ("pct_werknemers", "pct_zelfstandigen")},
    **{c: "zorg" for c in ("pct_jeugdzorg", "wmo_per_1000")},
    **{c: "opleiding" for c in ("opl_laag", "opl_midden", "opl_hoog")},
    **{c: "misdrijf_overig" for c in ("cr_diefstal_motor", "cr_inbraak_bedrijven", "cr_fraude", "cr_cybercrime")},
    "cr_drugs_drank": "drugs_drank",
    "Regioaanduiding/Indelingswijziging gemeente, wijk, buurt (code)": "indelingscode",
}
LEFT_OUT_COLUMNS: dict[tuple[str, str], str] = {}
"""(shared cbs_tabel, kolom) -> reason code in :data:`REASONS`, for columns not imported at all."""
for _table in TABLES:
    if _table == INKOMEN or _table == KWB2018_EXAMPLE:
        continue
    for _column, _reason in _COLUMN_REASON.items():
        LEFT_OUT_COLUMNS[(_table, _column)] = _reason
DUPLICATE = "duplicaat"
"""Reason code for a value that another shared row already gives for the same observation."""
REASONS[DUPLICATE] = "dezelfde CBS-waarde is al overgenomen uit een andere vindplaats van dezelfde tabel"


def reason_for(row: dict) -> str | None:
    """The reason code for leaving a whole column out, or None when the column is mapped."""
    if row["cbs_tabel"] == INKOMEN:
        return "inkomen_2024"
    if row["cbs_tabel"] == KWB2018_EXAMPLE:
        return "tabelvoorbeeld"
    return LEFT_OUT_COLUMNS.get((row["cbs_tabel"], row["kolom"]))


# ------------------------------------------------------------------ the plan


def read_shared(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for number, row in enumerate(rows, start=2):
        row["_rij"] = number
        row["_bestand"] = path.name
    return rows


def read_municipalities(path: Path) -> list[dict]:
    """The all-municipality file in the shape of the key-figure file: its ``editie`` becomes the table."""
    rows = read_shared(path)
    for row in rows:
        editie = row.pop("editie")
        if editie not in MUNICIPALITY_EDITIONS:
            raise SystemExit(f"import gestopt: {path.name} rij {row['_rij']}: onbekende editie {editie!r}")
        row["cbs_tabel"] = MUNICIPALITIES.format(editie=editie)
        row["vindplaats"] = f"{path.name}, editie {editie}"
    return rows


def municipality_regions(rows: list[dict], raw: Path = RAW) -> str:
    """``regios.csv`` with a row for every municipal code in ``rows`` that it lacks (after the hand-kept rows).

    The name is the CBS name; the remark gives the years with figures, and says when the code has no figures
    in the newest edition (the municipality was merged into another, under a new or an existing code). A name
    that another region already carries under another code stops the import.
    """
    with open(raw / "regios.csv", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, kept = reader.fieldnames, list(reader)
    known_codes = {r["code"] for r in kept if r["code"]}
    taken = {r["regio"]: r["code"] for r in kept}
    names, years = {}, defaultdict(set)
    for row in rows:
        code = row["regio_code"]
        if not code.startswith("GM") or code in known_codes:
            continue
        names[code] = row["regio_naam"].strip()
        if not row["cbs_tabel"].endswith(MUNICIPALITIES.format(editie="politie_47018ned")):
            years[code].add(int(row["jaar"].rstrip("*")))
    newest = max(y for ys in years.values() for y in ys) if years else None
    added, problems = [], []
    for code in sorted(names):
        name = names[code]
        if name in taken and taken[name] != code:
            problems.append(f"{code} heet {name!r}, een naam die regios.csv al gebruikt voor {taken[name] or 'een regio zonder code'}")
            continue
        span = sorted(years[code])
        remark = f"CBS-gemeentecode; Kerncijfers wijken en buurten {', '.join(str(y) for y in span)}"
        if span and span[-1] != newest:
            remark += (f". Na {span[-1]} opgegaan in een andere gemeente: een gemeente die daaruit ontstond, is een "
                       "nieuwe reeks")
        added.append({"regio": name, "code": code, "niveau": "gemeente", "ligt_in": "", "label": name,
                      "opmerking": remark + "."})
        taken[name] = code
    if problems:
        raise SystemExit("import gestopt:\n  " + "\n  ".join(problems))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(kept + [{k: r.get(k, "") for k in fields} for r in added])
    return out.getvalue()


def region_names(raw: Path = RAW) -> dict[str, str]:
    """CBS code -> regio name, from regios.csv (the catalogue decides the names)."""
    with open(raw / "regios.csv", encoding="utf-8", newline="") as handle:
        codes = {r["code"]: r["regio"] for r in csv.DictReader(handle) if r["code"]}
    for alias, code in REGION_ALIASES.items():
        if code in codes:
            codes[alias] = codes[code]
    return codes


def trace(row: dict) -> str:
    """The vindplaats written for a shared row: where it was found plus the column, so it can be traced back."""
    return f"{row['vindplaats']}; kolom {row['kolom']}"


def _period(target: Target, jaar: str) -> str:
    if target.indicator.startswith("misdrijven_"):
        return jaar
    return f"1 januari {jaar}"


def plan(shared: list[dict], codes: dict[str, str]) -> tuple[dict[str, list[dict]], list[tuple[dict, str]]]:
    """(rows to write per bron code, [(shared row, reason code)] left out). Raises on anything unmapped."""
    candidates: dict[tuple, list[tuple[int, dict, dict]]] = defaultdict(list)
    left_out: list[tuple[dict, str]] = []
    problems = []
    for row in shared:
        if row["cbs_tabel"] not in TABLES:
            problems.append(f"rij {row['_rij']}: onbekende tabel {row['cbs_tabel']!r}")
            continue
        reason = reason_for(row)
        if reason:
            left_out.append((row, reason))
            continue
        target = MAPPING.get(row["cbs_tabel"], {}).get(row["kolom"])
        if target is None:
            problems.append(f"rij {row['_rij']}: kolom {row['kolom']!r} van {row['cbs_tabel'][:40]!r} niet ingedeeld")
            continue
        code = REGION_ALIASES.get(row["regio_code"], row["regio_code"])
        if code not in codes:
            problems.append(f"rij {row['_rij']}: regiocode {row['regio_code']} ontbreekt in regios.csv")
            continue
        jaar, status = row["jaar"].strip(), ""
        if jaar.endswith("*"):
            jaar, status = jaar[:-1], "voorlopig"
        bron_key, priority = TABLES[row["cbs_tabel"]]
        bron = BRONNEN[bron_key]["bron"]
        out = {"indicator": target.indicator, "regio": codes[code], "groep": target.groep, "jaar": jaar,
               "waarde": row["waarde"].strip(), "eenheid": target.eenheid, "bron": bron, "reeks": target.reeks,
               "periode": _period(target, jaar), "status": status, "vindplaats": trace(row),
               "opmerking": target.note.format(kolom=row["kolom"])}
        key = (out["indicator"], out["regio"], out["groep"], out["jaar"], out["bron"], out["reeks"])
        candidates[key].append((priority, row, out))
    if problems:
        raise SystemExit("import gestopt:\n  " + "\n  ".join(problems))
    files: dict[str, list[dict]] = defaultdict(list)
    for key, found in candidates.items():
        found.sort(key=lambda item: (item[0], item[1]["cbs_tabel"], item[1]["_rij"]))
        _, kept_row, kept = found[0]
        for _, other_row, other in found[1:]:
            if float(other["waarde"]) != float(kept["waarde"]):
                raise SystemExit(f"import gestopt: {key} heeft {kept['waarde']} (rij {kept_row['_rij']}) en "
                                 f"{other['waarde']} (rij {other_row['_rij']}); beslis welke CBS-tabel telt")
            left_out.append((other_row, DUPLICATE))
        files[kept["bron"]].append(kept)
    for rows in files.values():
        rows.sort(key=lambda r: (r["indicator"], r["regio"], r["groep"], int(r["jaar"])))
    left_out.sort(key=lambda item: (item[0].get("_bestand", ""), item[0]["_rij"]))
    return dict(files), left_out


def render(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def bron_rows(used: set[str]) -> dict[str, dict]:
    return {b["bron"]: b for b in BRONNEN.values() if b["bron"] in used}


def updated_bronnen(raw: Path, ours: dict[str, dict]) -> str:
    with open(raw / "bronnen.csv", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    rows = [r for r in rows if r["bron"] not in ours] + [{k: b.get(k, "") for k in fields} for b in ours.values()]
    rows.sort(key=lambda r: r["bron"])
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def check_catalogues(files: dict[str, list[dict]], raw: Path = RAW) -> list[str]:
    """Codes the import uses that the hand-kept catalogues lack."""
    def column(name, key):
        with open(raw / name, encoding="utf-8", newline="") as handle:
            return {r[key] for r in csv.DictReader(handle)}
    known = {"indicator": column("indicatoren.csv", "indicator"), "groep": column("groepen.csv", "groep"),
             "reeks": column("reeksen.csv", "reeks")}
    missing = set()
    for rows in files.values():
        for row in rows:
            missing |= {f"{c} {row[c]}" for c in known if row[c] not in known[c]}
    return sorted(missing)


def shared_rows(shared_path: Path, municipalities_path: Path | None) -> list[dict]:
    """The rows of both shared files (the all-municipality file only when given)."""
    rows = read_shared(shared_path)
    return rows + (read_municipalities(municipalities_path) if municipalities_path is not None else [])


def outputs(shared_path: Path, raw: Path = RAW, municipalities_path: Path | None = None
            ) -> tuple[dict[Path, str], list[tuple[dict, str]]]:
    """Every file the import writes, with its content, and the rows left out.

    ``regios.csv`` is written first in memory (the municipalities it lacks), so the plan can name every region.
    """
    rows = shared_rows(shared_path, municipalities_path)
    regions = municipality_regions(rows, raw)
    with open(raw / "regios.csv", encoding="utf-8", newline="") as handle:
        current = handle.read()
    codes = {r["code"]: r["regio"] for r in csv.DictReader(io.StringIO(regions)) if r["code"]}
    for alias, code in REGION_ALIASES.items():
        if code in codes:
            codes[alias] = codes[code]
    files, left_out = plan(rows, codes)
    missing = check_catalogues(files, raw)
    if missing:
        raise SystemExit("import gestopt; voeg eerst toe aan de catalogi: " + ", ".join(missing))
    written = {raw / f"{bron}.csv": render(rows) for bron, rows in sorted(files.items())}
    written[raw / "bronnen.csv"] = updated_bronnen(raw, bron_rows(set(files)))
    if regions != current:
        written[raw / "regios.csv"] = regions
    return written, left_out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=SHARED, help="pad naar cbs_kerncijfers_2012_2024.csv")
    parser.add_argument("--gemeenten", type=Path, default=SHARED_MUNICIPALITIES,
                        help="pad naar cbs_gemeenten_2012_2023.csv (alle gemeenten)")
    parser.add_argument("--check", action="store_true", help="niets schrijven; meld verschillen met data/raw")
    args = parser.parse_args(argv)
    for path, option in ((args.shared, "--shared"), (args.gemeenten, "--gemeenten")):
        if not path.exists():
            print(f"gedeelde lijst niet gevonden: {path} (geef {option})", file=sys.stderr)
            return 2
    written, left_out = outputs(args.shared, RAW, args.gemeenten)
    differ = [p for p, text in written.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
    if args.check:
        for path in differ:
            print(f"verschilt: {path.relative_to(ROOT)}")
        return 1 if differ else 0
    for path in differ:
        path.write_text(written[path], encoding="utf-8")
    observations = {p: text for p, text in written.items() if p.name not in ("bronnen.csv", "regios.csv")}
    imported = sum(text.count("\n") - 1 for text in observations.values())
    print(f"{imported} rijen overgenomen in {len(observations)} bestanden, {len(left_out)} weggelaten; "
          f"{len(differ)} bestand(en) bijgewerkt.")
    counts: dict[str, int] = defaultdict(int)
    for _, reason in left_out:
        counts[reason] += 1
    for reason, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        print(f"  weggelaten {count:4d}: {REASONS[reason]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
