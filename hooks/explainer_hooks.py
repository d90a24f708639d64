"""The hook module mkdocs.yml registers. The code lives in the `explainer` package."""

from explainer.engine.mkdocs_hooks import (  # noqa: F401
    on_config,
    on_env,
    on_files,
    on_nav,
    on_page_content,
    on_page_context,
    on_post_build,
    on_post_page,
    on_post_template,
    on_pre_build,
    on_pre_page,
    on_shutdown,
    on_startup,
)
