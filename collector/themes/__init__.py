"""Comment themes: what the visitors' free-text comments are about, in Arabic and English, matched on the collector.

    normalise.py   Arabic letters folded (alef, yaa, taa marbuta), diacritics and tatweel dropped, digits
    lexicon.py     the editable word lists, one TOML per theme in lexicon/, read into a Lexicon
    match.py       a comment's themes: words on their stems, phrases in order, the phrases that cancel a theme

Pure: no I/O but reading the shipped lexicon files, no network (nothing leaves the machine).
"""
