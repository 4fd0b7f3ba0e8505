"""All images of one upload together have a pixel budget: many large images are refused (413)
from their headers, before any is decoded."""

from __future__ import annotations

import io

from PIL import Image


def _large_png() -> bytes:
    buf = io.BytesIO()
    Image.new("L", (7000, 7000), 255).save(buf, format="PNG")  # 49 M pixels, a few kB compressed
    return buf.getvalue()


def test_many_large_images_in_one_request_are_a_413(server):
    png = _large_png()
    files = [("images", (f"big{i}.png", png, "image/png")) for i in range(5)]
    with server.client() as c:
        r = c.post("/v1/check/upload", data={"draft": '{"body": "五张大图"}'}, files=files)
        assert r.status_code == 413 and "max_total_pixels" in r.json()["detail"]
        r = c.post("/v1/check/upload", data={"draft": '{"body": "一张大图"}'}, files=files[:1])
        assert r.status_code == 200, r.text
