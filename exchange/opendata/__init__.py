"""自治体標準オープンデータセット and こども食堂 template CSV: import and export.

reading (bytes → rows) → columns (header table) → rows (row → Draft, pure) → importer
(Draft → members, areas, listing pages, per-row report); exporter writes the standard columns.
"""
