"""Grammar rules over jieba tokens: 的/地/得, duplicated words, paired conjunctions, long sentences."""
