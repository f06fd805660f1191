"""The source line under every table and figure: who produced the numbers, and where they were found."""

from __future__ import annotations

from analyse.text.notation import join_words


UNKNOWN_PRODUCER = "onbekend"


def editor_line(organisation: str) -> str:
    """'bewerking gemeente Schiedam' for 'Gemeente Schiedam'; 'bewerking Onderzoeksbureau X' otherwise."""
    if organisation.startswith("Gemeente "):
        organisation = "gemeente " + organisation.removeprefix("Gemeente ")
    return f"bewerking {organisation}"


def no_policy_document(region: str) -> str:
    return (f"Voor {region} staat geen beleidsdocument in de data: de controle van de beweringen uit een "
            "beleidsdocument hoort alleen bij de rapporten van de gemeente van dat document.")


def document_source(document) -> str:
    """'Bron: Gemeente Maassluis, Samen naar een gedeelde toekomst (2019)': the policy document as a source."""
    year = str(document.date)[:4]
    return f"Bron: {document.publisher}, {document.title}" + (f" ({year})" if year else "")


def source_line(origins, editor: str | None = None) -> str:
    """'Bron: CBS (ook via Gemeente Maassluis); RADAR (via de beleidsvisie); bewerking gemeente Maassluis'.

    ``origins`` are (producer, publisher) pairs. Each producer is named once, first; where its numbers were
    found with someone else, that follows after 'via' ('ook via' when the producer also published them
    itself). An unknown producer says so.
    """
    producers: dict[str, list[str]] = {}
    for producer, publisher in origins:
        if producer.startswith(UNKNOWN_PRODUCER):
            producers.setdefault(f"{publisher} (oorspronkelijke bron niet genoemd)", [])
            continue
        found = producers.setdefault(producer, [])
        if publisher not in found:
            found.append(publisher)
    parts = []
    for producer, publishers in producers.items():
        others = [p for p in publishers if p != producer]
        if not others:
            parts.append(producer)
        else:
            parts.append(f"{producer} ({'ook ' if producer in publishers else ''}via {join_words(others)})")
    if editor:
        parts.append(editor)
    return "Bron: " + "; ".join(parts)
