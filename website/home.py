"""Quick links on the home page: common needs as ready-made searches (vocabulary slugs)."""

from dataclasses import dataclass

from django.utils.http import urlencode


@dataclass(frozen=True)
class QuickLink:
    label: str
    note: str
    filters: tuple[tuple[str, str], ...]

    @property
    def url(self) -> str:
        """/search/ with the filters; repeated keys mean "any of these" (see the API)."""
        return "/search/?" + urlencode(self.filters)


QUICK_LINKS = (
    QuickLink(
        "こども食堂・食事", "子どもも大人も、みんなでごはん", (("category", "kodomo-shokudo"),)
    ),
    QuickLink(
        "子育て中の方の居場所",
        "子育てひろば・親子で参加できる場",
        (("target", "parents"),),
    ),
    QuickLink(
        "高齢の方のサロン・通いの場",
        "体操・お茶会・おしゃべり",
        (("category", "salon"), ("category", "kayoinoba")),
    ),
    QuickLink(
        "ひきこもり・不登校",
        "本人・家族が安心して過ごせる場や相談",
        (("target", "hikikomori"), ("target", "futoko")),
    ),
    QuickLink(
        "若者の居場所",
        "フリースペース・学習支援",
        (("category", "youth-space"), ("category", "study-support")),
    ),
    QuickLink("相談したい", "困りごとを話せる窓口", (("category", "consultation"),)),
    QuickLink("食料の支援", "フードパントリー・食料支援", (("category", "food-support"),)),
    QuickLink(
        "介護している家族・ヤングケアラー",
        "ひと息つける場、つながれる場",
        (("target", "family-carers"), ("target", "young-carers")),
    ),
    QuickLink(
        "外国にルーツのある方",
        "多言語・やさしい日本語",
        (("target", "foreign-roots"),),
    ),
    QuickLink("ボランティア・地域活動", "役割や出番をさがす", (("category", "volunteering"),)),
)
