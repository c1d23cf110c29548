"""The baseline of ``bench_http.py``: a minimal Flask app doing a NumPy top-10 per request.

It holds ``PUENTE_BENCH_VECTORS`` random unit float32 vectors of 128 dimensions (built once per
worker) and answers ``GET /top10?q=<row>`` with the ten rows nearest to that row, by a dense
dot-product scan and ``argpartition``. No database, no authentication: the cost of the math
plus Flask's own, which is what the real request path is compared with.
"""

from __future__ import annotations

import os

import numpy as np
from flask import Flask, jsonify, request

DIMENSIONS = 128


def create_app() -> Flask:
    """Build the app with its vectors."""
    count = int(os.environ.get("PUENTE_BENCH_VECTORS", "20000"))
    rng = np.random.default_rng(7)
    vectors = rng.standard_normal((count, DIMENSIONS), dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    app = Flask(__name__)

    @app.get("/top10")
    def top10():
        row = request.args.get("q", default=0, type=int) % count
        scores = vectors @ vectors[row]
        best = np.argpartition(-scores, 10)[:10]
        best = best[np.argsort(-scores[best])]
        return jsonify({"ids": best.tolist(), "scores": scores[best].round(4).tolist()})

    return app
