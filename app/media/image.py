"""What the bytes of one image say: its real type, size, credit metadata, QR codes and clarity.

Image bytes come from strangers (uploads, linked files), so the type is read from the content, the
pixel count is checked from the header before anything is decoded (a 50 KB PNG can expand to
gigabytes), and only the first frame of an animation is looked at.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field

from PIL import Image, ImageFilter, ImageStat

from .metadata import metadata_credit
from .qr import decode_qr

# Signatures of the raster formats Pillow decodes here; anything else is refused, whatever its name.
_SIGNATURES: tuple[tuple[bytes, int, str], ...] = (
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"GIF87a", 0, "image/gif"),
    (b"GIF89a", 0, "image/gif"),
    (b"BM", 0, "image/bmp"),
    (b"II*\x00", 0, "image/tiff"),
    (b"MM\x00*", 0, "image/tiff"),
)
# Recognised so the refusal can say what the file is.
_OTHER: tuple[tuple[bytes, int, str], ...] = (
    (b"%PDF", 0, "application/pdf"),
    (b"PK\x03\x04", 0, "application/zip"),
    (b"ftypheic", 4, "image/heic"),
    (b"ftypheix", 4, "image/heic"),
    (b"ftypavif", 4, "image/avif"),
    (b"ftyp", 4, "video/mp4"),
    (b"\x1aE\xdf\xa3", 0, "video/webm"),
    (b"ID3", 0, "audio/mpeg"),
)
_LAPLACIAN = ImageFilter.Kernel((3, 3), [0, 1, 0, 1, -4, 1, 0, 1, 0], scale=1, offset=128)
DISPLAY_WIDTH = 1080  # a phone screen: clarity is judged at the size a reader sees
WORK_SIDE = 2048  # larger images are read at this size: enough for a QR code, and for clarity at phone width


def sniff(data: bytes) -> str | None:
    """The MIME type the content shows, or None when it is not recognised."""
    head = data[:32]
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    for sig, at, mime in _SIGNATURES + _OTHER:
        if head[at:at + len(sig)] == sig:
            return mime
    text = head.lstrip().lower()
    if text.startswith((b"<svg", b"<?xml")):
        return "image/svg+xml" if b"<svg" in data[:4096].lower() else "application/xml"
    if text.startswith((b"<!doctype html", b"<html")):
        return "text/html"
    return None


def is_inspectable(mime: str | None) -> bool:
    return mime is not None and mime in {m for _, _, m in _SIGNATURES} | {"image/webp"}


@dataclass(frozen=True)
class Limits:
    """Configured in precheck.toml ``[media]``; the defaults suit photos in a WeChat post."""

    max_bytes: int = 20 * 1024 * 1024  # larger images are not inspected (upload: 413)
    max_pixels: int = 50_000_000  # decompression-bomb guard, checked from the header
    max_images: int = 20  # per upload request
    min_side: int = 150  # px: a smaller width or height is reported as unclear
    min_sharpness: float = 12.0  # variance of the Laplacian at display width; lower is blurry
    publish_max_bytes: int = 10 * 1024 * 1024  # what WeChat accepts for one image
    qr: bool = True

    @classmethod
    def from_options(cls, options: dict) -> "Limits":
        known = {k: options[k] for k in cls.__dataclass_fields__ if k in options}
        return cls(**known)


class ImageRefused(ValueError):
    """The bytes cannot be inspected: ``status`` is 413 (too large) or 422 (not an image we read)."""

    def __init__(self, status: int, message: str, zh: str = ""):
        super().__init__(message)
        self.status = status
        self.message = message
        self.zh = zh or message  # the same for the author, in the language of the findings


@dataclass(frozen=True)
class ImageFacts:
    mime: str
    width: int
    height: int
    size: int
    credit: dict[str, str] = field(default_factory=dict)  # metadata field -> value
    qr_texts: tuple[str, ...] = ()
    sharpness: float | None = None  # None when the image is too flat to judge (a blank graphic)
    digest: str = ""
    dhash: int = 0  # difference hash of the picture: the same image re-encoded or resized keeps it


def check_header(data: bytes, limits: Limits, name: str = "image") -> tuple[str, int, int]:
    """Type and dimensions from the header alone; refuses what must not be decoded."""
    if len(data) > limits.max_bytes:
        raise ImageRefused(413, f"{name}: {len(data)} bytes; the limit is {limits.max_bytes} "
                                "([media] max_bytes)",
                           f"文件超过 {limits.max_bytes / 1048576:.0f} MB，未检查")
    mime = sniff(data)
    if not is_inspectable(mime):
        what = f"its content is {mime}" if mime else "its content is not a recognised image format"
        raise ImageRefused(422, f"{name}: not an image that can be checked ({what}); "
                                "send JPEG, PNG, GIF, WebP, BMP or TIFF",
                           f"文件内容不是可检查的图片（{'识别为 ' + mime if mime else '无法识别格式'}），"
                           "请使用 JPEG、PNG、GIF、WebP 等图片")
    try:
        with Image.open(io.BytesIO(data)) as img:
            width, height = img.size
    except Image.DecompressionBombError:
        raise ImageRefused(413, f"{name}: too many pixels to decode safely (decompression bomb)",
                           "像素数过多，无法安全解码（解压炸弹）") from None
    except Exception as e:  # a truncated or forged header: Pillow raises many types
        raise ImageRefused(422, f"{name}: {mime} that cannot be read ({type(e).__name__})",
                           f"文件头损坏，无法读取（{mime}）") from None
    if width * height > limits.max_pixels:
        raise ImageRefused(413, f"{name}: {width}x{height} = {width * height} pixels; the limit is "
                                f"{limits.max_pixels} ([media] max_pixels, a decompression-bomb guard)",
                           f"{width}×{height} 像素，超过 {limits.max_pixels} 像素的检查上限")
    return mime, width, height


def _grey(img: Image.Image) -> Image.Image:
    """One grey frame no larger than WORK_SIDE, transparent parts on white (as a reader sees them)."""
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        img = Image.alpha_composite(white, rgba)
    grey = img.convert("L")
    if max(grey.size) > WORK_SIDE:
        grey.thumbnail((WORK_SIDE, WORK_SIDE), Image.Resampling.BILINEAR)
    return grey


def dhash(img: Image.Image) -> int:
    """64-bit difference hash: one bit per neighbouring pair of a 9×8 grey thumbnail, set where the
    left pixel is brighter. Survives re-encoding and resizing, unlike a digest of the bytes."""
    small = img.convert("L").resize((9, 8), Image.Resampling.LANCZOS)
    px = small.tobytes()
    bits = 0
    for row in range(8):
        for col in range(8):
            bits = bits << 1 | (px[row * 9 + col] > px[row * 9 + col + 1])
    return bits


def sharpness(img: Image.Image) -> float | None:
    """Variance of the Laplacian of the grey image at display width (higher is sharper)."""
    grey = img.convert("L")
    if grey.width > DISPLAY_WIDTH:
        grey = grey.resize((DISPLAY_WIDTH, max(1, round(grey.height * DISPLAY_WIDTH / grey.width))),
                           Image.Resampling.BILINEAR)
    if grey.width < 3 or grey.height < 3:
        return None
    if ImageStat.Stat(grey).stddev[0] < 2.0:
        return None  # one flat colour has no detail to be blurred
    lap = grey.filter(_LAPLACIAN)
    # Pillow leaves the outermost pixels unfiltered: they are grey levels, not edges.
    return ImageStat.Stat(lap.crop((1, 1, lap.width - 1, lap.height - 1))).var[0]


def inspect(data: bytes, limits: Limits, name: str = "image") -> ImageFacts:
    """Everything the media check reads from one image. Raises ``ImageRefused``."""
    mime, width, height = check_header(data, limits, name)
    try:
        with Image.open(io.BytesIO(data)) as img:
            credit = metadata_credit(img)
            img.seek(0)
            if img.format == "JPEG":
                img.draft("L", (WORK_SIDE, WORK_SIDE))  # decode at a reduced scale: far faster for big photos
            img.load()
            frame = _grey(img)
    except Exception as e:
        raise ImageRefused(422, f"{name}: {mime} that cannot be decoded ({type(e).__name__})",
                           f"图片数据损坏，无法解码（{mime}）") from None
    qr = decode_qr(frame) if limits.qr else ()
    return ImageFacts(mime=mime, width=width, height=height, size=len(data), credit=credit, qr_texts=qr,
                      sharpness=sharpness(frame), digest=hashlib.sha256(data).hexdigest(), dhash=dhash(frame))
