"""Quick links on the home page: common needs as ready-made searches (vocabulary slugs)."""

from dataclasses import dataclass

from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class QuickLink:
    label: StrOrPromise  # lazy: shown in the visitor's language
    note: StrOrPromise
    filters: tuple[tuple[str, str], ...]

    @property
    def url(self) -> str:
        """/search/ with the filters; repeated keys mean "any of these" (see the API)."""
        return "/search/?" + urlencode(self.filters)


QUICK_LINKS = (
    QuickLink(
        _("こども食堂・食事"),
        _("子どもも大人も、みんなでごはん"),
        (("category", "kodomo-shokudo"),),
    ),
    QuickLink(
        _("子育て中の方の居場所"),
        _("子育てひろば・親子で参加できる場"),
        (("target", "parents"),),
    ),
    QuickLink(
        _("高齢の方のサロン・通いの場"),
        _("体操・お茶会・おしゃべり"),
        (("category", "salon"), ("category", "kayoinoba")),
    ),
    QuickLink(
        _("ひきこもり・不登校"),
        _("本人・家族が安心して過ごせる場や相談"),
        (("target", "hikikomori"), ("target", "futoko")),
    ),
    QuickLink(
        _("若者の居場所"),
        _("フリースペース・学習支援"),
        (("category", "youth-space"), ("category", "study-support")),
    ),
    QuickLink(_("相談したい"), _("困りごとを話せる窓口"), (("category", "consultation"),)),
    QuickLink(_("食料の支援"), _("フードパントリー・食料支援"), (("category", "food-support"),)),
    QuickLink(
        _("介護している家族・ヤングケアラー"),
        _("ひと息つける場、つながれる場"),
        (("target", "family-carers"), ("target", "young-carers")),
    ),
    QuickLink(
        _("外国にルーツのある方"),
        _("多言語・やさしい日本語"),
        (("target", "foreign-roots"),),
    ),
    QuickLink(
        _("ボランティア・地域活動"), _("役割や出番をさがす"), (("category", "volunteering"),)
    ),
)
