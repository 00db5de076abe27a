"""Admin forms for the 事務局's snippets."""

from typing import Any

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm

from directory.membership import access
from directory.membership import invites as editor_invites
from directory.models import MemberPage

IMMUTABLE_VOCABULARY_FIELDS = ("scheme", "slug")


def _fix_fields(form: forms.BaseForm, names: tuple[str, ...], help_text: str) -> None:
    """Show the fields but take no value for them (a disabled field ignores what is posted)."""
    for name in names:
        form.fields[name].disabled = True
        form.fields[name].help_text = help_text


class OptionalJSONTextarea(forms.Textarea):
    """A JSON field left empty shows an empty box, not the word 「null」 (posted back as None)."""

    def format_value(self, value: Any) -> str | None:
        return None if value in (None, "null") else super().format_value(value)


class VocabularyTermForm(WagtailAdminModelForm):
    """Once saved, a term's scheme and slug are shown but cannot be changed.

    The API, imports, search and matching refer to slugs; a disabled field also ignores any
    value posted for it, and VocabularyTerm.clean() refuses a change made any other way.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            _fix_fields(
                self,
                IMMUTABLE_VOCABULARY_FIELDS,
                "保存後は変更できません。別の識別子が必要なら新しい語を追加してください。",
            )


class MemberForm(WagtailAdminModelForm):
    """A member's slug is fixed once its page has been published (an applicant's is not).

    The page URL (/members/<slug>/), the member's iCal feed and links residents and partners
    have saved all use it; changing only the record would break them.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # An unsaved member (the add form) has no page, and cannot be filtered on.
        published = MemberPage.objects.filter(first_published_at__isnull=False)
        if self.instance.pk and published.filter(member=self.instance).exists():
            _fix_fields(
                self,
                ("slug",),
                "団体ページを作った後は変更できません（公開済みの URL とカレンダー配信が"
                "変わってしまうため）。",
            )


class EditorInvitationForm(forms.Form):
    """Who to invite: a name and an address only, never a group, flag or password."""

    name = forms.CharField(
        label="氏名",
        max_length=150,
        error_messages={
            "required": "氏名を入力してください。",
            "max_length": "氏名は150文字以内で入力してください。",
        },
    )
    email = forms.EmailField(
        label="メールアドレス",
        max_length=150,  # it becomes the login name, which holds at most 150 characters
        help_text="パスワード設定用のリンクをこのアドレスに送ります。ログイン名にもなります。",
        error_messages={
            "required": "メールアドレスを入力してください。",
            "invalid": "メールアドレスの形式が正しくありません。",
            "max_length": "メールアドレスは150文字以内で入力してください。",
        },
    )

    def invite(self, by: Any, member: Any) -> Any:
        """Invite the valid form's person to member, or return None with the refusal as the
        address's error: the one path both the 事務局's and the member's own editors pages take."""
        if not self.is_valid():
            return None
        if not access.can_invite_for(by, member):
            self.add_error("email", access.invitation_refusal(member) or "招待できません。")
            return None
        try:
            return editor_invites.invite_editor(
                member, self.cleaned_data["name"], self.cleaned_data["email"]
            )
        except editor_invites.InvitationRefused as refusal:
            self.add_error("email", str(refusal))
            return None
