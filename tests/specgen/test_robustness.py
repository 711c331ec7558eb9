"""Whatever a page says, the generator ends in a document or a one-line UsageError, never a traceback."""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conformance.errors import UsageError
from conformance.specgen import generate, render

MARKDOWN_BITS = st.sampled_from(
    [
        "### URL Parameters:\n\n",
        "#### URL Parameters\n\n",
        "### Request Parameters:\n\n",
        "### Response Parameters:\n\n",
        "#### Thing Object:\n\n",
        "### Optional:\n\n",
        "id\n: (string) ***Required*** Universal Unique Identifier\n\n",
        "things\n: (array) Things\n\n",
        "x>\n: (decimal) X\n\n",
        "| Code | Name | Meaning |\n|---|---|\n| 200 | OK | fine |\n| 4xx | ? |\n\n",
        "{% include links/response_codes.md %}\n\n",
        "{% include nope.md %}\n\n",
        '~~~ bash\ncurl -X "POST" "https://h.test/a/" -H \'Authorization: Token 1\'\n~~~\n{: title="Curl" }\n\n',
        "~~~\nunterminated\n",
        "<!-- comment -->\n\n",
        "plain words\n\n",
    ]
)
RIGHT_CODE = st.sampled_from(
    [
        "",
        '~~~ json\n{"id": "x", "n": null}\n~~~\n{: title="Response" }\n',
        '~~~ json\n{"things": [1, {"a": 2}], }\n~~~\n{: title="Request" }\n',
        '~~~ json\n{"broken": ...\n~~~\n{: title="Response" }\n',
        '~~~ json\n[]\n~~~\n{: title="Request" }\n',
    ]
)
TITLES = st.sampled_from(["/a/", "/a/&lt;id&gt;/", "/a/&ltid&gt/b/<x>/", "not a path", "", "/a/{id}/"])
METHODS = st.sampled_from(["get", "post", "patch", "delete", "PUT", "fetch", ""])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pages=st.lists(st.tuples(TITLES, METHODS, RIGHT_CODE, st.lists(MARKDOWN_BITS, max_size=8)), min_size=1, max_size=4)
)
def test_any_combination_of_page_features_ends_in_a_document_or_a_usage_error(pages) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "_includes" / "links").mkdir(parents=True)
        (root / "_includes" / "links" / "response_codes.md").write_text("see #cresponse_codes\n")
        (root / "_c").mkdir()
        (root / "_c" / "response_codes.md").write_text(
            "---\ntitle: Response Codes\n---\n| Code | Name | Meaning |\n|--|--|--|\n| 404 | Not Found | x |\n"
        )
        for index, (title, method, right_code, bits) in enumerate(pages):
            meta = yaml.safe_dump({"title": title, "method": method, "right_code": right_code}, sort_keys=False)
            (root / "_c" / f"page_{index}.md").write_text(f"---\n{meta}---\n{''.join(bits)}")
        try:
            generated = generate(root)
        except UsageError as error:
            assert "\n" not in error.message
            return
        text = render(generated.document)
        assert yaml.safe_load(text)["openapi"] == "3.1.0"
        for diagnostic in generated.diagnostics.items:
            assert "\n" not in str(diagnostic)
