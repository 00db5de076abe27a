"""Which column means what, for every format and both header generations — in one table.

The 2017 推奨データセット headers (都道府県コード又は市区町村コード, NO, 住所, 方書 …) and the
自治体標準オープンデータセット headers (全国地方公共団体コード, ID, 所在地_連結表記,
建物名等(方書) …) map to the same internal field names, as do the こども食堂 template's columns.
The デジタル庁 ベース・レジストリ event layout (名称(カナ), 開始時刻, 住所都道府県 … 住所丁目以下)
is one more generation of the same fields. Headers are compared after `clean_header` (NFKC,
no spaces, upper case), so 料金（基本） and 料金(基本) are the same column. When a file has two
aliases of one field (概要 and 説明), a row takes the first non-empty one in alias order.
Export writes the current standard's order.
"""

from __future__ import annotations

from dataclasses import dataclass

from exchange.opendata.normalise import clean_header

# internal field → every header that means it (first one = the current standard's spelling).
ALIASES: dict[str, tuple[str, ...]] = {
    "code": (
        "全国地方公共団体コード",
        "都道府県コード又は市区町村コード",
        "都道府県コードまたは市区町村コード",
        "市区町村コード",
        "地方公共団体コード",
    ),
    "id": ("ID", "NO", "NO.", "番号", "通し番号"),
    "municipality_name": ("地方公共団体名", "市区町村名"),
    "prefecture_name": ("都道府県名",),
    "name": ("名称", "イベント名", "施設名", "施設名称", "こども食堂名", "食堂名"),
    "kana": (
        "名称_カナ",
        "イベント名_カナ",
        "名称(カナ)",
        "名称カナ",
        "ふりがな",
        "フリガナ",
        "よみがな",
    ),
    "name_en": ("名称_英字", "イベント名_英字", "イベント名_英語", "名称_英語"),
    "address": ("所在地_連結表記", "住所", "所在地", "所在地_連結標記", "開催場所住所"),
    "address_prefecture": ("所在地_都道府県", "住所都道府県", "住所_都道府県"),
    "address_city": ("所在地_市区町村", "住所市区町村", "住所_市区町村"),
    "address_town": ("所在地_町字", "住所町名", "住所_町字", "住所町字"),
    "address_rest": ("所在地_番地以下", "住所丁目以下", "住所番地以下", "住所_番地以下"),
    "building": ("建物名等(方書)", "方書", "建物名", "建物名等"),
    "postal_code": ("郵便番号",),
    "lat": ("緯度", "LAT", "LATITUDE"),
    "lng": ("経度", "LNG", "LON", "LONGITUDE"),
    "phone": ("電話番号", "連絡先電話番号", "問い合わせ電話番号", "TEL"),
    "extension": ("内線番号", "連絡先内線番号"),
    "email": ("連絡先メールアドレス", "メールアドレス", "メール", "E-MAIL"),
    "contact_name": ("連絡先名称", "問い合わせ先", "問合せ先"),
    "organiser": (
        "団体名",
        "主催者",
        "運営団体",
        "運営団体名",
        "運営主体",
        "実施主体",
        "主催団体",
    ),
    "venue_name": ("場所名称", "会場", "会場名"),
    "description": ("説明", "概要", "活動内容", "内容"),
    "schedule": ("開催日時", "開催日", "開催曜日・時間", "実施日時"),
    "weekdays": ("利用可能曜日", "開館曜日"),
    "start_date": ("開始日", "開始日付", "開催開始日"),
    "end_date": ("終了日", "終了日付", "開催終了日"),
    "start_time": ("開始時間", "開始時刻", "利用開始時間", "開館時間"),
    "end_time": ("終了時間", "終了時刻", "利用終了時間", "閉館時間"),
    "schedule_note": (
        "利用可能日時特記事項",
        "開始日時特記事項",
        "利用可能時間特記事項",
        "開催日時特記事項",
    ),
    "fee": ("料金(基本)", "参加費", "料金", "利用料"),
    "fee_detail": ("料金(詳細)", "参加費詳細"),
    "reservation": ("参加申込方法", "予約方法", "申込方法", "予約", "予約の要否"),
    "deadline": ("参加申込終了日", "申込終了日", "申込締切"),
    "target": ("対象者", "対象"),
    "ages": ("対象年齢", "年齢", "対象年齢層"),
    "capacity": ("定員",),
    "school_district": ("学区", "小学校区", "校区"),
    "takeout": ("テイクアウト", "持ち帰り", "お弁当配布"),
    "pantry": ("フードパントリー", "食料配布"),
    "accessibility": ("バリアフリー情報",),
    "access": ("アクセス方法",),
    "parking": ("駐車場情報",),
    "url": ("URL", "ホームページ", "ウェブサイト", "HP"),
    "remarks": ("備考",),
    "corporate_number": ("法人番号",),
}

# cleaned header → (internal field, priority: 0 = the first alias, preferred over later ones).
HEADER_TO_FIELD: dict[str, tuple[str, int]] = {
    clean_header(header): (name, rank)
    for name, headers in ALIASES.items()
    for rank, header in enumerate(headers)
}


def field_for_header(header: str) -> str | None:
    """The internal field a header means, or None for a column we do not read."""
    found = HEADER_TO_FIELD.get(clean_header(header))
    return found[0] if found else None


def alias_rank(header: str) -> int:
    """How preferred a header is among the aliases of its field (0 = most; unknown = last)."""
    found = HEADER_TO_FIELD.get(clean_header(header))
    return found[1] if found else len(HEADER_TO_FIELD)


@dataclass(frozen=True)
class Format:
    """One open-data format: what kind of listing a row becomes and how it is exported."""

    slug: str
    label: str
    listing_kind: str  # place | event
    categories: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    default_summary: str = ""
    # Export: (standard column, internal field) in the standard's order.
    export_columns: tuple[tuple[str, str], ...] = ()


ADDRESS_COLUMNS = (
    ("所在地_連結表記", "address"),
    ("所在地_都道府県", "address_prefecture"),
    ("所在地_市区町村", "address_city"),
    ("所在地_町字", "address_town"),
    ("所在地_番地以下", "address_rest"),
    ("建物名等(方書)", "building"),
    ("緯度", "lat"),
    ("経度", "lng"),
)

EVENT_COLUMNS = (
    ("全国地方公共団体コード", "code"),
    ("ID", "id"),
    ("地方公共団体名", "municipality_name"),
    ("イベント名", "name"),
    ("イベント名_カナ", "kana"),
    ("イベント名_英字", "name_en"),
    ("開始日", "start_date"),
    ("終了日", "end_date"),
    ("開始時間", "start_time"),
    ("終了時間", "end_time"),
    ("開始日時特記事項", "schedule_note"),
    ("説明", "description"),
    ("料金(基本)", "fee"),
    ("料金(詳細)", "fee_detail"),
    ("連絡先名称", "contact_name"),
    ("連絡先電話番号", "phone"),
    ("連絡先内線番号", "extension"),
    ("主催者", "organiser"),
    ("場所名称", "venue_name"),
    *ADDRESS_COLUMNS,
    ("アクセス方法", "access"),
    ("駐車場情報", "parking"),
    ("定員", "capacity"),
    ("対象者", "target"),
    ("参加申込終了日", "deadline"),
    ("参加申込終了時間", "deadline_time"),
    ("参加申込方法", "reservation"),
    ("画像", "image"),
    ("画像_ライセンス", "image_licence"),
    ("URL", "url"),
    ("備考", "remarks"),
)

FACILITY_COLUMNS = (
    ("全国地方公共団体コード", "code"),
    ("ID", "id"),
    ("地方公共団体名", "municipality_name"),
    ("名称", "name"),
    ("名称_カナ", "kana"),
    ("名称_英字", "name_en"),
    ("名称_通称", "alias"),
    ("POIコード", "poi_code"),
    *ADDRESS_COLUMNS,
    ("電話番号", "phone"),
    ("内線番号", "extension"),
    ("連絡先メールアドレス", "email"),
    ("連絡先FormURL", "form_url"),
    ("連絡先備考(その他、SNSなど)", "contact_note"),
    ("郵便番号", "postal_code"),
    ("法人番号", "corporate_number"),
    ("団体名", "organiser"),
    ("利用可能曜日", "weekdays"),
    ("開始時間", "start_time"),
    ("終了時間", "end_time"),
    ("利用可能日時特記事項", "schedule_note"),
    ("料金(基本)", "fee"),
    ("料金(詳細)", "fee_detail"),
    ("説明", "description"),
    ("バリアフリー情報", "accessibility"),
    ("画像", "image"),
    ("画像_ライセンス", "image_licence"),
    ("URL", "url"),
    ("備考", "remarks"),
)

FORMATS: dict[str, Format] = {
    "kodomo-shokudo": Format(
        slug="kodomo-shokudo",
        label="こども食堂（オープンデータ・テンプレート）",
        listing_kind="place",
        categories=("kodomo-shokudo",),
        conditions=("meal",),
        default_summary="地域のこども食堂です。",
    ),
    "event": Format(
        slug="event",
        label="イベント一覧（自治体標準オープンデータセット）",
        listing_kind="event",
        default_summary="地域のイベント・講座です。",
        export_columns=EVENT_COLUMNS,
    ),
    "facility": Format(
        slug="facility",
        label="公共施設一覧（自治体標準オープンデータセット）",
        listing_kind="place",
        default_summary="地域の公共施設です。",
        export_columns=FACILITY_COLUMNS,
    ),
}
EXPORT_FORMATS = tuple(slug for slug, fmt in FORMATS.items() if fmt.export_columns)
