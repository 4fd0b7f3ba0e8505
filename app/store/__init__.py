"""The audit store (clause 五): every check, approvals, publications, the supervision ledger, API keys."""

from .service import AuditStore, StoreUnavailable

__all__ = ["AuditStore", "StoreUnavailable"]
