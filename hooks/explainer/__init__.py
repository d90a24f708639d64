"""explainer: turn a news story's YAML facts into a cross-linked explainer site."""
