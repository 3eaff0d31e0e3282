"""Speed and quality figures for language detection and pillar tagging (`make bench`)."""
