"""directory.listings.schedules.Recurrence ↔ RFC 5545 recurrence rules, shared by HSDS and iCalendar.

A Recurrence maps onto one RRULE (weekly with an interval, monthly with BYDAY such as 2WE,4WE
or -1FR) or, for specific dates, onto RDATEs. Exceptions become EXDATEs. RFC 5545 cannot say
「祝日は休み」, so a rule closed on holidays also gets an EXDATE for every holiday it would
otherwise have from a year ago to HORIZON_DAYS ahead, and so does a rule closed over 年末年始
(12/29〜1/3); `closed_on_holidays` / `closed_year_end` on the spec let HSDS say the flag and
take those EXDATEs back off on import. Pure functions: the HSDS
schedule fields and the iCalendar properties are both built from `RRuleSpec`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from directory.listings.schedules import (
    HORIZON_DAYS,
    JST,
    Recurrence,
    flag_closures,
    is_japanese_holiday,
    is_year_end,
)

ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# The week schedules.Recurrence.matches counts `interval` from when a rule has no valid_from.
DEFAULT_ANCHOR = date(2024, 1, 1)
BYDAY_PART = re.compile(r"^([+-]?\d)?(MO|TU|WE|TH|FR|SA|SU)$")
# Holidays further back than this are not listed as EXDATEs of an open-ended rule.
HOLIDAY_LOOKBACK = timedelta(days=365)


class UnsupportedRule(ValueError):
    """A recurrence rule that has no Recurrence equivalent (the text is kept instead)."""


@dataclass(frozen=True)
class RRuleSpec:
    """The RFC 5545 view of one Recurrence. `freq` is None for a list of dates (RDATEs)."""

    freq: str | None
    interval: int = 1
    byday: tuple[str, ...] = ()
    dtstart: date | None = None
    until: date | None = None
    rdates: tuple[date, ...] = ()
    exdates: tuple[date, ...] = ()
    wkst: str = "MO"
    # 「祝日は休み」: the holidays in `exdates` are implied by this flag, not hand-entered.
    closed_on_holidays: bool = False
    # 「年末年始は休み」: likewise for the 12/29〜1/3 days in `exdates`.
    closed_year_end: bool = False

    def rrule_text(self) -> str:
        """The RRULE value, e.g. ``FREQ=MONTHLY;BYDAY=2WE,4WE;WKST=MO`` ('' for dates)."""
        if self.freq is None:
            return ""
        parts = [f"FREQ={self.freq}"]
        if self.interval > 1:
            parts.append(f"INTERVAL={self.interval}")
        if self.until:
            parts.append(f"UNTIL={self.until:%Y%m%d}")
        parts += [f"BYDAY={','.join(self.byday)}", f"WKST={self.wkst}"]
        return ";".join(parts)


def first_session(rule: Recurrence) -> date | None:
    """The first day the rule has a session, counted from valid_from or the default anchor."""
    if rule.frequency == "dates":
        return min(rule.dates, default=None)
    start = rule.valid_from or DEFAULT_ANCHOR
    structural = replace(
        rule, exceptions=frozenset(), closed_on_holidays=False, closed_year_end=False
    )
    # Stop at the first match: building every session of the horizon cost ~10 ms per rule,
    # which made the HSDS lists and the area feeds take seconds (docs/benchmarks.md).
    days = (start + timedelta(days=n) for n in range(HORIZON_DAYS + 1))
    return next((day for day in days if structural.matches(day)), None)


def exception_dates(rule: Recurrence, today: date | None = None) -> tuple[date, ...]:
    """The rule's exceptions plus the holidays and 年末年始 days it is closed on, as days.

    An open-ended rule lists holidays from a year before `today` (default: today in Japan)
    to HORIZON_DAYS after it; a list of dates, those among its own dates.
    """
    if rule.frequency == "dates":
        closed = flag_closures(rule, min(rule.dates), max(rule.dates)) if rule.dates else []
    else:
        today = today or datetime.now(JST).date()
        closed = flag_closures(rule, today - HOLIDAY_LOOKBACK, today + timedelta(HORIZON_DAYS))
    return tuple(sorted(rule.exceptions.union(closed)))


def to_spec(rule: Recurrence, today: date | None = None) -> RRuleSpec:
    """The RRULE/RDATE/EXDATE form of a rule; DTSTART is its first session."""
    exdates = exception_dates(rule, today)
    if rule.frequency == "dates":
        dates = tuple(sorted(rule.dates))
        return RRuleSpec(
            freq=None,
            dtstart=dates[0] if dates else None,
            rdates=dates[1:],
            exdates=exdates,
            closed_on_holidays=rule.closed_on_holidays,
            closed_year_end=rule.closed_year_end,
        )
    days = [ICAL_DAYS[d] for d in sorted(rule.weekdays)]
    if rule.frequency == "weekly":
        byday = tuple(days)
    else:
        nths = sorted(rule.nths, key=lambda n: (n < 0, n))
        byday = tuple(f"{n}{day}" for n in nths for day in days)
    dtstart = first_session(rule)
    if dtstart and not rule.matches(dtstart):
        # DTSTART is always a session in RFC 5545: a holiday it falls on must be excluded too.
        exdates = tuple(sorted({*exdates, dtstart}))
    return RRuleSpec(
        freq=rule.frequency.upper(),
        interval=rule.interval if rule.frequency == "weekly" else 1,
        byday=byday,
        dtstart=dtstart,
        until=rule.valid_until,
        exdates=exdates,
        closed_on_holidays=rule.closed_on_holidays,
        closed_year_end=rule.closed_year_end,
    )


def parse_byday(byday: str) -> list[tuple[int | None, int]]:
    """``2WE,-1FR`` → [(2, 2), (-1, 4)] (nth or None, weekday 0=Monday)."""
    found: list[tuple[int | None, int]] = []
    for part in filter(None, (p.strip().upper() for p in byday.split(","))):
        match = BYDAY_PART.match(part)
        if not match:
            raise UnsupportedRule(f"曜日の指定を読み取れません: {part}")
        nth = int(match.group(1)) if match.group(1) else None
        if nth is not None and nth not in (1, 2, 3, 4, 5, -1):
            raise UnsupportedRule(f"第何週の指定に対応していません: {part}")
        found.append((nth, ICAL_DAYS.index(match.group(2))))
    return found


def from_spec(
    spec: RRuleSpec,
    *,
    start_time: object = None,
    end_time: object = None,
    valid_from: date | None = None,
) -> list[Recurrence]:
    """Rules equivalent to a spec (monthly BYDAY=1MO,3FR needs two). Raises UnsupportedRule.

    DTSTART only becomes valid_from when it changes which sessions exist, so that a rule
    exported with its default DTSTART comes back exactly as it was.
    """
    times = {"start_time": start_time, "end_time": end_time}
    closed = spec.closed_on_holidays
    # With a flag, its EXDATEs are what the flag itself says: keep only the other days.
    exceptions = frozenset(
        d
        for d in spec.exdates
        if not (closed and is_japanese_holiday(d)) and not (spec.closed_year_end and is_year_end(d))
    )
    if spec.freq is None:
        dates = tuple(sorted({*([spec.dtstart] if spec.dtstart else []), *spec.rdates}))
        if not dates:
            raise UnsupportedRule("開催日がありません。")
        return [
            Recurrence(
                "dates",
                dates=dates,
                exceptions=exceptions,
                closed_on_holidays=closed,
                closed_year_end=spec.closed_year_end,
                **times,  # type: ignore[arg-type]
            )
        ]
    if spec.freq not in ("WEEKLY", "MONTHLY"):
        raise UnsupportedRule(
            f"繰り返しの種類 {spec.freq} には対応していません（毎週・毎月のみ）。"
        )
    if spec.interval < 1 or (spec.freq == "MONTHLY" and spec.interval != 1):
        raise UnsupportedRule("この間隔の繰り返しには対応していません（毎月は間隔1のみ）。")
    days = parse_byday(",".join(spec.byday))
    if not days:
        raise UnsupportedRule("曜日（BYDAY）が指定されていません。")
    base = {
        "valid_from": valid_from,
        "valid_until": spec.until,
        "exceptions": exceptions,
        "closed_on_holidays": closed,
        "closed_year_end": spec.closed_year_end,
        **times,
    }
    if spec.freq == "WEEKLY" or all(nth is None for nth, _ in days):
        if any(nth is not None for nth, _ in days):
            raise UnsupportedRule("毎週の繰り返しに第何週の指定は使えません。")
        rule = Recurrence(
            "weekly",
            weekdays=tuple(sorted({d for _, d in days})),
            interval=spec.interval,
            **base,  # type: ignore[arg-type]
        )
        return [_anchor(rule, spec.dtstart)]
    if any(nth is None for nth, _ in days):
        raise UnsupportedRule("毎月の繰り返しで第何週の指定がある曜日とない曜日が混在しています。")
    by_weekday: dict[int, set[int]] = {}
    for nth, day in days:
        by_weekday.setdefault(day, set()).add(nth)  # type: ignore[arg-type]
    groups: dict[tuple[int, ...], list[int]] = {}
    for day, nths in sorted(by_weekday.items()):
        groups.setdefault(tuple(sorted(nths)), []).append(day)
    return [
        _anchor(Recurrence("monthly", weekdays=tuple(wd), nths=nths, **base), spec.dtstart)  # type: ignore[arg-type]
        for nths, wd in groups.items()
    ]


def _anchor(rule: Recurrence, dtstart: date | None) -> Recurrence:
    """Use DTSTART as valid_from only when it differs from the rule's own first session."""
    if dtstart is None or rule.valid_from is not None or first_session(rule) == dtstart:
        return rule
    return replace(rule, valid_from=dtstart)
