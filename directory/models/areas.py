"""Areas: prefecture → municipality (全国地方公共団体コード) → 小学校区 / 日常生活圏域."""

from django.core.exceptions import ValidationError
from django.db import models

from directory.listings.fields import latitude_field, longitude_field
from directory.listings.validators import validate_local_government_code


class AreaQuerySet(models.QuerySet):
    def for_platform(self) -> "AreaQuerySet":
        """The PF's own areas: its 小学校区 and 日常生活圏域 and the municipalities holding them.

        The municipality list (load_municipalities) puts every municipality of Japan in this
        table, so "not a prefecture" is no longer "ours": choices, filters and counts that a
        resident or member picks from use this. A PF that has no district yet falls back to
        every municipality (docs/data-exchange.md tells the 事務局 to add its 小学校区 first).
        """
        districts = self.filter(level__in=DISTRICT_LEVELS)
        if not districts.exists():
            return self.filter(level=Area.Level.MUNICIPALITY)
        return self.filter(
            models.Q(level__in=DISTRICT_LEVELS) | models.Q(pk__in=districts.values("parent_id"))
        )


class Area(models.Model):
    class Level(models.TextChoices):
        PREFECTURE = "prefecture", "都道府県"
        MUNICIPALITY = "municipality", "市区町村"
        SCHOOL_DISTRICT = "school_district", "小学校区"
        LIVING_AREA = "living_area", "日常生活圏域"

    code = models.CharField(
        "コード",
        max_length=32,
        unique=True,
        help_text="都道府県・市区町村は全国地方公共団体コード（6桁）。学区は「市区町村コード-番号」。",
    )
    name = models.CharField("名称", max_length=80)
    kana = models.CharField("よみがな", max_length=120, blank=True)
    level = models.CharField("区分", max_length=20, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上位の地域",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    centroid_lat = latitude_field("中心の緯度")
    centroid_lng = longitude_field("中心の経度")
    outline = models.JSONField(
        "区域（GeoJSON）",
        null=True,
        blank=True,
        help_text="GeoJSON の Polygon または MultiPolygon。",
    )
    sort_order = models.PositiveIntegerField("並び順", default=0)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = "地域"
        verbose_name_plural = "地域"
        ordering = ["level", "sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.level in (self.Level.PREFECTURE, self.Level.MUNICIPALITY):
            try:
                validate_local_government_code(self.code)
            except ValidationError as error:
                raise ValidationError({"code": error.messages}) from error
        expected_parent = {
            str(self.Level.MUNICIPALITY): {self.Level.PREFECTURE},
            str(self.Level.SCHOOL_DISTRICT): {self.Level.MUNICIPALITY},
            str(self.Level.LIVING_AREA): {self.Level.MUNICIPALITY},
        }.get(str(self.level))
        if expected_parent and (self.parent is None or self.parent.level not in expected_parent):
            raise ValidationError(
                {"parent": "上位の地域の区分が正しくありません（例: 小学校区の上位は市区町村）。"}
            )
        if self.outline is not None:
            problem = outline_problem(self.outline)
            if problem:
                raise ValidationError({"outline": problem})

    @property
    def municipality(self) -> "Area | None":
        """The municipality this area belongs to (itself if it is one)."""
        area: Area | None = self
        while area is not None and area.level != self.Level.MUNICIPALITY:
            area = area.parent
        return area

    @property
    def centroid(self) -> tuple[float, float] | None:
        if self.centroid_lat is None or self.centroid_lng is None:
            return None
        return float(self.centroid_lat), float(self.centroid_lng)


OUTLINE_FORMAT = "区域は GeoJSON の Polygon または MultiPolygon で入力してください。"


def outline_problem(outline: object) -> str | None:
    """Why `outline` is not a usable GeoJSON Polygon / MultiPolygon (RFC 7946), or None.

    The map and coverage read the coordinates; a shape with a missing `coordinates`, an open
    ring or a point off the globe would break them later, far from the person who typed it.
    """
    if not isinstance(outline, dict) or outline.get("type") not in ("Polygon", "MultiPolygon"):
        return OUTLINE_FORMAT
    coordinates = outline.get("coordinates")
    polygons = [coordinates] if outline["type"] == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        return f"{OUTLINE_FORMAT}（coordinates がありません）"
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            return f"{OUTLINE_FORMAT}（coordinates の形が正しくありません）"
        for ring in polygon:
            problem = _ring_problem(ring)
            if problem:
                return problem
    return None


def _ring_problem(ring: object) -> str | None:
    if not isinstance(ring, list) or len(ring) < 4:
        return "区域の輪郭は4点以上（最初と最後が同じ点）で囲んでください。"
    for position in ring:
        if (
            not isinstance(position, list)
            or len(position) not in (2, 3)
            or not all(isinstance(n, int | float) and not isinstance(n, bool) for n in position)
        ):
            return "区域の座標は [経度, 緯度] の数値の組で入力してください。"
        lng, lat = position[0], position[1]
        if not (-180 <= lng <= 180 and -90 <= lat <= 90):
            return "区域の座標が地球の範囲外です（[経度, 緯度] の順か確認してください）。"
    if ring[0] != ring[-1]:
        return "区域の輪郭は、最初と最後の点を同じにして閉じてください。"
    return None


DISTRICT_LEVELS = (Area.Level.SCHOOL_DISTRICT, Area.Level.LIVING_AREA)
