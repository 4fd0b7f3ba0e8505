"""The typo engines: confusion pairs (always on), a statistical language-model detector, MacBERT (optional)."""
