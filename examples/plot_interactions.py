"""
Which features act together?
============================

Friedman's first function, ``10 sin(pi x0 x1) + 20 (x2 - 0.5)^2 + 10 x3 + 5 x4``, has
one interaction, between ``x0`` and ``x1``; ``x2`` to ``x4`` act alone and ``x5`` to
``x9`` are noise. :meth:`~skweightimp.WeightTrajectoryRegressor.interaction_scores`
reads the strength of every pair from the trained weights (Neural Interaction
Detection), :meth:`~skweightimp.WeightTrajectoryRegressor.interaction_path` shows when
during training a pair formed, and
:func:`~skweightimp.inspection.interaction_significance` tests the pairs against noise.

The network is trained for reading interactions as the NID paper trains it, with a
light L1 penalty on every kernel (``kernel_l1=1e-4``), not with the strong first-layer
penalty of the importance configuration, which puts features with strong effects of
their own into the same few units.
"""

# %%
import pandas as pd
from sklearn.datasets import make_friedman1

from skweightimp import InteractionDisplay, WeightTrajectoryRegressor
from skweightimp.importance import interaction_pairs

X, y = make_friedman1(n_samples=2000, n_features=10, noise=1.0, random_state=0)
X = pd.DataFrame(X, columns=[f"x{i}" for i in range(10)])
y = (y - y.mean()) / y.std()

reg = WeightTrajectoryRegressor(
    epochs=60, kernel_l1=1e-4, record_all_kernels=True, random_state=0
).fit(X, y)
scores = reg.interaction_scores()  # NID: a symmetric features x features DataFrame
print(interaction_pairs(scores).head(5).round(3))

# %%
# The heatmap: ``x0 x x1`` stands out. Every other pair sits at a floor of about a
# quarter of its strength, the features with strong effects of their own (``x2`` to
# ``x4``) as low as the noise: they are not joined to each other. Trained with the
# importance configuration's strong first-layer penalty instead, the same network gives
# those pairs some strength without any interaction (NID's known weakness, see the
# "Interactions" page).
InteractionDisplay.from_estimator(reg)

# %%
# When did the interaction form? Every recorded epoch's strengths (the network must
# record every layer, ``record_all_kernels=True``):
path = reg.interaction_path()
ax = path[[("x0", "x1"), ("x3", "x4"), ("x5", "x6")]].plot(figsize=(7, 3.5))
ax.set_ylabel("NID strength")
ax.set_title("Pairs over training")
ax.figure.tight_layout()

# %%
# The noise test of the pairs: 20 trainings beside shadow columns (shuffled copies of
# every feature), each pair against the two pairs that swap one of its members for its
# shadow. ``x0 x x1`` is confirmed; the others stay tentative (not distinguishable from
# noise in 20 rounds), the pairs of features that act alone among them.
from skweightimp.inspection import interaction_significance

result = interaction_significance(
    WeightTrajectoryRegressor(epochs=60, kernel_l1=1e-4), X, y, random_state=0
)
print(result.summary.head(8).round(3))
InteractionDisplay.from_scores(scores, decision=result.decision, kind="pairs", method="nid")
