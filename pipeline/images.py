"""Images in prompts: a row's photo as an `image_url` content part, checked before any spend.

A template places an image with `{{ image(value) }}` (or `image(value, detail="low")`); a job's
`images = ["photo"]` appends the named columns' images to its first step's user message. A value
is an http(s) URL (sent as it is: nothing is downloaded here, so its size is unknown and its
tokens are estimated from `detail` alone), a `data:image/...;base64,` URL (checked, then sent as
it is), or a local path, relative to the input file's folder.

Pre-flight reads each local file once with Pillow: PNG, JPEG, WebP or a still GIF, within the
API's 20 MB per image; one larger than max_image_side is downsized (aspect kept) when sent.
A request carries an `Image`, never its bytes: the base64 data URL is built only when the
request's body is (`wire_messages`, from send/providers/openai.py `request_body`), so a 20,000-row
job never holds every photo at once and the base64 text never reaches the journal, logs,
outputs, manifests or error messages. The fingerprint covers the file's sha256 and the size
sent, so a changed photo (or a new max_image_side that changes what is sent) is a changed row.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from PIL import Image as PILImage
from PIL import UnidentifiedImageError

from . import defaults
from .errors import FatalForRow, ImageError

Detail = Literal["auto", "low", "high"]
DETAILS: tuple[str, ...] = ("auto", "low", "high")
#: What the API takes (Pillow's format names), and the MIME type a data URL gives each.
MIME = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp", "GIF": "image/gif"}
ALLOWED = "PNG, JPEG, WebP or a still GIF"

# OpenAI's image tokens for the gpt-4o family (vision guide, "Calculating costs"): `low` is a
# fixed 85; `high` scales the image to fit 2048 x 2048, then its shortest side to 768, and
# costs 170 per 512px tile plus 85. `auto` lets the model choose: counted as `high`.
LOW_DETAIL_TOKENS = 85
TILE_TOKENS = 170
TILE_SIDE = 512
FIT_SIDE = 2048
SHORT_SIDE = 768
#: A high-detail image of unknown size (an http URL) at its dearest: 4 x 2 tiles.
UNKNOWN_SIZE_TOKENS = LOW_DETAIL_TOKENS + TILE_TOKENS * 8

_ORIENTATION = 0x0112  # the EXIF tag kept on a downsized photo, so it stays upright


def image_tokens(size: tuple[int, int] | None, detail: str) -> int:
    """Prompt tokens an image costs on gpt-4o-family models (other models count differently:
    the server's usage corrects the running totals)."""
    if detail == "low":
        return LOW_DETAIL_TOKENS
    if size is None:
        return UNKNOWN_SIZE_TOKENS
    width, height = float(size[0]), float(size[1])
    fit = min(1.0, FIT_SIDE / max(width, height))
    width, height = width * fit, height * fit
    short = min(1.0, SHORT_SIDE / min(width, height))
    width, height = width * short, height * short
    tiles = math.ceil(width / TILE_SIDE) * math.ceil(height / TILE_SIDE)
    return LOW_DETAIL_TOKENS + TILE_TOKENS * tiles


@dataclass(frozen=True, slots=True, repr=False)
class Image:
    """One image a request carries: where it comes from and what will be sent, not its bytes
    (a data URL from the input keeps its text, which the row holds anyway)."""

    kind: Literal["url", "file", "data"]
    #: As the row gave it: the URL, the path as written, or the data URL.
    source: str
    detail: str
    path: Path | None = None
    #: Of the file's bytes (or a data URL's decoded bytes); None for an http URL.
    sha256: str | None = None
    #: (width, height) as sent, after any downsizing; None for an http URL.
    size: tuple[int, int] | None = None
    #: Pillow's name for the format as stored (PNG, JPEG, WEBP, GIF).
    format: str | None = None
    #: The bytes as stored (file size, or a data URL's decoded length).
    stored_bytes: int = 0
    #: True when a local file is larger than max_image_side and is downsized when sent.
    downsized: bool = False

    @property
    def label(self) -> str:
        """How messages name it: the URL or path, or a data URL's type and length only."""
        if self.kind == "data":
            return f"{self.source.split(',', 1)[0]},… ({self.stored_bytes:,} bytes)"
        return self.source

    def __repr__(self) -> str:
        return f"<image {self.label}>"

    __str__ = __repr__

    @property
    def tokens(self) -> int:
        return image_tokens(self.size, self.detail)

    def fingerprint_part(self) -> dict[str, Any]:
        """What the fingerprint hashes: the bytes' sha256 and the size sent, never the base64
        (an http URL: the URL itself)."""
        if self.kind == "url":
            return {"url": self.source, "detail": self.detail}
        assert self.size is not None
        return {"sha256": self.sha256, "size": list(self.size), "detail": self.detail}

    def url(self) -> str:
        """The URL to send: an http or data URL as given, a local file as a base64 data URL
        built now (downsized first when it is larger than max_image_side)."""
        if self.kind != "file":
            return self.source
        assert self.path is not None and self.size is not None
        try:
            data = self.path.read_bytes()
        except OSError as exc:
            raise FatalForRow(f"image {self.source} cannot be read any more "
                              f"({exc.strerror or exc}); nothing was sent for this row") from None
        if hashlib.sha256(data).hexdigest() != self.sha256:
            raise FatalForRow(f"image {self.source} changed after pre-flight; nothing was sent "
                              "for this row: run the job again to send the new photo")
        mime = MIME[self.format or "PNG"]
        if self.downsized:
            try:
                data, mime = _downsize(data, self.size)
            except (OSError, ValueError) as exc:
                raise FatalForRow(f"image {self.source} could not be downsized to "
                                  f"{self.size[0]} x {self.size[1]} ({exc})") from None
        if len(data) > defaults.MAX_IMAGE_BYTES:
            raise FatalForRow(f"image {self.source} is {_mb(len(data))} as sent, over the API's "
                              f"{_mb(defaults.MAX_IMAGE_BYTES)} per image: lower max_image_side")
        return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _at(where: str) -> str:
    """A problem's prefix: which column held the image (nothing for image() in a template)."""
    return f"{where}: " if where else ""


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def _downsize(data: bytes, size: tuple[int, int]) -> tuple[bytes, str]:
    """The photo at `size`, in its own format (a GIF as PNG), upright as its EXIF said."""
    with PILImage.open(io.BytesIO(data)) as im:
        fmt = im.format or "PNG"
        orientation = im.getexif().get(_ORIENTATION)
        if fmt == "GIF":
            fmt = "PNG"
        if fmt == "JPEG" and im.mode not in ("RGB", "L"):
            im = im.convert("RGB")  # CMYK and the like: JPEG encoders and viewers agree on RGB
        elif im.mode in ("P", "1"):  # a palette would be resized pixel by pixel (nearest)
            im = im.convert("RGBA" if "transparency" in im.info else "RGB")
        out = im.resize(size, PILImage.Resampling.LANCZOS)
    options: dict[str, Any] = {}
    if orientation and orientation != 1:
        exif = PILImage.Exif()
        exif[_ORIENTATION] = orientation
        options["exif"] = exif
    if fmt in ("JPEG", "WEBP"):
        options["quality"] = defaults.IMAGE_QUALITY
    buffer = io.BytesIO()
    out.save(buffer, format=fmt, **options)
    return buffer.getvalue(), MIME[fmt]


def _sent_size(size: tuple[int, int], max_side: int) -> tuple[int, int]:
    """The size a photo is sent at: itself, or downsized to fit max_side, aspect kept."""
    width, height = size
    if max(width, height) <= max_side:
        return size
    scale = max_side / max(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))


@dataclass(frozen=True, slots=True)
class _Checked:
    """What pre-flight learned of one file (cached by path, size and modification time)."""

    sha256: str
    size: tuple[int, int]
    format: str
    stored_bytes: int


def inspect(data: bytes, what: str) -> _Checked:
    """Read an image fully with Pillow and check what the API takes (raises ImageError)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(io.BytesIO(data)) as im:
                fmt = im.format or "?"
                if fmt not in MIME:
                    raise ImageError(f"{what} is a {fmt} image: the API takes {ALLOWED}")
                if getattr(im, "is_animated", False):
                    raise ImageError(f"{what} is an animated {fmt}: the API takes still images "
                                     "only (save one frame as PNG or JPEG)")
                size = im.size
                if fmt == "JPEG":
                    im.draft(None, (1, 1))  # decode every block at 1/8 scale: fast, thorough
                im.load()
    except UnidentifiedImageError:
        raise ImageError(f"{what} is not an image (expected {ALLOWED})") from None
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
        raise ImageError(f"{what} has too many pixels to be a photo (over "
                         f"{PILImage.MAX_IMAGE_PIXELS:,}): downsize it first") from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ImageError(f"{what} cannot be read as an image ({exc})") from None
    return _Checked(sha256=hashlib.sha256(data).hexdigest(), size=size, format=fmt,
                    stored_bytes=len(data))


class ImageAttacher:
    """Turns the image parts a template rendered (and a job's image columns) into checked
    `Image`s for one step, remembering each file it has read."""

    def __init__(self, *, base: Path, detail: str = "auto",
                 max_side: int = defaults.MAX_IMAGE_SIDE, columns: Sequence[str] = ()):
        #: Where relative paths start: the input file's folder.
        self.base = base
        self.detail = detail
        self.max_side = max_side
        self.columns = list(columns)
        self._files: dict[tuple[str, int, int], _Checked] = {}

    def attach(self, messages: list[dict[str, Any]],
               fields: Mapping[str, Any]) -> list[dict[str, Any]]:
        """The messages with every image checked (raises ImageError naming the image)."""
        if not self.columns and all(isinstance(m["content"], str) for m in messages):
            return messages  # text only: the very same messages
        out = []
        for message in messages:
            content = message["content"]
            if isinstance(content, list):
                content = [self._part(p["image_url"], "")
                           if p.get("type") == "image_url" else p for p in content]
                message = {**message, "content": content}
            out.append(message)
        if self.columns:
            extra = [self._part({"url": fields.get(column)}, f"column '{column}'")
                     for column in self.columns]
            last = out[-1]
            content = last["content"]
            parts = [{"type": "text", "text": content}] if isinstance(content, str) else content
            out[-1] = {**last, "content": [*parts, *extra]}
        self._check_request(out)
        return out

    def _part(self, raw: Image | Mapping[str, Any], where: str) -> dict[str, Any]:
        """An image part as rendered (`{"url", "detail"}`) as a checked one."""
        image = raw if isinstance(raw, Image) else self.image(
            raw.get("url"), raw.get("detail") or self.detail, where)
        return {"type": "image_url", "image_url": image}

    def image(self, value: Any, detail: str, where: str) -> Image:
        """One image from a row's value: an http(s) URL, a data URL or a local path."""
        text = "" if value is None else str(value).strip()
        if not text:
            raise ImageError(f"{_at(where)}no image (the value is empty)")
        lower = text[:11].lower()
        if lower.startswith(("http://", "https://")):
            return Image(kind="url", source=text, detail=detail)
        if lower.startswith("data:"):
            return self._data_url(text, detail, where)
        if "://" in text:
            raise ImageError(f"{_at(where)}{text} is neither an http(s) URL nor a local path")
        return self._file(text, detail, where)

    def _file(self, text: str, detail: str, where: str) -> Image:
        path = Path(text).expanduser()
        path = path if path.is_absolute() else self.base / path
        what = f"{_at(where)}image {text}"
        try:
            stat = path.stat()
        except FileNotFoundError:
            raise ImageError(f"{what} does not exist (looked for {path})") from None
        except OSError as exc:
            raise ImageError(f"{what} cannot be read ({exc.strerror or exc})") from None
        if not path.is_file():
            raise ImageError(f"{what} is not a file ({path})")
        key = (str(path), stat.st_size, stat.st_mtime_ns)
        checked = self._files.get(key)
        if checked is None:
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise ImageError(f"{what} cannot be read ({exc.strerror or exc})") from None
            checked = self._files[key] = inspect(data, what)
        sent = _sent_size(checked.size, self.max_side)
        if sent == checked.size and checked.stored_bytes > defaults.MAX_IMAGE_BYTES:
            raise ImageError(
                f"{what} is {_mb(checked.stored_bytes)}, over the API's "
                f"{_mb(defaults.MAX_IMAGE_BYTES)} per image: compress it, or set max_image_side "
                f"below its {max(checked.size)} px so it is downsized before sending")
        return Image(kind="file", source=text, detail=detail, path=path, sha256=checked.sha256,
                     size=sent, format=checked.format, stored_bytes=checked.stored_bytes,
                     downsized=sent != checked.size)

    def _data_url(self, text: str, detail: str, where: str) -> Image:
        head, _, payload = text.partition(",")
        what = f"{_at(where)}image {head},…"
        if not head.lower().endswith(";base64") or not head[5:].lower().startswith("image/"):
            raise ImageError(f"{what} is not a base64 image data URL "
                             "(data:image/png;base64,... expected)")
        try:
            data = base64.b64decode(payload, validate=True)
        except (binascii.Error, ValueError):
            raise ImageError(f"{what} does not hold valid base64") from None
        checked = inspect(data, what)
        if checked.stored_bytes > defaults.MAX_IMAGE_BYTES:
            raise ImageError(f"{what} is {_mb(checked.stored_bytes)}, over the API's "
                             f"{_mb(defaults.MAX_IMAGE_BYTES)} per image (a data URL is sent "
                             "as it is: give a file path instead to have it downsized)")
        return Image(kind="data", source=text, detail=detail, sha256=checked.sha256,
                     size=checked.size, format=checked.format,
                     stored_bytes=checked.stored_bytes)

    @staticmethod
    def _check_request(messages: list[dict[str, Any]]) -> None:
        """OpenAI's limits per request: 500 images, 50 MB of image bytes (a downsized photo
        counted at its stored size, which its smaller copy does not exceed in practice)."""
        images = list(images_in(messages))
        if len(images) > defaults.MAX_REQUEST_IMAGES:
            raise ImageError(f"{len(images)} images in one request, over the API's "
                             f"{defaults.MAX_REQUEST_IMAGES}")
        total = sum(i.stored_bytes for i in images)
        if total > defaults.MAX_REQUEST_IMAGE_BYTES:
            raise ImageError(f"the request's images come to {_mb(total)}, over the API's "
                             f"{_mb(defaults.MAX_REQUEST_IMAGE_BYTES)} per request: set a "
                             "lower max_image_side or send fewer images per row")


def images_in(messages: Sequence[Mapping[str, Any]]) -> list[Image]:
    """Every checked image in the messages, in order."""
    return [part["image_url"] for m in messages if isinstance(m.get("content"), list)
            for part in m["content"] if isinstance(part.get("image_url"), Image)]


def _map_parts(messages: list[dict[str, Any]], convert: Any) -> list[dict[str, Any]]:
    """The messages with each Image part converted; text-only messages are returned as they
    are (the same list), so their fingerprints and bodies stay byte-identical."""
    if all(isinstance(m.get("content"), str) for m in messages):
        return messages
    out = []
    for message in messages:
        content = message.get("content")
        if isinstance(content, list):
            message = {**message, "content": [
                {"type": "image_url", "image_url": convert(part["image_url"])}
                if isinstance(part.get("image_url"), Image) else part for part in content]}
        out.append(message)
    return out


def fingerprint_messages(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The messages as the fingerprint hashes them: each image as its sha256 and size."""
    return _map_parts(messages, Image.fingerprint_part)


def wire_messages(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The messages as sent: each image as `{"url", "detail"}`, a local file as a data URL
    built now (one request's photos in memory at a time, only while its body is sent)."""
    return _map_parts(messages, lambda image: {"url": image.url(), "detail": image.detail})


def part_tokens(part: Mapping[str, Any]) -> int:
    """An image part's tokens: from a checked Image, or from a part as sent (a data URL is
    decoded for its size: what a server does; an http URL is estimated from detail alone)."""
    value = part.get("image_url")
    if isinstance(value, Image):
        return value.tokens
    value = value if isinstance(value, Mapping) else {"url": value}
    detail = str(value.get("detail") or "auto")
    url = str(value.get("url") or "")
    if url[:5].lower() == "data:":
        try:
            with PILImage.open(io.BytesIO(base64.b64decode(url.partition(",")[2]))) as im:
                return image_tokens(im.size, detail)
        except (OSError, ValueError, binascii.Error):
            return image_tokens(None, detail)
    return image_tokens(None, detail)
