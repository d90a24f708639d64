"""The hook module mkdocs.yml registers. The code lives in the `explainer` package."""

from explainer.mkdocs_hooks import on_config, on_files, on_pre_build, on_startup  # noqa: F401
