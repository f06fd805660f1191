"""The lines a run prints (themes taken over, files changed by hand, nothing changed) and the warning of
``analyse validate`` for rows that no report shows."""

from __future__ import annotations

from datetime import datetime

from analyse.text.notation import count_noun, format_date, format_number


def outside_reports_line(theme: str, region: str, count: int, indicators: list[str]) -> str:
    """The validate warning for rows of ``data/raw`` that no report shows with the default parameters."""
    rows = f"{count} rij staat" if count == 1 else f"{count} rijen staan"
    names = ", ".join(indicators[:5]) + (f" en {len(indicators) - 5} meer" if len(indicators) > 5 else "")
    if not region:
        return f"Thema '{theme}': {rows} in geen rapport, want er is geen notebook voor dit thema ({names})."
    value = f"[{region!r}]" if '"' not in region and "'" not in region else "[...]"
    return (f"Thema '{theme}', {region}: {rows} in geen rapport met de standaardparameters ({names}); "
            f"toon ze met: analyse run --thema {theme} -p \"vergelijk_regios={value}\".")


def _run_moment(created: str) -> str:
    """'de run van 29 november 2026 om 14:02' for an ISO 8601 time; 'de vorige run' when there is none."""
    try:
        moment = datetime.fromisoformat(created)
    except (TypeError, ValueError):
        return "de vorige run"
    return f"de run van {format_date(moment)} om {moment:%H:%M}"


def taken_over(themes: tuple[str, ...] | list[str], created: str) -> list[str]:
    """The progress lines for themes not executed because nothing they are made from changed."""
    if not themes:
        return []
    return [f"Ongewijzigd sinds {_run_moment(created)}, overgenomen: {', '.join(themes)} "
            "(opnieuw uitvoeren: --opnieuw)."]


def changed_by_hand(changed: dict[str, tuple[str, ...]], created: str) -> list[str]:
    """The progress lines for reports that are not as the run of ``created`` made them: per theme ('' for the
    run-wide files) the files changed, removed or added, and what is made again."""
    lines = []
    for theme, files in sorted(changed.items()):
        shown = ", ".join(files[:5]) + (f" en {len(files) - 5} meer" if len(files) > 5 else "")
        again = f"{theme} wordt opnieuw gemaakt" if theme else "de publicatiebestanden worden opnieuw gemaakt"
        lines.append(f"Let op: niet meer zoals {_run_moment(created)} ze maakte (met de hand veranderd, weggehaald "
                     f"of toegevoegd): {shown}; {again}.")
    return lines


def unusable_manifest(reason: str) -> str:
    """The progress line for a ``manifest.json`` that cannot be used: the run takes nothing over."""
    return f"Let op: {reason.rstrip('.')}; behandeld als geen vorige run, dus alles wordt opnieuw gemaakt."


def nothing_changed(themes: tuple[str, ...] | list[str], created: str, seconds: float) -> str:
    """The closing line of a run that had nothing to do."""
    return (f"Niets veranderd sinds {_run_moment(created)} (data, notebooks, parameters, instellingen en code): "
            f"de rapporten van {', '.join(themes)} zijn actueel en blijven zoals ze zijn ({seconds:.0f} s). "
            "Toch opnieuw uitvoeren: analyse run --opnieuw.")


def batch_summary(outcomes, seconds: float) -> list[str]:
    """The closing lines of a batch: how many regions were published, unchanged, refused or failed, and why."""
    counts = {status: [o for o in outcomes if o.status == status]
              for status in ("gepubliceerd", "ongewijzigd", "geweigerd", "mislukt")}
    lines = [f"Samenvatting ({len(outcomes)} gemeenten, {format_number(seconds, 0)} s): "
             + ", ".join(f"{len(found)} {status}" for status, found in counts.items() if found) + "."]
    skipped: dict[str, int] = {}
    for outcome in outcomes:
        for theme in outcome.skipped:
            skipped[theme.title] = skipped.get(theme.title, 0) + 1
    if skipped:
        lines.append("  Overgeslagen thema's (geen gegevens): "
                     + "; ".join(f"{title} bij {count_noun(n, 'gemeente', 'gemeenten')}"
                                 for title, n in sorted(skipped.items())) + ".")
    for outcome in counts["geweigerd"] + counts["mislukt"]:
        lines.append(f"  {outcome.region}: {outcome.status}. {outcome.reason}")
    return lines
