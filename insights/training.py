"""Training the tagger's model from labelled messages: the only place scikit-learn is loaded."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression

from insights.concepts import PILLARS
from insights.model import KINDS, MIN_EXAMPLES, MIN_POSITIVES, N_FEATURES, Example, TaggerModel
from insights.model import features as text_features


def feature_matrix(texts: Sequence[str]) -> csr_matrix:
    """The features of many texts as one sparse matrix, for training."""
    rows = [text_features(text) for text in texts]
    indptr = np.cumsum([0] + [len(columns) for columns, _values in rows])
    columns = np.concatenate([c for c, _v in rows]) if rows else np.zeros(0, dtype=np.int64)
    values = np.concatenate([v for _c, v in rows]) if rows else np.zeros(0, dtype=np.float32)
    return csr_matrix((values, columns, indptr), shape=(len(rows), N_FEATURES))


def train(examples: Sequence[Example], version: int) -> TaggerModel:
    """Learn pillars (and kinds, where labelled) from examples; thin classes are left out."""
    matrix = feature_matrix([e.text for e in examples])
    pillars, weights, biases = [], [], []
    if len(examples) >= MIN_EXAMPLES:
        for pillar in PILLARS:
            labels = np.array([pillar in e.pillars for e in examples])
            if MIN_POSITIVES <= labels.sum() <= len(labels) - MIN_POSITIVES:
                fitted = _fit(matrix, labels)
                pillars.append(pillar)
                weights.append(fitted.coef_[0])
                biases.append(fitted.intercept_[0])
    kinds, kind_weights, kind_biases = _train_kinds(matrix, examples)
    return TaggerModel(
        version=version,
        trained_at=datetime.now(UTC).isoformat(timespec="seconds"),
        examples=len(examples),
        pillars=tuple(pillars),
        pillar_weights=np.array(weights, dtype=np.float32)
        .reshape(len(pillars), N_FEATURES)
        .T.copy(),
        pillar_bias=np.array(biases, dtype=np.float32),
        kinds=kinds,
        kind_weights=kind_weights,
        kind_bias=kind_biases,
    )


def _fit(features, labels) -> LogisticRegression:
    return LogisticRegression(C=4.0, class_weight="balanced", max_iter=1000).fit(features, labels)


def _train_kinds(matrix: csr_matrix, examples: Sequence[Example]):
    labelled = [i for i, e in enumerate(examples) if e.kind in KINDS]
    counts = Counter(examples[i].kind for i in labelled)
    kinds = tuple(k for k in KINDS if counts[k] >= MIN_POSITIVES)
    if len(labelled) < MIN_EXAMPLES or len(kinds) < 2:
        return (), np.zeros((N_FEATURES, 0), dtype=np.float32), np.zeros(0, dtype=np.float32)
    rows = [i for i in labelled if examples[i].kind in kinds]
    fitted = _fit(matrix[rows], np.array([examples[i].kind for i in rows]))
    order = [list(fitted.classes_).index(k) for k in kinds]
    coef = fitted.coef_ if len(kinds) > 2 else np.vstack([-fitted.coef_[0], fitted.coef_[0]])
    bias = (
        fitted.intercept_
        if len(kinds) > 2
        else np.array([-fitted.intercept_[0], fitted.intercept_[0]])
    )
    return kinds, coef[order].T.astype(np.float32).copy(), bias[order].astype(np.float32)
