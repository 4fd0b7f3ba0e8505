"""The house style of HTML drafts (三(四)2): inline styles read per run of text, judged by ``rules``."""
