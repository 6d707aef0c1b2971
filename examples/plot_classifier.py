"""
A classifier
============

:class:`~skweightimp.WeightTrajectoryClassifier` is the classifier twin: string labels,
``predict_proba``, ``class_weight`` and stratified cross-validation all work as for any
scikit-learn classifier, and the importances come from the same first-layer weights.
"""

# %%
# The wine data: 13 chemical measurements, three cultivars.
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skweightimp import WeightTrajectoryClassifier

data = load_wine(as_frame=True)
X, y = data.data, data.target.map(dict(enumerate(data.target_names)))
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)

clf = make_pipeline(
    StandardScaler().set_output(transform="pandas"),
    WeightTrajectoryClassifier(
        hidden_layer_sizes=(16,), epochs=40, learning_rate=0.01, random_state=0
    ),
)
clf.fit(X_train, y_train)
print(f"test accuracy: {clf.score(X_test, y_test):.3f}")
print(clf.predict_proba(X_test.iloc[:3]).round(3))

# %%
# The report: the importance, its rank, and the seed notebook's barrage metrics.
report = clf[-1].importance_report_
print(report[["importance", "rank", "weight_std", "len", "final_abs_weight"]].head(8))

# %%
ax = report["importance"].sort_values().plot.barh(figsize=(6, 5))
ax.set_xlabel("importance (normalised grouped weight std)")
ax.figure.tight_layout()
