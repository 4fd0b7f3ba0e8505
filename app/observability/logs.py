"""Server logs: one JSON object a line (``PRECHECK_LOG_FORMAT=json``, the default) or plain text.

A record's extra fields (``logger.info(..., extra={"request_id": …})``) become keys of the object.
Nothing here ever logs a draft's text: callers pass ids, counts and outcomes only.
"""

from __future__ import annotations

import json
import logging
import time

# Attributes every LogRecord has; anything else on a record was passed in ``extra``.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "color_message"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out = {"ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
               "level": record.levelname.lower(), "logger": record.name, "message": record.getMessage()}
        for k, v in vars(record).items():
            if k not in _STANDARD and not k.startswith("_"):
                out[k] = v
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


def log_config(fmt: str, level: str = "INFO") -> dict:
    """A ``logging.dictConfig`` for uvicorn and precheck's own loggers (each worker applies it)."""
    formatter = ({"()": "app.observability.logs.JsonFormatter"} if fmt == "json"
                 else {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"})
    handler = {"class": "logging.StreamHandler", "formatter": "main", "stream": "ext://sys.stderr"}
    return {
        "version": 1, "disable_existing_loggers": False,
        "formatters": {"main": formatter},
        "handlers": {"main": handler},
        "loggers": {
            "precheck": {"handlers": ["main"], "level": level, "propagate": False},
            "uvicorn": {"handlers": ["main"], "level": level, "propagate": False},
            "uvicorn.error": {"level": level},
            # precheck.access writes the request lines (with the request id); uvicorn's own is off.
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        },
    }
