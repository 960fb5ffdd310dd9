"""The search index's filters: the structured ones (type, quantity, price, certification,
delivery, country) and the distance from a place."""

from __future__ import annotations

import math

import numpy as np

from core.catalog.index_rows import _CERTS, _DELIV, _TYPES, IndexRows, _unit
from core.catalog.query import SearchQuery

EARTH_KM = 6371.0
EDGE_KM = 0.01  # within this of a distance limit the great-circle formula decides


class Filtering(IndexRows):
    """The filters of `SearchIndex`, over columns of candidate rows."""

    def narrow(self, cand: np.ndarray, q: SearchQuery) -> np.ndarray:
        """The rows passing the query's filters and distance limit."""
        cand = self._filter(cand, q)
        if q.max_km is not None and q.lat is not None and q.lon is not None:
            cand = self._within(cand, q.lat, q.lon, q.max_km)
        return cand

    def _filter(self, cand: np.ndarray, q: SearchQuery) -> np.ndarray:
        if q.product_type:
            cand = cand[self.col("type")[cand] == _TYPES.get(q.product_type, -2)]
        if q.qty_min is not None:
            cand = cand[self.col("qty")[cand] >= q.qty_min]
        if q.qty_max is not None:
            cand = cand[self.col("qty")[cand] <= q.qty_max]
        if q.price_min is not None or q.price_max is not None or q.price_mwh_max is not None:
            cand = cand[self.col("cur")[cand] == q.currency]
        if q.price_min is not None:
            cand = cand[self.col("price")[cand] >= q.price_min]
        if q.price_max is not None:
            cand = cand[self.col("price")[cand] <= q.price_max]
        if q.price_mwh_max is not None:
            pm = self.col("pmwh")[cand]
            cand = cand[(pm >= 0) & (pm <= q.price_mwh_max)]
        if q.certification:
            cand = cand[(self.col("certs")[cand] & _CERTS.get(q.certification, 0)) != 0]
        if q.delivery:
            cand = cand[(self.col("deliv")[cand] & _DELIV.get(q.delivery, 0)) != 0]
        if q.negotiable_only:
            cand = cand[self.col("neg")[cand]]
        if q.country:
            cand = cand[self.col("country")[cand] == q.country]
        return cand

    def _within(self, cand: np.ndarray, lat: float, lon: float, max_km: float) -> np.ndarray:
        """Rows within max_km: a dot product on the unit sphere, the great-circle formula of
        `_distance` deciding the rows within EDGE_KM of the limit."""
        px, py, pz = _unit(lat, lon)
        dot = self.col("x")[cand] * px + self.col("y")[cand] * py + self.col("z")[cand] * pz
        near = math.cos(min(math.pi, max(0.0, max_km - EDGE_KM) / EARTH_KM))
        far = math.cos(min(math.pi, (max_km + EDGE_KM) / EARTH_KM))
        inside = dot > near if max_km > EDGE_KM else np.zeros(len(cand), dtype=bool)
        edge = np.flatnonzero(~inside & (dot >= far))
        if len(edge):
            inside[edge[self._km(cand[edge], lat, lon) <= max_km]] = True
        return cand[inside]

    def _distance(self, cand: np.ndarray, q: SearchQuery) -> np.ndarray | None:
        if q.lat is None or q.lon is None:
            return None
        return self._km(cand, q.lat, q.lon)

    def _km(self, cand: np.ndarray, lat0: float, lon0: float) -> np.ndarray:
        lat, lon = np.radians(self.col("lat")[cand]), np.radians(self.col("lon")[cand])
        p1, l1 = math.radians(lat0), math.radians(lon0)
        a = np.sin((lat - p1) / 2) ** 2 + math.cos(p1) * np.cos(lat) * np.sin((lon - l1) / 2) ** 2
        return EARTH_KM * 2 * np.arcsin(np.sqrt(np.minimum(a, 1.0)))
