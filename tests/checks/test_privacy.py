"""The privacy check beyond its rule examples: exact spans, masking, checksums, the API contract."""

from __future__ import annotations

import random

import pytest

from app.checks.privacy import luhn_ok, mask_digits, valid_id_number
from support import run_draft

ID = "11010519491231002X"  # the GB 11643 worked example: a valid check character


def privacy(draft, rule: str | None = None):
    findings = run_draft(draft, "privacy").findings
    return [f for f in findings if rule is None or f.rule == rule]


def test_api_credential_blocks_and_selects_exactly_the_value(server):
    with server.client() as c:
        for body, value in (("测试环境密码：Abc@12345", "Abc@12345"), ("测试账号密码：Qw3!rty2026", "Qw3!rty2026")):
            r = c.post("/v1/check", json={"body": body})
            assert r.status_code == 200
            report = r.json()
            assert report["verdict"] == "block"
            cred = [f for f in report["findings"] if f["check"] == "privacy" and f["rule"] == "privacy.credential"]
            assert len(cred) == 1
            f = cred[0]
            assert body[f["offset"]:f["offset"] + f["length"]] == value == f["text"]
            assert f["severity"] == "block"
            assert value not in f["suggestions"][0] and f["suggestions"][0].startswith(value[:3])
            assert report["tier"]["level"] == "leadership"


def test_credential_span_is_the_value_only():
    body = "测试环境密码：Abc@12345，请尽快修改。"
    [f] = privacy(body, "privacy.credential")
    assert (f.text, f.offset, f.length) == ("Abc@12345", body.index("Abc"), 9)
    assert f.suggestions == ("Abc******",)


@pytest.mark.parametrize("sentence", [
    "员工应定期修改微信账号密码，设置强度较高的密码",
    "修改密码、冻结账号",
    "账号和初始密码告知申请人",
    "员工离职时，应及时将所使用的微信账号及相关密码交回行政部门。",
    "请输入验证码后点击登录。",
    "密码为空时无法登录。",
    "Password: required",
    "token：见企业微信通知",
])
def test_policy_language_and_descriptions_are_not_credentials(sentence):
    assert privacy(sentence) == []


@pytest.mark.parametrize("text,value", [
    ("password: Qw3!rty2026 请勿外传", "Qw3!rty2026"),
    ('"client_secret": "d41d8cd98f00b204"', "d41d8cd98f00b204"),
    ("MYSQL_PWD=root1234", "root1234"),
    ("口令是 Tiger2026.", "Tiger2026"),
    ("API Key：AbCdEf123456（仅限测试）", "AbCdEf123456"),
    ("临时密码为：q1w2e3r4，登录后修改", "q1w2e3r4"),
])
def test_credential_values(text, value):
    [f] = privacy(text, "privacy.credential")
    assert f.text == value


def test_credential_in_markdown_code_counts():
    src = "配置示例：\n\n```ini\n[db]\npassword = Zx9#mQ2!\n```\n"
    [f] = privacy({"body": src, "format": "markdown"}, "privacy.credential")
    assert src[f.offset:f.offset + f.length] == "Zx9#mQ2!"


def test_credential_value_with_an_html_entity_maps_to_the_source():
    src = "<p>密码：Tr0ub4dor&amp;3</p>"
    [f] = privacy({"body": src, "format": "html"}, "privacy.credential")
    assert f.text == "Tr0ub4dor&amp;3" and src[f.offset:f.offset + f.length] == f.text
    assert "Tr0ub4dor" not in f.suggestions[0]


def test_access_key_wins_over_credential_on_the_same_value():
    fs = privacy('GITHUB_TOKEN="ghp_1234567890abcdefghijABCDEFGHIJ123456"')
    assert [f.rule for f in fs] == ["privacy.access_key"]


def test_private_key_block_spans_begin_to_end():
    key = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkg\nAoGCCqGSM49\n-----END EC PRIVATE KEY-----"
    body = f"部署说明：\n{key}\n请妥善保管。"
    [f] = privacy(body, "privacy.private_key")
    assert f.text == key and f.severity == "block"
    assert "MHcCAQEEIBkg" not in f.suggestions[0]


def test_unterminated_private_key_still_reported():
    body = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n\n以上为测试密钥。"
    [f] = privacy(body, "privacy.private_key")
    assert f.text.startswith("-----BEGIN PRIVATE KEY-----") and "以上" not in f.text


def test_headers_without_footer_form_bounded_blocks():
    body = "-----BEGIN PRIVATE KEY-----\n" * 3000
    fs = privacy(body, "privacy.private_key")
    assert 1 < len(fs) < 10 and all(f.text.startswith("-----BEGIN PRIVATE KEY-----") for f in fs)
    assert all(a.offset + a.length <= b.offset for a, b in zip(fs, fs[1:]))


def test_id_checksum():
    assert valid_id_number(ID)
    wrong = [ID[:17] + c for c in "0123456789X" if c != "X"]
    assert not any(valid_id_number(w) for w in wrong)
    for w in wrong:
        assert privacy(f"身份证号 {w}。", "privacy.id_card") == []
    [f] = privacy(f"身份证号 {ID}。", "privacy.id_card")
    assert f.severity == "error" and f.suggestions == ("110***********002X",)
    assert not valid_id_number("110105194902300026")  # 30 February


def test_id_not_inside_a_longer_run():
    assert privacy(f"流水号 9{ID}1", "privacy.id_card") == []


def test_luhn_against_random_numbers():
    rng = random.Random(7)
    for _ in range(200):
        digits = [rng.randrange(10) for _ in range(rng.randrange(15, 19))]
        total = 0
        for i, d in enumerate(reversed(digits)):
            total += d if i % 2 else (d * 2 - 9 if d > 4 else d * 2)
        check = (10 - total % 10) % 10
        number = "".join(map(str, digits)) + str(check)
        assert luhn_ok(number)
        assert not luhn_ok(number[:-1] + str((check + 1) % 10))


@pytest.mark.parametrize("card", ["6222021234567890128", "6222 0212 3456 7890 128", "4111-1111-1111-1111",
                                  "4111 1111 1111 1111"])
def test_bank_card_layouts(card):
    [f] = privacy(f"卡号 {card}，请转账。", "privacy.bank_card")
    assert f.text == card and f.severity == "error"
    masked = f.suggestions[0]
    assert masked == mask_digits(card, 4, 4)
    digits = [c for c in masked if c.isdigit() or c == "*"]
    assert digits[:4] == list(card[:4]) and set(digits[4:-4]) == {"*"}


def test_bank_card_mixed_separators_rejected():
    assert privacy("卡号 4111 1111-1111 1111", "privacy.bank_card") == []


@pytest.mark.parametrize("text,found", [
    ("电话13812345678。", "13812345678"),
    ("电话 +86 138 1234 5678。", "+86 138 1234 5678"),
    ("电话0086-13812345678", "0086-13812345678"),
    ("订单 213812345678", None),
    ("订单 138123456789", None),
    ("账号 A13812345678", None),
    ("电话 12345678901", None),
])
def test_phone_boundaries(text, found):
    fs = privacy(text, "privacy.phone")
    assert [f.text for f in fs] == ([found] if found else [])
    if found:
        assert fs[0].suggestions == ("138****5678",) and fs[0].severity == "warning"


def test_email_masks_the_local_part_and_skips_role_mailboxes():
    [f] = privacy("请联系 zhangsan@example.com 或 hr@example.com", "privacy.email")
    assert f.text == "zhangsan@example.com" and f.suggestions == ("zh******@example.com",)


def test_title_is_checked_too():
    fs = privacy({"body": "正文", "title": "测试环境密码：Abc@12345"})
    assert [(f.field, f.text) for f in fs] == [("title", "Abc@12345")]


def test_company_lexicon_adds_keywords(tmp_path):
    from app import pipeline, resources
    from app.models import Draft
    from app.settings import Settings

    extra = tmp_path / "lex"
    (extra / "privacy").mkdir(parents=True)
    (extra / "privacy" / "credential_keywords.txt").write_text("门禁码\n", encoding="utf-8")
    (extra / "privacy" / "access_keys.tsv").write_text("Broken\t(unclosed\n", encoding="utf-8")
    res = resources.load(Settings(lexicon_dirs=str(extra), data_dir=tmp_path), only={"privacy"})
    report = pipeline.run(Draft(body="机房门禁码：7319#A"), res)
    assert [(f.rule, f.text) for f in report.findings] == [("privacy.credential", "7319#A")]
