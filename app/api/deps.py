"""What an endpoint may ask for, typed: the settings the app was made with, the current resources,
the resources holder (for reloads) and the audit store. Nothing below the app reads the environment."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from ..resources import Holder, Resources
from ..settings import Settings
from ..store.service import AuditStore


def app_settings(request: Request) -> Settings:
    return request.app.state.settings


def holder(request: Request) -> Holder:
    return request.app.state.holder


def current(request: Request) -> Resources:
    """The resources of this request: a reload meanwhile does not change them under it."""
    return request.app.state.holder.current


def store(request: Request) -> AuditStore:
    return request.app.state.store


SettingsDep = Annotated[Settings, Depends(app_settings)]
HolderDep = Annotated[Holder, Depends(holder)]
ResourcesDep = Annotated[Resources, Depends(current)]
StoreDep = Annotated[AuditStore, Depends(store)]
