"""The order of the example gallery: the seed notebook first, then from use to inspection.

sphinx-gallery takes the sort key by its qualified name (``gallery_order.GalleryOrder``),
which keeps ``sphinx_gallery_conf`` picklable for Sphinx's environment cache.
"""

ORDER = (
    "plot_seed_notebook.py",
    "plot_pipeline_grid_search.py",
    "plot_classifier.py",
    "plot_custom_model.py",
    "plot_compare_permutation.py",
    "plot_stability.py",
    "plot_feature_groups.py",
    "plot_interactions.py",
    "plot_animation.py",
)


class GalleryOrder:
    """Sort key: examples in ``ORDER`` first, in that order; any other by file name."""

    def __init__(self, src_dir):
        self.src_dir = src_dir

    def __repr__(self):
        return f"<{type(self).__name__}>"

    def __call__(self, filename):
        name = str(filename)
        return (ORDER.index(name) if name in ORDER else len(ORDER), name)
