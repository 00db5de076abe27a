"""The embedded engine: SQLite FTS5 over folded character bigrams, in its own file.

Its own SQLite file (settings.SEARCH_INDEX_PATH) works whatever the main database is. Tables:
- `docs`: one row per document (the JSON document plus sort/geo columns);
- `fts`: FTS5 over four weighted columns (name+kana+reading > summary+keywords = vocabulary
  labels > description and the rest), each holding folded bigram tokens and Sudachi normal-form tokens (search/text.py);
- `fts_name`: the name column alone, for the name bonus's "which names hold a query word";
- `doc_values`: (field, value, rowid) for filters and date ranges;
- `meta`: a generation number, changed by every write.
Facet counts are popcounts of bitsets (Python ints) of the matched rowids AND each facet value's
rowids; the value bitsets are built once per generation and kept per process. A counted field
with chosen values is counted disjunctively (without its own filter, see `_facets`): one more
rowid query for all such fields together, none when the query has no other condition.
The file itself (schema, connections, transactions, bitsets) is embedded_store.py; this module
is the engine: indexing through it, the query, ranking and facets.
"""

from __future__ import annotations

import heapq
import json
import math
import sqlite3
from collections.abc import Callable, Collection, Iterable
from datetime import date, timedelta
from operator import itemgetter
from pathlib import Path
from typing import Any

from core.geo import bounding_box, haversine_km
from core.text import fold
from search.engines.base import (
    PARTIAL_BELOW,
    Hit,
    SearchDocument,
    SearchEngine,
    SearchQuery,
    SearchResult,
    SearchUnavailable,
    disjunctive_facets,
)
from search.engines.embedded_store import (
    ALL_ROWS,
    SCHEMA,
    age_value,
    bitset,
    bump_generation,
    connect,
    drop,
    filter_values,
    fts_columns,
    schema_lock,
    transaction,
    value_bitsets,
)
from search.text import clause_phrases, fts_clause, highlight, query_terms, term_variants

# bm25 weights of the fts columns: name/kana/reading, summary/keywords, labels, the rest.
COLUMN_WEIGHTS = (10.0, 4.0, 4.0, 1.0)
# Columns a literal word (one the resident asked not to read as a field) is searched in.
TEXT_COLUMNS = "{name summary body}"
# A listing not verified for this long ranks a little lower (its bm25 score shrinks by STALE_FACTOR).
STALE_AFTER_DAYS = 365
STALE_FACTOR = 0.8
# Added per query term found in the name or kana. bm25 alone cannot favour names for a term in
# more than half of the documents (its IDF is then clamped to ~0), so names get this floor.
NAME_BONUS = 2.0
# Relevance first reads the name and verification date of the page's worth of best candidates
# plus this many (by bm25, and among listings with every term in the name); more only when a
# listing outside them could still reach the page (see _rank).
RERANK_MARGIN = 200
SNIPPET_WIDTH = 80
# A date range of fewer days filters through the list of its (listing, day) rows; a longer one
# (今月, 来月: hundreds of thousands of rows at 100k listings) by one look-up per matched row.
IN_LIST_DAYS = 8
_WEIGHTS = ", ".join(str(weight) for weight in COLUMN_WEIGHTS)
_BM25_SQL = f"bm25(fts, {_WEIGHTS})"
# FTS5's bm25 parameter k1: a phrase adds at most idf × (k1 + 1) to a row's score, whatever
# its frequency, the column weights and the row's length.
BM25_K1 = 1.2
# Named matches' bm25 is read first only when that bound is within this many name bonuses
# (see _named_first_bound).
NAMED_FIRST_WITHIN = 2
_BM25 = itemgetter(1)


class EmbeddedEngine(SearchEngine):
    """SQLite FTS5 search in one file; no server. See the module docstring for the layout."""

    name = "embedded"

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    @property
    def connection(self) -> sqlite3.Connection:
        try:
            return connect(self.path)
        except sqlite3.Error as error:
            raise SearchUnavailable(f"search index unavailable: {error}") from error

    # -- writing --------------------------------------------------------------------------
    def index(self, documents: Iterable[SearchDocument]) -> None:
        rows = [(document, fts_columns(document)) for document in documents]
        if not rows:
            return
        connection = self.connection
        with transaction(connection):
            self._delete(connection, [document["id"] for document, _ in rows])
            for document, columns in rows:
                rowid = connection.execute(
                    "INSERT INTO docs (id, name_key, name_text, lat, lng, next_occurrence,"
                    " last_verified) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        document["id"],
                        fold(document["kana"] or document["name"]),
                        fold(f"{document['name']}\n{document['kana']}\n{document['name_reading']}"),
                        document["lat"],
                        document["lng"],
                        document["next_occurrence"],
                        document["last_verified"],
                    ),
                ).lastrowid
                connection.execute(
                    "INSERT INTO doc_store (rowid, document) VALUES (?, ?)",
                    (rowid, json.dumps(document, ensure_ascii=False)),
                )
                connection.execute(
                    "INSERT INTO fts (rowid, name, summary, labels, body) VALUES (?, ?, ?, ?, ?)",
                    (rowid, *columns),
                )
                connection.execute(
                    "INSERT INTO fts_name (rowid, name) VALUES (?, ?)", (rowid, columns[0])
                )
                connection.executemany(
                    "INSERT OR IGNORE INTO doc_values (field, value, rowid) VALUES (?, ?, ?)",
                    [(field, value, rowid) for field, value in filter_values(document)],
                )

    def delete(self, ids: Iterable[str]) -> None:
        connection = self.connection
        with transaction(connection):
            self._delete(connection, list(ids))

    @staticmethod
    def _delete(connection: sqlite3.Connection, ids: list[str]) -> None:
        bump_generation(connection)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rowids = [
                row[0]
                for row in connection.execute(
                    f"SELECT rowid FROM docs WHERE id IN ({marks})",  # noqa: S608
                    chunk,
                )
            ]
            for rowid in rowids:
                connection.execute("DELETE FROM fts WHERE rowid = ?", (rowid,))
                connection.execute("DELETE FROM fts_name WHERE rowid = ?", (rowid,))
                connection.execute("DELETE FROM doc_values WHERE rowid = ?", (rowid,))
                connection.execute("DELETE FROM docs WHERE rowid = ?", (rowid,))
                connection.execute("DELETE FROM doc_store WHERE rowid = ?", (rowid,))

    def clear(self) -> None:
        connection = self.connection
        with schema_lock, transaction(connection):
            drop(connection)
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    connection.execute(statement)

    def optimize(self) -> None:
        """Merge FTS segments after a bulk load (faster queries, smaller file)."""
        self.connection.execute("INSERT INTO fts (fts) VALUES ('optimize')")
        self.connection.execute("INSERT INTO fts_name (fts_name) VALUES ('optimize')")

    # -- reading --------------------------------------------------------------------------
    def health(self) -> dict[str, Any]:
        try:
            count = self.connection.execute("SELECT count(*) FROM docs").fetchone()[0]
        except (sqlite3.Error, SearchUnavailable) as error:
            return {"ok": False, "engine": self.name, "error": type(error).__name__}
        return {"ok": True, "engine": self.name, "documents": count, "path": str(self.path)}

    def search(self, query: SearchQuery) -> SearchResult:
        try:
            return self._search(query)
        except sqlite3.OperationalError as error:
            raise SearchUnavailable(f"search index error: {error}") from error

    def _search(self, query: SearchQuery) -> SearchResult:
        connection = self.connection
        words = query_terms(query.text)
        terms = [term_variants(term) for term in words]
        literal = set(query_terms(" ".join(query.literal)))
        clauses = [
            f"{TEXT_COLUMNS} : {fts_clause(variants)}" if word in literal else fts_clause(variants)
            for word, variants in zip(words, terms, strict=True)
        ]
        match = " AND ".join(clauses)
        # The same words asked of the name alone (fts_name has no other column to restrict to).
        name_match = " AND ".join(fts_clause(variants) for variants in terms)
        geo = query.point is not None and query.radius_km is not None
        if match:
            rid = "fts.rowid"
            source = "fts JOIN docs d ON d.rowid = fts.rowid" if geo else "fts"
        else:
            rid, source = "d.rowid", "docs d"
        # The unary + keeps SQLite from driving the full-text query by rowid (one MATCH per id).
        where, params = _where(query, f"+{rid}" if match else rid)
        # With words, one full-text scan serves the results and the disjunctive counts: it
        # leaves out the chosen counted fields' filters, which only gate bm25 here and are
        # applied to the rows afterwards from the kept value bitsets (`_kept`).
        chosen = disjunctive_facets(query) if match else []
        scan_where, scan_params = _where(query, f"+{rid}" if match else rid, without=chosen)
        gate_where, gate_params = _filter_where(query, f"+{rid}", chosen)
        gate = " AND ".join(gate_where)
        if match:
            where, params = ["fts MATCH ?", *where], [match, *params]
            scan_where, scan_params = ["fts MATCH ?", *scan_where], [match, *scan_params]
        condition = " AND ".join(where) or "1"
        scan = " AND ".join(scan_where) or "1"
        by_relevance = bool(match) and query.sort == "relevance"
        # Text relevance reads bm25 in the same pass that counts the matches, and at first only
        # for matches with a query word in the name: bm25 is the expensive part (see _rank_named).
        offset = (max(query.page, 1) - 1) * query.page_size
        end = offset + query.page_size
        phrases = [phrase for variants in terms for phrase in clause_phrases(variants)]
        in_name = " OR ".join(phrases)
        bound = None
        if by_relevance and len(words) == 1 and not literal:
            bound = _named_first_bound(connection, phrases, in_name, end)
        bm25, select_params = "", []
        full_bm25 = f", {_BM25_SQL}"
        if gate:
            full_bm25 = f", CASE WHEN {gate} THEN {_BM25_SQL} END"
        if bound is not None:
            named = f"{rid} IN (SELECT rowid FROM fts_name WHERE fts_name MATCH ?)"  # noqa: S608
            bm25 = f", CASE WHEN {' AND '.join([*gate_where, named])} THEN {_BM25_SQL} END"
            select_params = [*gate_params, in_name]
        elif by_relevance:
            bm25, select_params = full_bm25, gate_params
        select = f"SELECT {rid}{{bm25}} FROM {source} WHERE {scan}"  # noqa: S608
        matches = connection.execute(
            select.format(bm25=bm25), [*select_params, *scan_params]
        ).fetchall()
        unfiltered = None
        if chosen:
            unfiltered = bitset(row[0] for row in matches)
            kept = self._kept(connection, query, chosen)
            matches = [row for row in matches if kept(row[0])]
        rowids = [row[0] for row in matches]
        total = len(rowids)
        if by_relevance and query.partial and len(clauses) > 1 and total < PARTIAL_BELOW:
            return self._partial(
                connection, query, terms, clauses, source, rid, where[1:], params[1:], total
            )
        facets = self._facets(connection, query, rowids, match, source, rid, unfiltered)
        rows: list[tuple[int, float]] = []
        if offset < total:
            if by_relevance:
                page = None
                if bound is not None:
                    page = _rank_named(connection, terms, name_match, bound, matches, offset, end)
                    if page is None:
                        matches = connection.execute(
                            select.format(bm25=full_bm25), [*gate_params, *scan_params]
                        ).fetchall()
                        if chosen:
                            matches = [row for row in matches if kept(row[0])]
                rows = page or _rank(connection, terms, name_match, matches, offset, end)
            else:
                rows = self._page(connection, query, match, condition, params, offset)
        return self._result(connection, query, terms, rows, total, facets)

    def _result(
        self,
        connection: sqlite3.Connection,
        query: SearchQuery,
        terms: list[list[str]],
        rows: list[tuple[int, float]],
        total: int,
        facets: dict[str, dict[str, int]],
        all_words_total: int | None = None,
    ) -> SearchResult:
        needles = [variant for variants in terms for variant in variants]
        documents = self._documents(connection, [rowid for rowid, _ in rows])
        hits = [self._hit(documents[rowid], score, query, needles) for rowid, score in rows]
        return SearchResult(
            hits=hits,
            total=total,
            facets=facets,
            engine=self.name,
            all_words_total=all_words_total,
        )

    def _partial(
        self,
        connection: sqlite3.Connection,
        query: SearchQuery,
        terms: list[list[str]],
        clauses: list[str],
        source: str,
        rid: str,
        where: list[str],
        params: list[Any],
        all_words_total: int,
    ) -> SearchResult:
        """Listings with any of the words, by how many they contain, then by relevance.

        Meilisearch's matchingStrategy idea (its "words" rule comes first): coverage decides,
        then, inside one coverage, the same relevance as a full match (field weights, name
        bonus, freshness). Only used when every word together matches fewer than PARTIAL_BELOW.
        """
        any_word = " OR ".join(f"({clause})" for clause in clauses)
        condition = " AND ".join(["fts MATCH ?", *where])
        matches = connection.execute(
            f"SELECT {rid}, bm25(fts, {_WEIGHTS}) FROM {source} WHERE {condition}",  # noqa: S608
            [any_word, *params],
        ).fetchall()
        bm25_of = dict(matches)
        coverage = dict.fromkeys(bm25_of, 0)
        for clause in clauses:
            for (rowid,) in connection.execute("SELECT rowid FROM fts WHERE fts MATCH ?", [clause]):
                if rowid in coverage:
                    coverage[rowid] += 1
        groups: dict[int, list[tuple[int, float]]] = {}
        for rowid, bm25 in matches:
            groups.setdefault(coverage[rowid], []).append((rowid, bm25))
        offset = (max(query.page, 1) - 1) * query.page_size
        end = offset + query.page_size
        rows: list[tuple[int, float]] = []
        start = 0
        for count in sorted(groups, reverse=True):
            group = groups[count]
            stop = start + len(group)
            if stop > offset and start < end:
                rows += _rank(
                    connection,
                    terms,
                    " OR ".join(f"({fts_clause(variants)})" for variants in terms),
                    group,
                    max(offset - start, 0),
                    min(end, stop) - start,
                )
            start = stop
        facets = self._facets(connection, query, list(bm25_of), any_word, source, rid)
        widened = len(matches) > all_words_total
        return self._result(
            connection,
            query,
            terms,
            rows,
            len(matches),
            facets,
            all_words_total if widened else None,
        )

    @staticmethod
    def _documents(connection: sqlite3.Connection, rowids: list[int]) -> dict[int, SearchDocument]:
        marks = ",".join(str(int(rowid)) for rowid in rowids)
        return {
            rowid: json.loads(document)
            for rowid, document in connection.execute(
                f"SELECT rowid, document FROM doc_store WHERE rowid IN ({marks})"  # noqa: S608
            )
        }

    @staticmethod
    def _page(
        connection: sqlite3.Connection,
        query: SearchQuery,
        match: str,
        condition: str,
        params: list[Any],
        offset: int,
    ) -> list[tuple[int, float]]:
        """One page in a sort other than text relevance; upcoming text matches tie-break by bm25."""
        order, order_params = _order(query)
        source, score = "docs d", "0.0"
        if match:
            source = "fts JOIN docs d ON d.rowid = fts.rowid"
            if query.sort == "upcoming":
                score = f"bm25(fts, {_WEIGHTS})"
        return connection.execute(
            f"SELECT d.rowid, {score} AS score FROM {source} WHERE {condition}"  # noqa: S608
            f" ORDER BY {order} LIMIT ? OFFSET ?",
            [*params, *order_params, query.page_size, offset],
        ).fetchall()

    def _facets(
        self,
        connection: sqlite3.Connection,
        query: SearchQuery,
        rowids: list[int],
        match: str,
        source: str,
        rid: str,
        unfiltered: int | None = None,
    ) -> dict[str, dict[str, int]]:
        """{field: {value: n}} of query.facets, most frequent first (docs/search.md "件数").

        A field without chosen values is counted over the matched rowids. A field with chosen
        values is counted disjunctively: over the matches of every other condition (`match`
        and the rest of the query), i.e. with its own filter removed, so the number beside a
        value is how many results it gives in place of the field's choices. Those matches come
        from one rowid query without any chosen field's filter (`_matched_without`), or are
        `unfiltered` when the search's own scan already read them; each field's scope is that
        AND the other chosen fields' values (their bitsets' OR).
        """
        names = list(dict.fromkeys(query.facets))
        chosen = disjunctive_facets(query)
        value_bits = value_bitsets(self.path, connection, [*names, ALL_ROWS] if chosen else names)
        scopes = dict.fromkeys(names, bitset(rowids))
        if chosen:
            if unfiltered is None:
                unfiltered = self._matched_without(connection, query, chosen, match, source, rid)
            if unfiltered is None:
                unfiltered = value_bits[ALL_ROWS].get("", 0)
            picked = {
                name: _union(value_bits.get(name, {}), query.filters[name]) for name in chosen
            }
            for name in chosen:
                scopes[name] = unfiltered
                for other in chosen:
                    if other != name:
                        scopes[name] &= picked[other]
        return {name: _counts(scopes[name], value_bits.get(name, {})) for name in names}

    def _kept(
        self, connection: sqlite3.Connection, query: SearchQuery, fields: Collection[str]
    ) -> Callable[[int], bool]:
        """Whether a rowid passes the filters on `fields`, read from the kept value bitsets.

        The same rows as those fields' `_filter_where` conditions: both read doc_values.
        """
        bitsets = value_bitsets(self.path, connection, list(fields))
        picked = -1
        for field in fields:
            picked &= _union(bitsets.get(field, {}), query.filters[field])
        flags = picked.to_bytes((picked.bit_length() + 7) // 8, "little") if picked > 0 else b""

        def kept(rowid: int) -> bool:
            byte = rowid >> 3
            return byte < len(flags) and bool(flags[byte] >> (rowid & 7) & 1)

        return kept

    def _matched_without(
        self,
        connection: sqlite3.Connection,
        query: SearchQuery,
        fields: Collection[str],
        match: str,
        source: str,
        rid: str,
    ) -> int | None:
        """The bitset of the query's matches with the filters on `fields` left out.

        None when nothing else is asked: every document matches.
        """
        where, params = _where(query, f"+{rid}" if match else rid, without=fields)
        if match:
            where, params = ["fts MATCH ?", *where], [match, *params]
        if not where:
            return None
        condition = " AND ".join(where)
        rows = connection.execute(f"SELECT {rid} FROM {source} WHERE {condition}", params)  # noqa: S608
        return bitset(rowid for (rowid,) in rows)

    @staticmethod
    def _hit(document: SearchDocument, score: float, query: SearchQuery, needles: list[str]) -> Hit:
        distance = None
        if query.point is not None and document["lat"] is not None and document["lng"] is not None:
            distance = haversine_km(
                query.point.lat, query.point.lng, document["lat"], document["lng"]
            )
        highlights: dict[str, str] = {}
        if needles:
            highlights = {
                "name": highlight(document["name"], needles),
                "summary": highlight(document["summary"], needles),
                "description": highlight(document["description"], needles, SNIPPET_WIDTH),
            }
        return Hit(document=document, score=-score, distance_km=distance, highlights=highlights)


def _counts(scope: int, bitsets: dict[str, int]) -> dict[str, int]:
    """{value: rows of `scope` with it}, most frequent first, values without any left out."""
    counts = [(value, (scope & bits).bit_count()) for value, bits in bitsets.items()]
    return {
        value: count
        for value, count in sorted(counts, key=lambda item: (-item[1], item[0]))
        if count
    }


def _union(bitsets: dict[str, int], values: list[str]) -> int:
    """The rows holding any of `values` (one field's filter: OR within the field)."""
    union = 0
    for value in values:
        union |= bitsets.get(str(value), 0)
    return union


def _filter_where(
    query: SearchQuery, rid: str, fields: Iterable[str]
) -> tuple[list[str], list[Any]]:
    """One `rid IN (…)` condition per field of `fields` with chosen values (OR within it)."""
    where: list[str] = []
    params: list[Any] = []
    for field in fields:
        values = query.filters.get(field)
        if not values:
            continue
        marks = ",".join("?" * len(values))
        where.append(
            f"{rid} IN (SELECT rowid FROM doc_values WHERE field = ? AND value IN ({marks}))"  # noqa: S608
        )
        params.extend([field, *[str(v) for v in values]])
    return where, params


def _where(
    query: SearchQuery, rid: str, without: Collection[str] = ()
) -> tuple[list[str], list[Any]]:
    """SQL conditions for filters (AND across fields, OR within), dates and radius.

    `rid` is the matched row's id column; the radius condition needs `docs d` in the source.
    Filters on the fields in `without` are left out (disjunctive facet counts).
    """
    fields = [field for field in sorted(query.filters) if field not in without]
    where, params = _filter_where(query, rid, fields)
    if query.date_from or query.date_to:
        first, last = query.date_from or date.min, query.date_to or date.max
        if (last - first).days < IN_LIST_DAYS:
            where.append(
                f"{rid} IN (SELECT rowid FROM doc_values WHERE field = 'date' AND value BETWEEN ? AND ?)"  # noqa: S608
            )
        else:  # one indexed look-up per candidate row instead of a list of every date row
            where.append(
                "EXISTS (SELECT 1 FROM doc_values v WHERE v.field = 'date'"  # noqa: S608
                f" AND v.rowid = {rid} AND v.value BETWEEN ? AND ?)"
            )
        params.extend([first.isoformat(), last.isoformat()])
    if query.age is not None:
        # A listing fits unless a stated end excludes the age; an end not stated is open.
        for bound, excludes in (("age_min", ">"), ("age_max", "<")):
            where.append(
                f"{rid} NOT IN (SELECT rowid FROM doc_values WHERE field = '{bound}' AND value {excludes} ?)"  # noqa: S608
            )
            params.append(age_value(query.age))
    if query.point is not None and query.radius_km is not None:
        min_lat, max_lat, min_lng, max_lng = bounding_box(
            query.point.lat, query.point.lng, query.radius_km
        )
        where.append(
            "d.lat BETWEEN ? AND ? AND d.lng BETWEEN ? AND ? AND haversine_km(?, ?, d.lat, d.lng) <= ?"
        )
        params.extend(
            [min_lat, max_lat, min_lng, max_lng, query.point.lat, query.point.lng, query.radius_km]
        )
    return where, params


def _rank(
    connection: sqlite3.Connection,
    terms: list[list[str]],
    name_match: str,
    matches: list[tuple[int, float]],
    offset: int,
    end: int,
) -> list[tuple[int, float]]:
    """Ranks offset…end by relevance (`_relevance`), from every match's (rowid, bm25), exactly.

    Only the best candidates have their name and verification date read: the best by bm25
    and, when the name bonus could matter, the best by bm25 among listings whose name matches
    `name_match` (an fts_name query; a superset of those with every term in the name). If a listing outside them could
    still reach the page, twice as many are read, until none can.
    """
    wanted = end + RERANK_MARGIN
    in_name: list[tuple[int, float]] | None = None
    while wanted < len(matches):
        best = heapq.nsmallest(wanted, matches, key=_BM25)
        ranked = _scored(connection, best, terms)
        # Outside `best` no bm25 is better than best[-1]'s, a name adds at most NAME_BONUS
        # per term, and staleness only raises a (negative) score.
        floor = best[-1][1] - NAME_BONUS * len(terms)
        if ranked[end - 1][1] >= floor:
            if in_name is None:
                in_name = _with_every_term_in_name(connection, name_match, matches)
            named = heapq.nsmallest(wanted, in_name, key=_BM25)
            ranked = _scored(connection, best + named, terms)
            # Outside both, a listing lacks at least one term in its name, or its bm25 is
            # no better than the last named one's.
            floor = best[-1][1] - NAME_BONUS * (len(terms) - 1)
            if len(named) == wanted:
                floor = min(floor, named[-1][1] - NAME_BONUS * len(terms))
        if ranked[end - 1][1] < floor:
            return ranked[offset:end]
        wanted *= 2
    return _scored(connection, matches, terms)[offset:end]


def _rank_named(
    connection: sqlite3.Connection,
    terms: list[list[str]],
    name_match: str,
    bound: float,
    matches: list[tuple[int, float | None]],
    offset: int,
    end: int,
) -> list[tuple[int, float]] | None:
    """The page from the matches with a phrase in the name alone, when it is provably exact.

    Only those have their bm25 read (None for the rest). A match without any phrase in its name
    has no name bonus, so its relevance is above -bound (`_bm25_bound`); if the page's last
    named listing is below that, no other match can reach the page. None otherwise: the caller
    then reads every match's bm25. For a word in many listings (相談, 無料) idf is about 0, the
    bound is small and the name bonus decides, so the expensive bm25 is read for a few of them.
    """
    named = [(rowid, bm25) for rowid, bm25 in matches if bm25 is not None]
    if len(named) < end:
        return None
    page = _rank(connection, terms, name_match, named, offset, end)
    if len(named) == len(matches) or page[-1][1] < -bound:
        return page
    return None


def _named_first_bound(
    connection: sqlite3.Connection, phrases: list[str], in_name: str, end: int
) -> float | None:
    """The bm25 bound (`_bm25_bound`) when reading named matches' bm25 first is likely to pay.

    The caller asks for one-word queries only (measured at 100k: with several words the phrase
    counts and the name query cost more than they save). It pays when the bound is within
    NAMED_FIRST_WITHIN name bonuses (a larger one is rarely beaten by the named page, and the
    matches would be read twice) and at least a page of listings has the word in the name.
    A cost choice only: pages are exact either way.
    """
    named = connection.execute("SELECT count(*) FROM fts_name WHERE fts_name MATCH ?", [in_name])
    if named.fetchone()[0] < end:
        return None
    limit = NAMED_FIRST_WITHIN * NAME_BONUS
    bound = _bm25_bound(connection, phrases, limit)
    return bound if bound <= limit else None


def _bm25_bound(connection: sqlite3.Connection, phrases: list[str], limit: float) -> float:
    """More than any row's -bm25 for an expression of these phrases (FTS5's formula).

    bm25 = -Σ idf(phrase) × f(k1 + 1) / (f + k1(1 - b + b·len/avglen)) over the phrases in
    the row, idf = ln((N - n + 0.5) / (n + 0.5)) (at least 1e-6) from n, the rows holding the
    phrase; each term is below idf × (k1 + 1), and a phrase in no row adds nothing. Counting
    stops once the sum passes `limit`.
    """
    rows = connection.execute("SELECT count(*) FROM fts_docsize").fetchone()[0]
    hits: dict[str, int] = {}
    bound = 0.0
    for phrase in phrases:
        if phrase not in hits:
            hits[phrase] = connection.execute(
                "SELECT count(*) FROM fts WHERE fts MATCH ?", [phrase]
            ).fetchone()[0]
        if hits[phrase]:
            idf = math.log((rows - hits[phrase] + 0.5) / (hits[phrase] + 0.5))
            bound += max(idf, 1e-6) * (BM25_K1 + 1)
        if bound > limit:
            break
    return bound * (1 + 1e-9) + 1e-9


def _with_every_term_in_name(
    connection: sqlite3.Connection, name_match: str, matches: list[tuple[int, float]]
) -> list[tuple[int, float]]:
    """The matches whose name or kana holds every term (a superset of full name bonuses)."""
    bm25_of = dict(matches)
    return [
        (rowid, bm25_of[rowid])
        for (rowid,) in connection.execute(
            "SELECT rowid FROM fts_name WHERE fts_name MATCH ?", [name_match]
        )
        if rowid in bm25_of
    ]


def _scored(
    connection: sqlite3.Connection, candidates: list[tuple[int, float]], terms: list[list[str]]
) -> list[tuple[int, float]]:
    """(rowid, relevance) of the candidates, best first; ties by name, then id."""
    bm25_of = dict(candidates)
    marks = ",".join(str(int(rowid)) for rowid in bm25_of)
    stale_before = (date.today() - timedelta(days=STALE_AFTER_DAYS)).isoformat()
    ranked = sorted(
        (_relevance(bm25_of[rowid], name_text, verified, terms, stale_before), key, id_, rowid)
        for rowid, name_text, verified, key, id_ in connection.execute(
            "SELECT rowid, name_text, last_verified, name_key, id FROM docs"  # noqa: S608
            f" WHERE rowid IN ({marks})"
        )
    )
    return [(rowid, score) for score, _, _, rowid in ranked]


def _relevance(
    bm25: float, name_text: str, verified: str | None, terms: list[list[str]], stale_before: str
) -> float:
    """Relevance (lower is better): weighted bm25, a bonus per term in the name, staleness."""
    in_name = sum(1 for variants in terms if any(variant in name_text for variant in variants))
    stale = verified is not None and verified < stale_before
    return (bm25 - NAME_BONUS * in_name) * (STALE_FACTOR if stale else 1.0)


def _order(query: SearchQuery) -> tuple[str, list[Any]]:
    """ORDER BY for a sort; relevance without a text falls back to name order."""
    if query.sort == "distance" and query.point is not None:
        # Equirectangular squared distance orders like great-circle distance at city scale and
        # stays plain SQL arithmetic (no Python call per row).
        scale = math.cos(math.radians(query.point.lat)) ** 2
        return (
            "d.lat IS NULL, (d.lat - ?) * (d.lat - ?) + (d.lng - ?) * (d.lng - ?) * ?, d.name_key",
            [query.point.lat, query.point.lat, query.point.lng, query.point.lng, scale],
        )
    if query.sort == "upcoming":
        return "d.next_occurrence IS NULL, d.next_occurrence, score, d.name_key", []
    if query.sort == "name":
        return "d.name_key, d.id", []
    return "score, d.name_key, d.id", []
