"""What the report recommends: the importance method it headlines, and why.

The method itself is the library's, :func:`skweightimp.importance.recommended_method`
(``_RECOMMENDED_METHOD`` in skweightimp/importance.py), which ``method="auto"`` of the
significance test and of the feature selector use too; the report reads it from there.
What the report says about it, the real-data benchmark's numbers (docs/accuracy.rst,
"Real data"), lives here in :data:`RECOMMENDATION`. Change both together when the
benchmark is rerun.
"""

from ..importance import recommended_method

__all__ = ["RECOMMENDATION", "RECOMMENDED_METHOD"]

#: The importance method the report headlines unless ``--method`` says otherwise: the
#: library's recommendation, never a name of its own.
RECOMMENDED_METHOD = recommended_method()
#: What the page says about the recommendation, in one or two sentences.
RECOMMENDATION = (
    'On real data (docs/accuracy.rst, "Real data": four datasets with planted noise '
    "columns, 5 seeds, against a gradient-boosting reference) Olden's connection weights "
    "(`olden`) were the weight-based method closest to the reference (mean Spearman 0.59; "
    "0.66 with --l1 0.01; the network's own permutation importance 0.58) and put 0.05 "
    "planted noise columns per run in their top 5. The estimators' default, the grouped "
    "weight standard deviation (`weight_std`), reached 0.42 and put 0.80 noise columns in "
    "its top 5 (2.4 on diabetes)."
)
