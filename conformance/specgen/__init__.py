"""Docs → OpenAPI: read a Jekyll docs tree and write one deterministic, validated OpenAPI 3.1 document.

``generate(docs_dir)`` builds the document (plus diagnostics); ``render(document)`` gives its YAML.
Modules, one job each: ``pages`` (front matter, includes), ``sections`` (Markdown structure),
``fields`` (one documented parameter), ``examples`` (lenient JSON), ``schemas`` (JSON Schema),
``paths`` (placeholders), ``responses`` (Response Codes), ``operations`` (page → operation),
``links`` (operation links), ``assemble`` (the document), ``drift`` (``--check``).
"""

from conformance.specgen.assemble import Generated, generate, render

__all__ = ["Generated", "generate", "render"]
