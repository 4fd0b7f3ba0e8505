"""POST /v2/check and GET /v2/languages against a real server, requests replayed as LT clients send them."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

FORM = "application/x-www-form-urlencoded; charset=UTF-8"


def utf16_slice(s: str, offset: int, length: int) -> str:
    return s.encode("utf-16-le")[2 * offset:2 * (offset + length)].decode("utf-16-le")


def post_form(server, fields: dict[str, str], **headers):
    """The bytes a LanguageTool client puts on the wire: a form-encoded POST, UTF-8, percent-escaped."""
    body = urlencode(fields).encode("ascii")
    with server.client() as c:
        return c.post("/v2/check", content=body, headers={
            "Content-Type": FORM, "Accept": "application/json", "User-Agent": "languagetool-client/1.0",
            **headers})


def test_annotated_request_with_emoji_before_the_error(server):
    # As LTeX and the browser add-ons send markdown/html: text parts checked, markup skipped.
    annotation = {"annotation": [
        {"markup": "# "}, {"text": "年会通知 🎉🎉"}, {"markup": "\n\n", "interpretAs": "\n\n"},
        {"text": "👨‍👩‍👧 各位同事：年会定于"}, {"markup": "**"}, {"text": "[X]月[X]日"}, {"markup": "**"},
        {"text": "举行。"}]}
    original = "".join(p.get("text", p.get("markup", "")) for p in annotation["annotation"])
    r = post_form(server, {"data": json.dumps(annotation, ensure_ascii=False), "language": "auto",
                           "enabledOnly": "false", "level": "default", "disabledRules": "WHITESPACE_RULE",
                           "motherTongue": "zh-CN", "username": "", "apiKey": ""})
    assert r.status_code == 200, r.text
    out = r.json()
    assert set(out) >= {"software", "language", "warnings", "matches"}
    assert out["language"]["code"] == "zh-CN" and out["language"]["detectedLanguage"]["code"] == "zh-CN"
    brackets = [m for m in out["matches"] if m["rule"]["id"] == "placeholder.bracket"]
    assert len(brackets) == 2
    first = original.index("[X]")
    for m, cp_offset in zip(brackets, (first, original.index("[X]", first + 1))):
        assert utf16_slice(original, m["offset"], m["length"]) == "[X]"
        # Code points would be wrong here: five emoji code points (plus joiners) precede the error.
        assert m["offset"] != cp_offset
        ctx = m["context"]
        assert utf16_slice(ctx["text"], ctx["offset"], ctx["length"]) == "[X]"
        assert m["sentence"].startswith("👨‍👩‍👧 各位同事")
        assert m["type"] == {"typeName": "Other"}
        assert set(m["rule"]) >= {"id", "description", "issueType", "category"}
        assert m["rule"]["category"]["id"] == "PLACEHOLDER"


def test_plain_text_request(server):
    text = "😀请联系[联系人]，TODO 补充。"
    r = post_form(server, {"text": text, "language": "zh-CN", "enabledOnly": "false"})
    assert r.status_code == 200, r.text
    found = {m["rule"]["id"]: utf16_slice(text, m["offset"], m["length"]) for m in r.json()["matches"]}
    assert found == {"placeholder.bracket": "[联系人]", "placeholder.todo": "TODO"}
    assert r.json()["language"]["detectedLanguage"]["source"] == "request"


def test_rules_and_categories_filter_matches(server):
    text = "请联系[联系人]，TODO 补充。"

    def rules(**fields):
        r = post_form(server, {"text": text, "language": "zh-CN", **fields})
        assert r.status_code == 200, r.text
        return sorted(m["rule"]["id"] for m in r.json()["matches"])

    assert rules() == ["placeholder.bracket", "placeholder.todo"]
    assert rules(disabledRules="placeholder.todo") == ["placeholder.bracket"]
    assert rules(enabledOnly="true", enabledRules="placeholder.todo") == ["placeholder.todo"]
    assert rules(disabledCategories="PLACEHOLDER") == []
    assert rules(enabledOnly="true", enabledCategories="PLACEHOLDER") == ["placeholder.bracket", "placeholder.todo"]
    assert rules(enabledOnly="true", enabledCategories="TYPOS") == []
    assert rules(level="picky") == ["placeholder.bracket", "placeholder.todo"]


def test_languages(server):
    with server.client() as c:
        r = c.get("/v2/languages")
    assert r.status_code == 200
    assert {"name": "Chinese", "code": "zh", "longCode": "zh-CN"} in r.json()


@pytest.mark.parametrize("fields,needle", [
    ({"text": "你好", "language": "en-US"}, "language"),
    ({"language": "zh-CN"}, "text"),
    ({"text": "你好", "data": '{"annotation": []}', "language": "zh-CN"}, "text"),
    ({"data": "{not json", "language": "zh-CN"}, "JSON"),
    ({"data": '{"annotation": [{"bold": 1}]}', "language": "zh-CN"}, "annotation"),
    ({"text": "你好", "language": "zh-CN", "level": "strict"}, "level"),
    ({"text": "你好", "language": "zh-CN", "enabledOnly": "true"}, "enabledOnly"),
    ({"text": "你好", "language": "zh-CN", "enabledOnly": "maybe"}, "enabledOnly"),
    ({"data": '{"annotation": [{"text": "\\ud800"}]}', "language": "zh-CN"}, "surrogate"),
])
def test_bad_requests_get_422_with_a_detail(server, fields, needle):
    r = post_form(server, fields)
    assert r.status_code == 422, r.text
    assert needle in json.dumps(r.json()["detail"], ensure_ascii=False)


def test_text_over_the_limit_is_413(server_factory):
    small = server_factory({"PRECHECK_MAX_CHARS": "50"})
    r = post_form(small, {"text": "长" * 51, "language": "zh-CN"})
    assert r.status_code == 413
    assert "50" in r.json()["detail"]


def test_api_key_from_the_form_field(server_factory):
    keyed = server_factory({"PRECHECK_API_KEYS": "editor1:author:s3cret-key"})
    fields = {"text": "请联系[联系人]。", "language": "zh-CN"}
    assert post_form(keyed, fields).status_code == 401
    assert post_form(keyed, {**fields, "apiKey": "wrong"}).status_code == 401
    r = post_form(keyed, {**fields, "username": "editor1", "apiKey": "s3cret-key"})
    assert r.status_code == 200, r.text
    assert [m["rule"]["id"] for m in r.json()["matches"]] == ["placeholder.bracket"]
    assert post_form(keyed, fields, Authorization="Bearer s3cret-key").status_code == 200
