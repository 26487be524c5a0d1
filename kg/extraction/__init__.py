"""Extraction: from a normalised document and its NER spans to facts with evidence.

``frames.yaml`` declares the relation frames (trigger words, argument slots,
guards) that ``matcher`` applies; ``rules`` and ``speech`` hold the few rules
that are not frames, registered by id in ``registry``; ``context`` is what a rule may know
beyond its sentence; ``extractor`` runs it all per document.
"""
