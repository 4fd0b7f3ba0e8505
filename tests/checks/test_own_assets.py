"""The account's own images and template decoration draw no credit finding; content images still do."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from PIL import Image

from app.document import parse
from app.media import examples as ex
from app.media.image import Limits, dhash, inspect
from app.media.own_assets import OwnAssets
from app.models import Draft
from support import ROOT, run_draft


def _gif(width: int, height: int) -> bytes:
    buf = io.BytesIO()
    ex.pattern(width, height).convert("P").save(buf, "GIF")
    return buf.getvalue()


def _rules(draft: dict) -> list[str]:
    return [f.rule for f in run_draft(draft, "media").findings]


TEMPLATE_POST = (  # what a 135editor template puts around an article
    f'<section><img src="{ex.data_url(_gif(640, 120), "image/gif")}"></section>'  # "本期看点" banner GIF
    f'<p>年会圆满结束。</p>'
    f'<img src="{ex.url("divider")}">'  # divider line
    f'<p>感谢各位同事。</p>'
    f'<img src="{ex.data_url(ex.png(ex.pattern(16, 16)))}">'  # spacer / icon
    '<img data-src="https://assets.company.internal/wechat/footer-qr.png">'  # the account's footer QR
)


def test_a_template_post_draws_no_finding_for_its_decoration():
    assert _rules({"body": TEMPLATE_POST, "format": "html"}) == []


def test_a_content_photo_in_the_same_post_still_needs_a_credit():
    body = TEMPLATE_POST + f'<p>活动现场：</p><img src="{ex.url("plain")}"><p>谢谢。</p>'
    assert _rules({"body": body, "format": "html"}) == ["media.attribution_missing"]


def test_a_small_photo_that_is_not_decoration_is_still_unclear():
    assert "media.unclear" in _rules({"body": f"![]({ex.url('tiny')})\n\n图：品牌部", "format": "markdown"})


def test_own_pictures_match_by_perceptual_hash_after_re_encoding(tmp_path: Path):
    logo = ex.pattern(300, 300)
    listed = dhash(logo)
    (tmp_path / "media_own.toml").write_text(f'[own]\nhashes = ["{listed:016x}"]\n', encoding="utf-8")
    own = OwnAssets.load([Path("lexicons"), tmp_path])
    buf = io.BytesIO()
    logo.resize((200, 200)).convert("RGB").save(buf, "JPEG", quality=70)
    assert own.is_own_picture(inspect(buf.getvalue(), Limits()))
    other = inspect(ex.png(ex.pattern(300, 300).transpose(Image.Transpose.FLIP_LEFT_RIGHT)), Limits())
    assert not own.is_own_picture(other)
    assert own.url_prefixes[0] == "assets.company.internal/wechat/"


def test_prefixes_ignore_the_scheme_and_do_not_match_other_paths():
    own = OwnAssets(url_prefixes=("mmbiz.qpic.cn/mmbiz_png/ouracct/",))
    media = parse(Draft(body='<img src="//mmbiz.qpic.cn/mmbiz_png/ouracct/logo.png">'
                             '<img data-src="https://mmbiz.qpic.cn/mmbiz_png/other/x.png">', format="html")).media
    assert [own.is_own_url(m) for m in media] == [True, False]


def test_a_bad_hash_in_the_lexicon_says_where(tmp_path: Path):
    (tmp_path / "media_own.toml").write_text('[own]\nhashes = ["not-hex"]\n', encoding="utf-8")
    try:
        OwnAssets.load([tmp_path])
    except ValueError as e:
        assert "media_own.toml" in str(e)
    else:
        raise AssertionError("a malformed hash was accepted")


def test_the_cli_prints_a_hash_that_lists_the_image_as_own(tmp_path: Path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(ex.png(ex.pattern(300, 300)))
    p = subprocess.run([sys.executable, "-m", "app.cli", "assets", "hash", str(logo)], capture_output=True,
                       text=True, cwd=str(ROOT), timeout=120)
    assert p.returncode == 0, p.stderr
    line = p.stdout.strip()
    assert line.endswith("logo.png 300×300")
    (tmp_path / "media_own.toml").write_text(f"[own]\nhashes = [{line}\n]\n", encoding="utf-8")
    own = OwnAssets.load([tmp_path])
    assert own.is_own_picture(inspect(logo.read_bytes(), Limits()))
    missing = subprocess.run([sys.executable, "-m", "app.cli", "assets", "hash", str(tmp_path / "no.png")],
                             capture_output=True, text=True, cwd=str(ROOT), timeout=120)
    assert missing.returncode == 2 and "no.png" in missing.stderr and "Traceback" not in missing.stderr
