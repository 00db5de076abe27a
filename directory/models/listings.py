"""Listings: 居場所 (PlacePage), 支援・相談 (ServicePage) and イベント・講座 (EventPage).

They share one abstract base with every field a listing has (docs/data-exchange.md maps them to
HSDS, open data and JSON-LD). Vocabulary is stored as
links to VocabularyTerm rows whose slugs never change, so the API and imports can rely on slugs.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any, ClassVar

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Length, Substr
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
)
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from directory.listings.ages import age_range_errors, age_range_label, validate_age
from directory.listings.blocks import ScheduleBlock
from directory.listings.fields import ChoiceListField, latitude_field, longitude_field
from directory.listings.schedules import (
    Occurrence,
    Recurrence,
    closes_at_year_end,
    next_occurrences,
    recurrence_from_block,
)
from directory.models.vocabulary import Scheme
from directory.wagtail_admin.listing_form import ListingPageForm
from directory.wagtail_admin.panels import checkboxes, listing_edit_handler


class LocationMode(models.TextChoices):
    ADDRESS = "address", "所在地を公開する"
    CONFIDENTIAL = "confidential", "所在地は公開しない（地域のみ表示）"
    ONLINE = "online", "オンラインのみ（場所なし）"


# The stored parts of a place that 所在地非公開 empties (besides lat/lng).
ADDRESS_PARTS = ("postal_code", "address", "address_building")


class CostType(models.TextChoices):
    FREE = "free", _("無料")
    PAID = "paid", _("有料")
    VARIES = "varies", _("内容・条件により異なる")


class ListingStatus(models.TextChoices):
    ACTIVE = "active", _("活動中")
    PAUSED = "paused", _("休止中")
    ENDED = "ended", _("終了")


# Japanese names, as stored, searched and matched; pages translate them (listing_tags).
LANGUAGE_CHOICES = [
    ("ja", gettext_noop("日本語")),
    ("easy-ja", gettext_noop("やさしい日本語")),
    ("en", gettext_noop("英語")),
    ("zh", gettext_noop("中国語")),
    ("ko", gettext_noop("韓国語")),
    ("vi", gettext_noop("ベトナム語")),
    ("pt", gettext_noop("ポルトガル語")),
    ("es", gettext_noop("スペイン語")),
    ("tl", gettext_noop("タガログ語")),
    ("ne", gettext_noop("ネパール語")),
    ("jsl", gettext_noop("手話")),
]
# BCP 47 tags (HSDS, schema.org) of the codes above that are not one already (jsl is ISO 639-3).
LANGUAGE_TAGS = {"easy-ja": "ja-x-easy"}
# Any ISO 639-1/-2/-3 code (what HSDS language.code allows): stored as imported, shown by code.
ISO_639_CODE = r"[a-z]{2,3}"


def language_tag(code: str) -> str:
    """The BCP 47 tag of a stored language code: machine-readable output never uses names."""
    return LANGUAGE_TAGS.get(code, code)


class ListingQuerySet(PageQuerySet):
    """The one statement of which listings the public sees (docs/privacy.md "見える掲載").

    `for_open_data()` is everything the PF publishes about a listing: live, public (no
    PageViewRestriction — password, login or group — on the page or any ancestor, so also
    none on its MemberPage), under the live page of an approved member. Its status travels
    with it (休止中 badge, HSDS `status`, schema.org eventStatus), so paused and ended listings
    stay in HSDS, open data, JSON-LD, the member page and the report form.
    `for_residents()` is what a resident looking for somewhere to go is offered (search, the
    resources API, matching and its hand-out, coverage): the same, and active.
    """

    def for_open_data(self) -> ListingQuerySet:
        from directory.models.pages import MemberPage  # pages import listings' module

        owners = MemberPage.objects.for_residents()
        # Listings are always children of a MemberPage: the parent's path is ours minus a step.
        return (
            self.live()
            .public()
            .alias(owner_path=Substr("path", 1, Length("path") - Page.steplen))
            .filter(owner_path__in=owners.values("path"))
        )

    def for_residents(self) -> ListingQuerySet:
        return self.for_open_data().filter(status=ListingStatus.ACTIVE)


ListingManager = PageManager.from_queryset(ListingQuerySet)


def vocabulary_field(scheme: Scheme, label: str) -> ParentalManyToManyField:
    return ParentalManyToManyField(
        "directory.VocabularyTerm",
        verbose_name=label,
        blank=True,
        related_name="+",
        limit_choices_to={"scheme": scheme.value},
    )


class ListingPage(Page):
    """Shared fields and behaviour of every listing. Concrete types set `kind`."""

    kind: ClassVar[str]

    uuid = models.UUIDField("ID", default=uuid.uuid4, unique=True, editable=False)
    kana = models.CharField("名称よみがな", max_length=200, blank=True)
    summary = models.CharField(
        "ひとことで",
        max_length=200,
        help_text="一覧に出る短い説明（やさしい言葉で120字程度まで）。",
    )
    description = models.TextField("くわしい説明", blank=True)
    categories = vocabulary_field(Scheme.CATEGORY, "分野")
    targets = vocabulary_field(Scheme.TARGET, "対象")
    conditions = vocabulary_field(Scheme.CONDITION, "参加条件")
    age_min = models.PositiveSmallIntegerField(
        "対象年齢（何歳から）",
        null=True,
        blank=True,
        validators=[validate_age],
        help_text="この歳から参加・利用できます（その歳を含む）。決まっていなければ空のままにします。",
    )
    age_max = models.PositiveSmallIntegerField(
        "対象年齢（何歳まで）",
        null=True,
        blank=True,
        validators=[validate_age],
        help_text="この歳まで参加・利用できます（その歳を含む）。上限がなければ空のままにします。",
    )

    location_mode = models.CharField(
        "場所の公開",
        max_length=20,
        choices=LocationMode.choices,
        default=LocationMode.ADDRESS,
        help_text=(
            "「所在地は公開しない」を選ぶと、保存するときに郵便番号・住所・方書・地図の位置を"
            "空にします（どこにも表示・出力されません）。"
        ),
    )
    show_area_when_confidential = models.BooleanField(
        "所在地を公開しないときも地域（小学校区など）を表示する",
        default=True,
        help_text=(
            "所在地を公開しない場合、ふつうは地域（小学校区など）だけを表示します。DV などの"
            "相談窓口で、学区を示すだけでも場所が推測されるおそれがあるときはチェックを外して"
            "ください。市区町村名だけを表示します。"
        ),
    )
    area = models.ForeignKey(
        "directory.Area",
        verbose_name="地域（小学校区など）",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    postal_code = models.CharField("郵便番号", max_length=8, blank=True)
    address = models.CharField("住所", max_length=200, blank=True)
    address_building = models.CharField("方書（建物名・部屋番号）", max_length=120, blank=True)
    lat = latitude_field("緯度")
    lng = longitude_field("経度")
    service_areas = ParentalManyToManyField(
        "directory.Area", verbose_name="対象地域", blank=True, related_name="+"
    )
    accepts_outside_area = models.BooleanField("市外・学区外からも参加できる", default=False)
    online_available = models.BooleanField("オンラインで参加・相談できる", default=False)
    online_url = models.URLField("オンライン参加の案内 URL", blank=True)

    schedule = StreamField(ScheduleBlock(), blank=True, verbose_name="開催日時（ルール）")
    schedule_text = models.TextField(
        "開催日時（案内文）",
        blank=True,
        help_text="例: 毎月第2・第4水曜 15:00〜17:00（祝日は休み）",
    )
    cost_type = models.CharField("費用", max_length=10, choices=CostType.choices, blank=True)
    cost_text = models.CharField("費用の説明", max_length=200, blank=True)
    capacity = models.PositiveIntegerField("定員", null=True, blank=True)
    how_to_join = models.TextField("参加・利用のしかた", blank=True)
    accessibility = models.TextField("バリアフリー・配慮", blank=True)
    languages = ChoiceListField("対応言語", choices_list=LANGUAGE_CHOICES, also_valid=ISO_639_CODE)

    contact_point = models.CharField("問い合わせ窓口", max_length=120, blank=True)
    phone = models.CharField("電話（団体の代表・窓口）", max_length=30, blank=True)
    email = models.EmailField("メール（団体・窓口）", blank=True)
    website = models.URLField("ウェブサイト", blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="画像",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_verified = models.DateField("情報の最終確認日", null=True, blank=True)
    status = models.CharField(
        "活動状況", max_length=10, choices=ListingStatus.choices, default=ListingStatus.ACTIVE
    )
    external_id = models.CharField(
        "取込元の ID",
        max_length=120,
        blank=True,
        db_index=True,
        editable=False,
        help_text="オープンデータ取込で同じ行を更新するための元データの ID（自治体コード:ID）。",
    )
    review_notes = models.TextField(
        "確認が必要な点",
        blank=True,
        help_text="取込時などに自動で付いた確認事項。確認したら消してください（公開ページには出ません）。",
    )

    hsds_source = models.JSONField(
        "HSDS 取込元の id",
        default=dict,
        blank=True,
        editable=False,
        help_text="HSDS 取込で受け取った入れ子の id と last_modified（再出力で同じ値を書くため）。",
    )

    publish_on_approval = models.BooleanField(
        "団体の承認時に公開",
        default=False,
        editable=False,
        help_text="申請中の団体に取り込んだ掲載: 事務局が団体を承認したときに公開します。",
    )

    exclude_fields_in_copy = ["uuid", "external_id", "hsds_source", "publish_on_approval"]
    base_form_class = ListingPageForm
    parent_page_types = ["directory.MemberPage"]
    subpage_types: ClassVar[list[str]] = []

    search_fields = [
        *Page.search_fields,
        index.SearchField("kana"),
        index.SearchField("summary"),
        index.SearchField("description"),
        index.SearchField("address"),
        index.FilterField("status"),
        index.AutocompleteField("admin_search_suffixes"),
    ]

    objects = ListingManager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    # -- visibility (the rule is ListingQuerySet; these ask it about one page) -------------
    def is_open_data(self) -> bool:
        """May HSDS, iCal, open data, JSON-LD, the member page and the report form show it?"""
        return self.pk is not None and self._self_in(type(self).objects.for_open_data())

    def is_visible_to_residents(self) -> bool:
        """Is it offered to residents (search, resources API, matching, coverage)?"""
        return self.pk is not None and self._self_in(type(self).objects.for_residents())

    def _self_in(self, queryset: ListingQuerySet) -> bool:
        return queryset.filter(pk=self.pk).exists()

    # -- behaviour ------------------------------------------------------------------------
    def admin_search_suffixes(self) -> str:
        """Word suffixes of name, kana and summary so the admin finds 食堂 in こども食堂."""
        from search.text import word_suffixes

        return word_suffixes(self.title, self.kana, self.summary)

    @property
    def recurrences(self) -> list[Recurrence]:
        """The schedule's rules, paused over 年末年始 when the schedule text says so."""
        year_end = closes_at_year_end(self.schedule_text)
        return [
            recurrence_from_block(child.block_type, child.value, closed_year_end=year_end)
            for child in self.schedule
        ]

    def next_occurrences(self, count: int = 3, after: datetime | None = None) -> list[Occurrence]:
        """The next sessions of this listing (none when paused or ended)."""
        if self.status != ListingStatus.ACTIVE:
            return []
        return next_occurrences(self.recurrences, after=after, count=count)

    @property
    def age_label(self) -> str:
        """対象年齢 as residents read it (「12〜18歳」); empty when the listing states none."""
        return age_range_label(self.age_min, self.age_max)

    @property
    def coordinates(self) -> tuple[float, float] | None:
        """A public point, or None: confidential and online-only listings are never pinned."""
        if self.location_mode != LocationMode.ADDRESS or self.lat is None or self.lng is None:
            return None
        return float(self.lat), float(self.lng)

    @property
    def member_page(self) -> Page | None:
        parent = self.get_parent()
        return parent.specific if parent else None

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = age_range_errors(self.age_min, self.age_max)
        if self.location_mode != LocationMode.CONFIDENTIAL and (self.lat is None) != (
            self.lng is None
        ):
            errors["lng"] = "緯度と経度は両方入力するか、両方空にしてください。"
        if self.location_mode == LocationMode.CONFIDENTIAL:
            self.withhold_address()
            if self.area_id is None:
                errors["area"] = (
                    "所在地を公開しない場合は、表示する地域（学区など）を選んでください。"
                )
        elif self.location_mode == LocationMode.ONLINE:
            self.online_available = True
        elif not self.address and not self.has_own_venue():
            errors["address"] = (
                "住所を入力してください（場所がない場合は「オンラインのみ」を選んでください）。"
            )
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A confidential place is saved without any address part, whatever path saves it.

        clean() empties them too, but Wagtail validates a draft page (live=False) with its
        minimal check only, and an import creates its pages as drafts.
        """
        if self.location_mode == LocationMode.CONFIDENTIAL:
            self.withhold_address()
        super().save(*args, **kwargs)

    def withhold_address(self) -> None:
        """Empty every address part and the point: a confidential place keeps none of them.

        Emptied rather than refused, so a member switching a place to 所在地非公開 cannot leave
        a postal code or building name behind by mistake (the help text says so).
        """
        for name in ADDRESS_PARTS:
            setattr(self, name, "")
        self.lat = self.lng = None

    def has_own_venue(self) -> bool:
        """Events may take their address from a 居場所 page instead of their own fields."""
        return False

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["occurrences"] = self.next_occurrences(count=5)
        return context


class PlacePageKeyword(TaggedItemBase):
    content_object = ParentalKey(
        "directory.PlacePage", on_delete=models.CASCADE, related_name="keyword_items"
    )


class ServicePageKeyword(TaggedItemBase):
    content_object = ParentalKey(
        "directory.ServicePage", on_delete=models.CASCADE, related_name="keyword_items"
    )


class EventPageKeyword(TaggedItemBase):
    content_object = ParentalKey(
        "directory.EventPage", on_delete=models.CASCADE, related_name="keyword_items"
    )


class PlacePage(ListingPage):
    """居場所: a place to drop in (こども食堂, サロン, フリースペース …)."""

    kind = "place"
    keywords = ClusterTaggableManager("キーワード", through=PlacePageKeyword, blank=True)
    edit_handler = listing_edit_handler()

    class Meta:
        verbose_name = _("居場所")
        verbose_name_plural = _("居場所")


class ServicePage(ListingPage):
    """支援・相談: a support or consultation service."""

    kind = "service"
    keywords = ClusterTaggableManager("キーワード", through=ServicePageKeyword, blank=True)
    edit_handler = listing_edit_handler()

    class Meta:
        verbose_name = _("支援・相談")
        verbose_name_plural = _("支援・相談")


class EventPage(ListingPage):
    """イベント・講座: dated sessions or a series, at a 居場所 page or an address."""

    kind = "event"
    keywords = ClusterTaggableManager("キーワード", through=EventPageKeyword, blank=True)
    venue = models.ForeignKey(
        "directory.PlacePage",
        verbose_name="会場（居場所ページ）",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        help_text="会場が登録済みの居場所なら選んでください。住所はそちらから表示します。",
    )
    registration_deadline = models.DateField("申込締切", null=True, blank=True)
    co_organisers = ParentalManyToManyField(
        "directory.Member",
        verbose_name="共催団体",
        blank=True,
        related_name="co_organised_events",
    )
    edit_handler = listing_edit_handler(
        extra_time=[
            FieldPanel("venue"),
            FieldPanel("registration_deadline"),
            checkboxes("co_organisers"),
        ]
    )

    class Meta:
        verbose_name = _("イベント・講座")
        verbose_name_plural = _("イベント・講座")

    def has_own_venue(self) -> bool:
        return self.venue_id is not None

    def clean(self) -> None:
        super().clean()
        if not self.schedule:
            raise ValidationError(
                {"schedule": "開催日（日付または繰り返しのルール）を入力してください。"}
            )
        upcoming = self.next_occurrences(count=1)
        if self.registration_deadline and upcoming and self.registration_deadline > upcoming[0].day:
            raise ValidationError(
                {"registration_deadline": "申込締切は次の開催日より前にしてください。"}
            )

    def only_past_sessions(self, rules: list[Recurrence], status: str) -> bool:
        """Whether a schedule a person enters (new, or changed) has all its sessions over.

        Asked by the editor's form only: imports and records of events that took place keep
        their dates, and an unchanged schedule or one marked 終了 is not refused.
        """
        if status == ListingStatus.ENDED or next_occurrences(rules, count=1):
            return False
        stored = type(self).objects.filter(pk=self.pk).first() if self.pk else None
        return stored is None or stored.recurrences != rules

    @property
    def coordinates(self) -> tuple[float, float] | None:
        """The event's own point, else its venue's — unless the event itself is not pinned."""
        if self.location_mode != LocationMode.ADDRESS:
            return None
        if self.live_venue is not None and self.lat is None:
            return self.live_venue.coordinates
        return super().coordinates

    @property
    def live_venue(self) -> PlacePage | None:
        """The venue while it is published: an unpublished 居場所 lends no place, link or point."""
        venue = self.venue
        return venue if venue is not None and venue.live else None

    @property
    def venue_offline(self) -> bool:
        """A venue was chosen but is not published now (the page says so instead of a dead link)."""
        return self.venue_id is not None and self.live_venue is None


def listing_page_models() -> list[type[ListingPage]]:
    """Every concrete listing page model (the registry views and search iterate over)."""
    return [m for m in apps.get_app_config("directory").get_models() if issubclass(m, ListingPage)]


def listing_models_by_kind() -> dict[str, type[ListingPage]]:
    """Each listing model by its `kind` ("place", "service", "event").

    Read off the models, so importers, the demo and the API cannot keep maps that disagree.
    """
    return {model.kind: model for model in listing_page_models()}


Refine = Callable[[ListingQuerySet], ListingQuerySet]


def visible_querysets(*, open_data: bool = False) -> list[ListingQuerySet]:
    """One queryset per listing model, already limited by the rule (residents by default).

    For callers that refine per model (prefetching, `venue` on events, batching by pk).
    """
    return [
        model.objects.for_open_data() if open_data else model.objects.for_residents()
        for model in listing_page_models()
    ]


def resident_listings(refine: Refine | None = None) -> Iterator[ListingPage]:
    """Every listing offered to residents, of all three types (`refine` narrows each queryset)."""
    for queryset in visible_querysets():
        yield from refine(queryset) if refine else queryset


def open_data_listings(refine: Refine | None = None) -> Iterator[ListingPage]:
    """Every listing the PF publishes as data, whatever its status (see ListingQuerySet)."""
    for queryset in visible_querysets(open_data=True):
        yield from refine(queryset) if refine else queryset


def find_visible_listing(
    listing_uuid: uuid.UUID | str, *, open_data: bool = False
) -> ListingPage | None:
    """One listing by its UUID if the rule lets the public see it, else None (a 404)."""
    try:
        wanted = uuid.UUID(str(listing_uuid))
    except ValueError:
        return None
    for queryset in visible_querysets(open_data=open_data):
        found = queryset.filter(uuid=wanted).first()
        if found is not None:
            return found
    return None


def published_listings_under(page: Page) -> list[ListingPage]:
    """The listings a member page shows: published below it (any status), by name."""
    found = list(open_data_listings(lambda queryset: queryset.descendant_of(page)))
    return sorted(found, key=lambda listing: listing.kana or listing.title)
