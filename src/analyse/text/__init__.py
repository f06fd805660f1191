"""Every Dutch word a reader sees: number notation, sentences, labels, source lines and reading guides.

One module per kind of text; import the module you need (this package re-exports nothing):

- :mod:`~analyse.text.notation`: Dutch notation of numbers, values, differences, years, year ranges, dates
  and lists; the one place of the rounding rule. Depends on nothing else in the package.
- :mod:`~analyse.text.label_texts`: codes and names as a reader sees them (register and monitor statuses, contract
  words), titles and names mid-sentence.
- :mod:`~analyse.text.sources`: the source line under every table and figure.
- :mod:`~analyse.text.records`: reading a result record (a dict, a CSV row read back as strings, a result object).
- :mod:`~analyse.text.messages`: key messages and sentences about a change or a comparison.
- :mod:`~analyse.text.trend_texts`: trend, projection and group-gap sentences, reasons and caveats.
- :mod:`~analyse.text.claim_texts`: the explanations of the reproduction register.
- :mod:`~analyse.text.monitor_texts`: the explanations of the target monitor.
- :mod:`~analyse.text.figure_texts`: reading guidance under a figure and the pieces of an alt text.
- :mod:`~analyse.text.disclosure_texts`: marks and notes of the small-numbers rule, small-group warnings.
- :mod:`~analyse.text.area_texts`: wijken and segregation: key messages and explanations.
- :mod:`~analyse.text.progress`: the lines of a run (what was taken over, nothing changed) and of validate.

The statistics (:mod:`analyse.trends`, :mod:`analyse.register`, :mod:`analyse.monitor`) return values and
codes; these modules turn them into Dutch.
"""
