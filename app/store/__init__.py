"""The audit store (clause 五): every check, approvals, publications, the supervision ledger, API keys."""

from .service import AuditStore, RecordRefused, StoreUnavailable

__all__ = ["AuditStore", "RecordRefused", "StoreUnavailable"]
