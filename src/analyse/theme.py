"""One theme's analysis for a notebook: window, figures, changes, trends, register, key messages.

A theme notebook creates a :class:`Theme` from its parameters and calls its methods top to bottom;
everything it shows is also written to ``output_dir`` (figures, tables, ``kerncijfers.json``).
Paths resolve from the project folder (:func:`analyse.data.project_root`), never from the working
directory: ``analyse run`` passes both folders, and a notebook run in JupyterLab with its defaults reads
``data/`` and writes to :data:`INTERACTIVE_DIR`, so the published ``reports/`` stay as the last run left them.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from pathlib import Path

import pandas as pd
from IPython.display import Markdown

from analyse import data, indicators, monitor, plots, register, text, trends

TITLES = {**data.THEMES, "monitor": "Doelenmonitor hoofdstuk 4"}
EDITOR = "bewerking gemeente Maassluis"
# where a notebook run by hand (JupyterLab, output_dir None) writes, relative to the project folder
INTERACTIVE_DIR = Path("reports") / "interactief"
FIGURE_CACHE = ".figuren.json"
_STYLE_VERSION = hashlib.sha256(Path(plots.__file__).read_bytes()).hexdigest()


def _fingerprint(*parts) -> str:
    """A stable digest of a figure's inputs (data frames by content) and of the house style."""
    digest = hashlib.sha256(_STYLE_VERSION.encode())
    for part in parts:
        if isinstance(part, dict):
            for key in sorted(part):
                digest.update(key.encode())
                value = part[key]
                digest.update(value.to_csv(index=False).encode() if isinstance(value, pd.DataFrame) else
                              repr(sorted(value.items()) if isinstance(value, dict) else value).encode())
        elif isinstance(part, pd.DataFrame):
            digest.update(part.to_csv(index=False).encode())
        else:
            digest.update(repr(part).encode())
    return digest.hexdigest()


def _lower_first(text_: str) -> str:
    """For use mid-sentence: 'Niet-westerse ...' -> 'niet-westerse ...', but 'Marokkaanse ...' stays."""
    first = text_.split(" ", 1)[0]
    if first.endswith(("aanse", "aamse", "kse", "lse", "ndse")) and not first.startswith(("Westerse", "Niet")):
        return text_
    return text_[:1].lower() + text_[1:]


def _title(label: str, *parts: str) -> str:
    """'Label, part, part': leaves out 'Totaal' and parts the label already names."""
    kept = [p for p in parts if p and p != "Totaal" and p.lower() not in label.lower()]
    return ", ".join([label, *kept])


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


class FigureView:
    """A saved figure as a notebook shows it: the PNG with one or two sentences of reading guidance under it."""

    def __init__(self, png: Path, titel: str, leeswijzer: str):
        self.png, self.titel, self.leeswijzer = png, titel, leeswijzer

    def _repr_html_(self) -> str:
        image = base64.b64encode(self.png.read_bytes()).decode("ascii")
        return (f'<figure style="margin:0 0 1.5em 0"><img src="data:image/png;base64,{image}" width="640" '
                f'alt="{html.escape(self.titel)}"><figcaption style="max-width:640px;font-size:90%">'
                f'<b>Zo leest u deze figuur.</b> {html.escape(self.leeswijzer)}</figcaption></figure>')

    def __repr__(self) -> str:
        return f"{self.titel}\n{self.leeswijzer}"


class Theme:
    """The analysis of one chapter-2 theme for one region and window."""

    def __init__(self, thema: str, *, regio: str = "Maassluis", vergelijk_regios: list[str] | None = None,
                 start_jaar: int | None = None, eind_jaar: int | None = None, data_dir: str | Path | None = None,
                 output_dir: str | Path | None = None):
        self.thema = thema
        self.regio = regio
        self.vergelijk_regios = list(vergelijk_regios or [])
        self.interactive = output_dir is None
        self.root = data.project_root() if data_dir is None or output_dir is None else None
        if self.root is not None:
            data_dir = self.root / "data" if data_dir is None else data_dir
            output_dir = self.root / INTERACTIVE_DIR if output_dir is None else output_dir
        self.dataset = data.load(data_dir)
        self.output_dir = Path(output_dir).resolve()
        self.figure_dir = self.output_dir / "figures" / thema
        self.table_dir = self.output_dir / "tables" / thema
        all_obs = self.dataset.observations
        self.labels = dict(zip(self.dataset.indicatoren["indicator"], self.dataset.indicatoren["label"]))
        self.units = dict(zip(self.dataset.indicatoren["indicator"], self.dataset.indicatoren["eenheid"]))
        self.group_labels = dict(zip(self.dataset.groepen["groep"], self.dataset.groepen["label"]))
        self.region_labels = dict(zip(self.dataset.regios["regio"], self.dataset.regios["label"]))
        self.publishers = dict(zip(self.dataset.bronnen["bron"], self.dataset.bronnen["uitgever"]))
        data.check_parameters(self.dataset, {"regio": regio, "vergelijk_regios": self.vergelijk_regios,
                                             "start_jaar": start_jaar, "eind_jaar": eind_jaar}, [thema])
        theme_obs = all_obs[all_obs["thema"] == thema] if thema in data.THEMES else all_obs
        own_years = sorted(theme_obs.loc[theme_obs["regio"] == regio, "jaar"].unique())
        if not own_years:
            raise data.ParameterError(f"geen gegevens voor thema '{thema}' in {regio}.")
        self.eind_jaar = int(eind_jaar) if eind_jaar is not None else int(own_years[-1])
        earlier = [y for y in own_years if y <= self.eind_jaar]
        if start_jaar is None and not earlier:
            raise data.ParameterError(f"thema '{thema}' heeft voor {regio} geen gegevens tot en met {self.eind_jaar}; "
                                      f"jaren met gegevens: {', '.join(str(y) for y in own_years)}.")
        self.start_jaar = int(start_jaar) if start_jaar is not None else int(earlier[0])
        if self.start_jaar > self.eind_jaar:
            raise data.ParameterError(f"start_jaar {self.start_jaar} ligt na eind_jaar {self.eind_jaar}.")
        regios = self.dataset.regios
        parts = list(regios.loc[regios["ligt_in"] == regio, "regio"]) if "ligt_in" in regios else []
        regions = [regio, *self.vergelijk_regios, *parts]  # neighbourhoods of the region come along
        self.obs = indicators.select(theme_obs, regio=regions, start=self.start_jaar, end=self.eind_jaar)
        self.all_theme_obs = theme_obs
        self.figures: list[dict] = []
        self.tables: list[dict] = []
        self.messages: list[str] = []
        self.key_figures: list[dict] = []
        self.warnings: list[str] = []
        self.key_table: str | None = None
        self._cache = _read_json(self.figure_dir / FIGURE_CACHE)
        self._drawn: dict[str, str] = {}
        self._fitted: pd.DataFrame | None = None
        self._monitor: pd.DataFrame | None = None

    # ------------------------------------------------------------------ helpers

    @property
    def titel(self) -> str:
        return TITLES.get(self.thema, self.thema)

    def kop(self) -> Markdown:
        """The line under a notebook's title: region, window, comparison and where the outputs go."""
        if self.thema == "monitor":
            parts = [f"**Regio:** {self.regio}", f"**Metingen tot en met:** {self.eind_jaar}"]
        else:
            parts = [f"**Regio:** {self.regio}", f"**Venster:** {self.venster_tekst()}",
                     f"**Vergelijking:** {', '.join(self.vergelijk_regios) or 'geen'}"]
        line = " &nbsp; ".join(parts)
        if self.interactive:
            line += (f"\n\n*Interactief uitgevoerd: figuren en tabellen gaan naar `{self._shown_path(self.output_dir)}/`;"
                     " de rapporten van `make report` in `reports/` blijven zoals ze zijn.*")
        return Markdown(line)

    def _shown_path(self, path: Path) -> str:
        """``path`` relative to the project folder where it lies inside it, else as it is."""
        if self.root is not None and path.is_relative_to(self.root):
            return path.relative_to(self.root).as_posix()
        return path.as_posix()

    def bronnen(self) -> pd.DataFrame:
        """The sources behind this theme's figures in the window, as listed in ``data/raw/bronnen.csv``."""
        sources = self.dataset.bronnen.set_index("bron")
        rows = []
        for bron, obs in self.obs.groupby("bron", sort=True):
            known = bron in sources.index
            rows.append({"Bron": sources.at[bron, "naam"] if known else bron,
                         "Uitgever": sources.at[bron, "uitgever"] if known else "",
                         "Indicatoren": obs["indicator"].nunique(),
                         "Jaren": self._span(obs),
                         "Vindplaats": sources.at[bron, "adres"] if known else ""})
        return pd.DataFrame(rows)

    def venster_tekst(self) -> str:
        return f"{self.start_jaar}-{self.eind_jaar}" if self.start_jaar != self.eind_jaar else str(self.eind_jaar)

    def source_line(self, rows: pd.DataFrame) -> str:
        """'Bron: <publishers>; bewerking gemeente Maassluis' for the sources behind ``rows``."""
        names = dict.fromkeys(self.publisher(code) for code in sorted(rows["bron"].unique()))
        return f"Bron: {', '.join(names)}; {EDITOR}"

    def label(self, indicator: str) -> str:
        return self.labels.get(indicator, indicator)

    def _series_labels(self) -> dict[str, str]:
        return {**self.group_labels, **self.region_labels}

    def _save_table(self, name: str, table: pd.DataFrame, titel: str, bron: str, kolommen: dict[str, str]) -> None:
        self.table_dir.mkdir(parents=True, exist_ok=True)
        path = self.table_dir / f"{name}.csv"
        table.to_csv(path, index=False, lineterminator="\n")
        self.tables = [t for t in self.tables if t["naam"] != name]
        self.tables.append({"naam": name, "csv": str(path.relative_to(self.output_dir)), "titel": titel,
                            "bron": bron, "kolommen": kolommen})

    def _figure(self, plot, rows: pd.DataFrame, *, name: str, indicator: str, titel: str, bron: str,
                nota: bool, leeswijzer: str, **kwargs) -> FigureView:
        """Draw with ``plot`` and save as PNG and SVG, unless the same figure is already there.

        A figure is identified by a fingerprint of its data, its arguments and the house style; the runner
        hands each run the previous run's figures, so an unchanged figure is not drawn again.
        """
        png, svg = self.figure_dir / f"{name}.png", self.figure_dir / f"{name}.svg"
        key = _fingerprint(plot.__name__, rows, titel, bron, kwargs)
        if not (self._cache.get(name) == key and png.exists() and svg.exists()):
            for path in (png, svg):  # never write through to a file the previous run published
                path.unlink(missing_ok=True)
            plots.save_figure(plot(rows, title=titel, bron=bron, **kwargs), self.figure_dir, name)
        self._drawn[name] = key
        self.figures = [f for f in self.figures if f["naam"] != name]
        self.figures.append({"naam": name, "indicator": indicator, "png": str(png.relative_to(self.output_dir)),
                             "svg": str(svg.relative_to(self.output_dir)), "titel": titel, "bron": bron,
                             "leeswijzer": leeswijzer, "nota": nota})
        return FigureView(png, titel, leeswijzer)

    # ------------------------------------------------------------------ overview

    def beschikbaarheid(self) -> pd.DataFrame:
        """Which years each indicator has in the window, per region and group (missing years stay missing)."""
        rows = []
        for (indicator, regio, groep), series in self.obs.groupby(indicators.SERIES_KEY, sort=True):
            years = sorted(series["jaar"].unique())
            rows.append({"Indicator": self.label(indicator), "Regio": regio,
                         "Groep": self.group_labels.get(groep, groep),
                         "Jaren": ", ".join(str(y) for y in years),
                         "Bronnen": ", ".join(sorted(series["bron"].unique()))})
        return pd.DataFrame(rows)

    def overzicht(self) -> pd.DataFrame:
        """First and last year of every series in the window and the change, in the right unit."""
        table = indicators.changes(self.obs)
        table["verschil"] = [
            round(r.verschil, max(text.published_decimals(r.waarde_van), text.published_decimals(r.waarde_tot)))
            if pd.notna(r.verschil) else r.verschil for r in table.itertuples()]
        table["verandering"] = [
            text.format_change(text.change(r.waarde_van, r.waarde_tot, r.eenheid)) if pd.notna(r.verschil) else
            r.opmerking for r in table.itertuples()]
        table["groep_label"] = table["groep"].map(lambda g: self.group_labels.get(g, g))
        table["bron_naam"] = table["bron"].map(self.publisher)
        kolommen = {"label": "Indicator", "regio": "Regio", "groep_label": "Groep", "jaar_van": "Van (jaar)",
                    "waarde_van": "Waarde van", "jaar_tot": "Tot (jaar)", "waarde_tot": "Waarde tot",
                    "verandering": "Verandering", "bron_naam": "Bron"}
        if table["noemer_tot"].notna().any():  # a share or rate is shown with what it rests on
            kolommen = {**dict(list(kolommen.items())[:7]), "teller_tot": "Teller", "noemer_tot": "Noemer",
                        **dict(list(kolommen.items())[7:])}
        self._save_table("overzicht", table, f"{self.titel}: eerste en laatste meting, {self.venster_tekst()}",
                         self.source_line(self.obs), kolommen)
        self.key_table = self.key_table or "overzicht"
        shown = table.copy()
        for column in ("waarde_van", "waarde_tot"):
            shown[column] = [text.format_value(v, u, text.published_decimals(v))
                             for v, u in zip(shown[column], shown["eenheid"])]
        return shown[list(kolommen)].rename(columns=kolommen)

    def publisher(self, bron: str) -> str:
        """The publisher of a source code, as named in ``bronnen.csv``."""
        return self.publishers.get(bron, bron)

    # ------------------------------------------------------------------ trends

    def trends(self) -> pd.DataFrame:
        """Trend estimates for every series in the window (refusals carry their reason)."""
        records, fitted = trends.fit_trends(self.obs)
        records = records.copy()
        records.insert(0, "thema", self.thema)
        records["label"] = records["indicator"].map(self.label)
        records["zin"] = [text.sentence_trend(r) for r in records.to_dict("records")]
        self._fitted = fitted
        self._save_table("trends", records, f"{self.titel}: trendschattingen {self.venster_tekst()}",
                         self.source_line(self.obs),
                         {"label": "Indicator", "regio": "Regio", "groep": "Groep", "methode": "Methode",
                          "n_jaren": "Jaren", "helling": "Helling per jaar", "helling_ondergrens": "95%-ondergrens",
                          "helling_bovengrens": "95%-bovengrens", "p_waarde": "p-waarde", "zin": "Toelichting"})
        shown = records[["label", "regio", "groep", "methode", "n_jaren", "zin"]].copy()
        shown["groep"] = shown["groep"].map(lambda g: self.group_labels.get(g, g))
        return shown.rename(columns={"label": "Indicator", "regio": "Regio", "groep": "Groep", "methode": "Methode",
                                     "n_jaren": "Jaren", "zin": "Trend"})

    def groepsverschil(self, indicator: str, groep_a: str, groep_b: str, *, regio: str | None = None,
                       onderwerp: str | None = None):
        """Do two groups grow toward each other? The gap a − b per common year, its trend and a sentence.

        Uses every year up to ``eind_jaar`` (a reference series is not cut at the start of the window).
        The sentence becomes a key message; the gap table is saved as ``verschil_<indicator>_<a>_<b>.csv``.
        """
        regio = regio or self.regio
        rows = indicators.select(self.all_theme_obs, indicator=indicator, regio=regio, end=self.eind_jaar)
        gap = trends.compare_groups(rows[rows["groep"] == groep_a], rows[rows["groep"] == groep_b])
        a, b = (_lower_first(self.group_labels.get(g, g)) for g in (groep_a, groep_b))
        unit = "procentpunt" if gap.eenheid == "procent" else self.units[indicator].replace("_", " ")
        subject = f"Het verschil in {onderwerp or _lower_first(self.label(indicator))} tussen {a} en {b} ({regio})"
        if gap.reden:
            sentence = f"{subject}: geen trend te schatten. {gap.reden}"
        else:
            words = {"convergeert": "wordt kleiner: de groepen groeien naar elkaar toe",
                     "divergeert": "wordt groter: de groepen groeien uit elkaar",
                     "onduidelijk": "verandert niet aantoonbaar"}
            sentence = (f"{subject} {words.get(gap.verdict, 'is onduidelijk')} "
                        f"({gap.eerste_jaar}-{gap.laatste_jaar}, {gap.n_jaren} jaren; verandering van het verschil "
                        f"{text.format_number(gap.helling, 2)} {unit} per jaar, 95%-interval "
                        f"{text.format_number(gap.helling_ondergrens, 2)} tot "
                        f"{text.format_number(gap.helling_bovengrens, 2)}"
                        f"{'; indicatief: weinig meetpunten' if gap.indicatief else ''}).")
            if gap.bron_a != gap.bron_b:
                sentence += f" Let op: de twee reeksen komen uit verschillende bronnen ({gap.bron_a}, {gap.bron_b})."
        self.messages.append(sentence)
        table = gap.verschillen.copy()
        name = f"verschil_{indicator}_{groep_a}_{groep_b}"
        self._save_table(name, table, f"{subject}, per jaar", self.source_line(rows),
                         {"jaar": "Jaar", "waarde_a": self.group_labels.get(groep_a, groep_a),
                          "waarde_b": self.group_labels.get(groep_b, groep_b), "verschil": "Verschil"})
        display_table = table.rename(columns={"jaar": "Jaar", "waarde_a": self.group_labels.get(groep_a, groep_a),
                                              "waarde_b": self.group_labels.get(groep_b, groep_b),
                                              "verschil": "Verschil"})
        return display_table.style.set_caption(sentence).format(precision=2, decimal=",", thousands=".")

    def _fitted_for(self, indicator: str, hue: str, keys: list[str], fixed: dict) -> pd.DataFrame | None:
        if self._fitted is None or self._fitted.empty:
            return None
        sel = self._fitted[(self._fitted["indicator"] == indicator) & self._fitted[hue].isin(keys)]
        for column, value in fixed.items():
            sel = sel[sel[column] == value]
        return sel if not sel.empty else None

    # ------------------------------------------------------------------ figures

    def figuur(self, indicator: str, *, per: str = "groep", groepen: list[str] | None = None,
               regios: list[str] | None = None, regio: str | None = None, titel: str | None = None,
               naam: str | None = None, nota: bool = True):
        """Line figure of one indicator over the window, by group (one region) or by region (one group).

        ``regio`` (default: the theme's region) picks the region for a figure by group, e.g. the national
        reference series. Fitted trends and the policy target are drawn where they exist. ``nota=False``
        keeps the figure out of the Word note (it stays in the notebook report and on disk).
        """
        if per == "groep":
            regio = regio or self.regio
            rows = indicators.select(self.obs, indicator=indicator, regio=regio, groep=groepen)
            fixed = {"regio": regio}
        else:
            groep = (groepen or ["totaal"])[0]
            rows = indicators.select(self.obs, indicator=indicator, groep=groep,
                                     regio=regios or [self.regio, *self.vergelijk_regios])
            fixed = {"groep": groep}
        if rows.empty:
            return self._missing(indicator)
        rows = pd.concat([indicators.preferred_source(s) for _, s in rows.groupby(per)], ignore_index=True)
        where = fixed["regio"] if per == "groep" else self.group_labels.get(fixed["groep"], fixed["groep"])
        titel = titel or _title(self.label(indicator), where, self._span(rows))
        bron = self.source_line(rows)
        trend = self._fitted_for(indicator, per, list(rows[per].unique()), fixed)
        doel, eenheid = self._target(indicator), self.units[indicator]
        trend_keys = 0 if trend is None else trend[per].nunique()
        leeswijzer = text.figure_guidance(
            "lijn", per=per, eenheid=eenheid, series=rows[per].nunique(), trends=trend_keys,
            bands=plots.draws_trend_bands(trend_keys), doel=doel, zero_based=eenheid in plots.ZERO_BASED_UNITS)
        return self._figure(
            plots.series_figure, rows, name=naam or f"{indicator}_{fixed.get('regio', fixed.get('groep'))}_per_{per}".lower(),
            indicator=indicator, titel=titel, bron=bron, nota=nota, leeswijzer=leeswijzer, hue=per,
            labels=self._series_labels(), eenheid=eenheid, trend=trend, doel=doel)

    def vergelijking(self, indicator: str, *, groep: str = "totaal", jaar: int | None = None,
                     per: str = "regio", groepen: list[str] | None = None, regio: str | None = None,
                     titel: str | None = None, naam: str | None = None, nota: bool = True):
        """Bar figure for one year: the region against the comparison regions, or groups side by side."""
        regio = regio or self.regio
        if per == "regio":
            rows = indicators.select(self.obs, indicator=indicator, groep=groep)
        else:
            rows = indicators.select(self.obs, indicator=indicator, regio=regio, groep=groepen)
        if rows.empty:
            return self._missing(indicator)
        jaar = jaar or int(rows["jaar"].max())
        rows = rows[rows["jaar"] == jaar]
        rows = pd.concat([indicators.preferred_source(s) for _, s in rows.groupby(per)], ignore_index=True)
        what = self.group_labels.get(groep, groep) if per == "regio" else regio
        titel = titel or _title(self.label(indicator), what, str(jaar))
        bron = self.source_line(rows)
        plot = plots.rank_figure if self.units[indicator] == "rang" else plots.bar_figure
        kwargs = {} if plot is plots.rank_figure else {"eenheid": self.units[indicator]}
        leeswijzer = text.figure_guidance("rang" if plot is plots.rank_figure else "staaf", per=per,
                                          eenheid=self.units[indicator], series=rows[per].nunique(), jaar=jaar,
                                          sources=rows["bron"].nunique())
        return self._figure(plot, rows, name=naam or f"{indicator}_{per}_{jaar}".lower(), indicator=indicator,
                            titel=titel, bron=bron, nota=nota, leeswijzer=leeswijzer, category=per,
                            labels=self._series_labels(), **kwargs)

    def alle_figuren(self) -> list:
        """A figure for every indicator of the theme not shown yet, in the form its data allow.

        Ranks as a rank chart; several groups in a region over years as lines, in one year as bars;
        one group in several regions likewise. New indicators in ``data/raw`` thus appear without
        editing the notebook.
        """
        shown = {f["indicator"] for f in self.figures}
        made = []
        for indicator in sorted(set(self.obs["indicator"]) - shown):
            rows = self.obs[self.obs["indicator"] == indicator]
            regio = self.regio if (rows["regio"] == self.regio).any() else sorted(rows["regio"].unique())[0]
            own = rows[rows["regio"] == regio]
            several_years = own.groupby("groep")["jaar"].nunique().max() > 1
            if self.units[indicator] == "rang":
                for jaar in sorted(own["jaar"].unique()):
                    made.append(self.vergelijking(indicator, per="groep", regio=regio, jaar=int(jaar), nota=False))
            elif own["groep"].nunique() > 1 or rows["regio"].nunique() == 1:
                made.append(self.figuur(indicator, per="groep", regio=regio, nota=False) if several_years
                            else self.vergelijking(indicator, per="groep", regio=regio, nota=False))
            else:
                groep = own["groep"].iloc[0]
                one_group = rows[rows["groep"] == groep]
                made.append(self.figuur(indicator, per="regio", groepen=[groep], nota=False)
                            if one_group.groupby("regio")["jaar"].nunique().max() > 1
                            else self.vergelijking(indicator, groep=groep, nota=False))
        return made

    def _span(self, rows: pd.DataFrame) -> str:
        first, last = int(rows["jaar"].min()), int(rows["jaar"].max())
        return str(first) if first == last else f"{first}-{last}"

    def _missing(self, indicator: str) -> Markdown:
        note = (f"Geen gegevens voor '{self.label(indicator)}' in {self.regio} in {self.venster_tekst()}: "
                "geen figuur.")
        self.warnings.append(note)
        return Markdown(f"*{note}*")

    def _target(self, indicator: str) -> tuple[int, float] | None:
        ind = self.dataset.indicatoren.set_index("indicator")
        if indicator not in ind.index or "doel_type" not in ind.columns:
            return None
        row = ind.loc[indicator]
        if row.get("doel_type") == "niveau" and row.get("doel_jaar") and row.get("doel_waarde"):
            return int(row["doel_jaar"]), float(row["doel_waarde"])
        return None

    # ------------------------------------------------------------------ warnings, register, messages

    def kleine_groepen(self) -> pd.DataFrame:
        """Figures resting on few cases, with a warning per indicator and group."""
        few = indicators.small_groups(self.obs)
        for (indicator, regio, groep), rows in few.groupby(indicators.SERIES_KEY):
            basis = rows["noemer"].dropna()
            basis = basis if not basis.empty else rows["teller"].dropna()
            self.warnings.append(
                f"{self.label(indicator)} ({self.group_labels.get(groep, groep)}, {regio}) rust op weinig "
                f"waarnemingen (minimaal {text.format_number(basis.min())}): verschillen tussen jaren kunnen "
                "toeval zijn.")
        return few

    def waarschuw(self, tekst: str) -> Markdown:
        """Add a warning from the notebook's own reading of the data (shown here and in the reports)."""
        self.warnings.append(tekst)
        return Markdown(f"**Let op.** {tekst}")

    def register(self) -> pd.DataFrame:
        """Recompute every statement of this theme in the reproduction register."""
        claims = self.dataset.beweringen[self.dataset.beweringen["thema"] == self.thema]
        table = register.reproduce(claims, self.dataset.observations)
        self._save_table("reproductie", table, f"{self.titel}: reproductie van de beweringen in hoofdstuk 2",
                         "Bron: Beleidsvisie Integratie Maassluis (2019); " + EDITOR,
                         {"id": "Id", "citaat": "Citaat", "verwacht": "Verwacht", "berekend": "Berekend",
                          "status": "Status", "toelichting": "Toelichting"})
        return table.drop(columns=["thema"])

    def _monitor_table(self) -> pd.DataFrame:
        if self._monitor is None:
            self._monitor = monitor.monitor_table(self.dataset.indicatoren, self.dataset.observations, self.regio,
                                                  self.eind_jaar)
        return self._monitor

    def doelen(self) -> pd.DataFrame:
        """The target monitor: every chapter-4 target with baseline, latest value, projection and verdict."""
        table = self._monitor_table()
        self._save_table("monitor", table, f"Doelenmonitor hoofdstuk 4, {self.regio}, metingen tot en met {self.eind_jaar}",
                         "Bron: Beleidsvisie Integratie Maassluis (2019) en de waarnemingen in data/raw; " + EDITOR,
                         {"label": "Indicator", "doel_omschrijving": "Doel", "groep": "Groep",
                          "basis_waarde": "Basis", "basis_jaar": "Basisjaar", "laatste_waarde": "Laatste meting",
                          "laatste_jaar": "Jaar", "doel_waarde": "Doelwaarde", "doel_jaar": "Doeljaar",
                          "projectie": "Verwacht in doeljaar", "oordeel": "Oordeel", "toelichting": "Toelichting"})
        self.key_table = "monitor"
        for verdict, count in table["oordeel"].value_counts().sort_index().items():
            self.key_figures.append({"indicator": "doelen", "label": f"Doelen met oordeel '{verdict}'",
                                     "regio": self.regio, "groep": "totaal", "jaar": self.eind_jaar,
                                     "waarde": float(count), "eenheid": "aantal", "tekst": str(count)})
        return self._monitor_shown(table)

    def _monitor_shown(self, table: pd.DataFrame) -> pd.DataFrame:
        """The monitor as a reader sees it: Dutch headings, values with their unit, years without decimals."""
        shown = pd.DataFrame({"Indicator": table["label"],
                              "Groep": table["groep"].map(lambda g: self.group_labels.get(g, g))})
        units = table["indicator"].map(self.units)
        for column, heading in (("basis", "Basis"), ("laatste", "Laatste meting")):
            shown[heading] = [text.format_value(v, u, text.published_decimals(v))
                              for v, u in zip(pd.to_numeric(table[f"{column}_waarde"]), units)]
            shown[f"{heading}: jaar"] = [str(int(y)) if pd.notna(y) else "–" for y in pd.to_numeric(table[f"{column}_jaar"])]
        shown["Doel"] = table["doel_omschrijving"]
        shown["Oordeel"] = table["oordeel"].str.replace("_", " ")
        shown["Toelichting"] = table["toelichting"]
        return shown

    def doel_reeksen(self) -> list[tuple[str, str]]:
        """(indicator, group) of every numeric target that has measurements in the region."""
        pairs = []
        for target, groep in monitor.target_series(self.dataset.indicatoren):
            measured = not indicators.select(self.obs, indicator=target["indicator"], regio=self.regio,
                                             groep=groep).empty
            if target["doel_type"] == "niveau" and measured:
                pairs.append((target["indicator"], groep))
        return pairs

    def zin_doelen(self) -> str:
        """Key message: how many targets have which verdict."""
        table = self._monitor_table()
        counts = table["oordeel"].value_counts()
        parts = [f"{count} {verdict.replace('_', ' ')}" for verdict, count in counts.sort_index().items()]
        sentence = (f"Van de {len(table)} doelen uit hoofdstuk 4 (per groep geteld) is met metingen tot en met "
                    f"{self.eind_jaar} het oordeel: {', '.join(parts)}.")
        self.messages.append(sentence)
        return sentence

    def _series(self, indicator: str, regio: str, groep: str) -> pd.DataFrame:
        rows = indicators.select(self.obs, indicator=indicator, regio=regio, groep=groep)
        return indicators.preferred_source(rows).sort_values("jaar")

    def zin_verandering(self, indicator: str, *, groep: str = "totaal", regio: str | None = None,
                        onderwerp: str | None = None, eenheid_woord: str | None = None) -> str:
        """Key message: the change between the first and last measured year of the window."""
        regio = regio or self.regio
        series = self._series(indicator, regio, groep)
        if series["jaar"].nunique() < 2:
            subject = _lower_first(onderwerp or self.label(indicator))
            where = regio if groep == "totaal" or onderwerp else f"{_lower_first(self.group_labels.get(groep, groep))}, {regio}"
            measured = (f"alleen {int(series['jaar'].iloc[0])} gemeten" if len(series)
                        else "geen metingen")
            sentence = (f"{subject[0].upper()}{subject[1:]} ({where}): in {self.venster_tekst()} {measured}, "
                        "dus geen verandering te berekenen.")
        else:
            first, last = series.iloc[0], series.iloc[-1]
            sentence = text.sentence_change(
                onderwerp or self.label(indicator), regio, int(first["jaar"]), first["waarde"], int(last["jaar"]),
                last["waarde"], first["eenheid"], eenheid_woord=eenheid_woord, voorzetsel="van" if eenheid_woord else "in",
                groep_label=None if groep == "totaal" or onderwerp else _lower_first(self.group_labels.get(groep, groep)))
            self._key_figure(last)
        self.messages.append(sentence)
        return sentence

    def zin_vergelijking(self, indicator: str, *, groep: str = "totaal", jaar: int | None = None,
                         onderwerp: str | None = None) -> str:
        """Key message: the region against the comparison regions in one year."""
        rows = indicators.select(self.obs, indicator=indicator, groep=groep)
        own = rows[rows["regio"] == self.regio]
        if own.empty:
            sentence = (f"{onderwerp or self.label(indicator)} ({self.regio}): geen gegevens in "
                        f"{self.venster_tekst()}.")
            self.messages.append(sentence)
            return sentence
        jaar = jaar or int(own["jaar"].max())
        rows = rows[rows["jaar"] == jaar]
        values = {r: indicators.preferred_source(s).iloc[0]["waarde"] for r, s in rows.groupby("regio")}
        others = {r: v for r, v in values.items() if r != self.regio}
        if not others:
            subject = _lower_first(onderwerp or self.label(indicator))
            group = "" if groep == "totaal" else f" ({_lower_first(self.group_labels.get(groep, groep))})"
            sentence = (f"In {jaar} zijn er voor {subject}{group} in {self.regio} geen vergelijkingscijfers van "
                        f"{', '.join(self.vergelijk_regios) or 'andere regio’s'}.")
        else:
            subject = onderwerp or self.label(indicator)
            sentence = text.sentence_comparison(subject[0].lower() + subject[1:], jaar, self.regio,
                                                values[self.regio], others, self.units[indicator])
        self.messages.append(sentence)
        return sentence

    def zin(self, tekst: str) -> str:
        """A key message written in the notebook (use for what the data cannot phrase by itself)."""
        self.messages.append(tekst)
        return tekst

    def _key_figure(self, row: pd.Series) -> None:
        self.key_figures.append({
            "indicator": row["indicator"], "label": self.label(row["indicator"]), "regio": row["regio"],
            "groep": row["groep"], "jaar": int(row["jaar"]), "waarde": float(row["waarde"]),
            "eenheid": row["eenheid"],
            "tekst": text.format_value(row["waarde"], row["eenheid"], text.published_decimals(row["waarde"]))})

    def kernboodschappen(self) -> str:
        """The key messages as a Markdown list (display with ``IPython.display.Markdown``)."""
        return "\n".join(f"- {m}" for m in self.messages)

    def opslaan(self) -> Markdown:
        """Write ``kerncijfers.json`` for the export step and say what was saved."""
        self.table_dir.mkdir(parents=True, exist_ok=True)
        content = {
            "thema": self.thema, "titel": self.titel,
            "parameters": {"regio": self.regio, "vergelijk_regios": self.vergelijk_regios,
                           "start_jaar": self.start_jaar, "eind_jaar": self.eind_jaar},
            "kernboodschappen": self.messages, "kerncijfers": self.key_figures, "figuren": self.figures,
            "tabellen": self.tables, "sleuteltabel": self.key_table, "waarschuwingen": list(dict.fromkeys(self.warnings)),
        }
        self.figure_dir.mkdir(parents=True, exist_ok=True)
        for stale in self.figure_dir.iterdir():  # figures of an earlier run that this run did not make
            if stale.suffix in (".png", ".svg") and stale.stem not in self._drawn:
                stale.unlink()
        (self.figure_dir / FIGURE_CACHE).write_text(json.dumps(self._drawn, indent=1, sort_keys=True), encoding="utf-8")
        path = self.table_dir / "kerncijfers.json"
        path.write_text(json.dumps(content, indent=2, ensure_ascii=False), encoding="utf-8")
        where = self._shown_path(self.output_dir) + "/" if self.interactive else ""
        return Markdown(f"Opgeslagen: {len(self.figures)} figuren, {len(self.tables)} tabellen, "
                        f"{len(self.messages)} kernboodschappen en `kerncijfers.json` in "
                        f"`{where}tables/{self.thema}/` (figuren in `{where}figures/{self.thema}/`).")
