"""What kinds of personal information the guard names, with their labels (Japanese, English on English pages)."""

from __future__ import annotations

from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy


class Kind(StrEnum):
    """What kind of personal information a finding is (value = stable code)."""

    PHONE = "phone"
    EMAIL = "email"
    POSTAL_CODE = "postal_code"
    ADDRESS = "address"
    MY_NUMBER = "my_number"
    INSURANCE_NUMBER = "insurance_number"
    PENSION_NUMBER = "pension_number"
    BANK_ACCOUNT = "bank_account"
    LICENSE_NUMBER = "license_number"
    CAR_PLATE = "car_plate"
    BIRTH_DATE = "birth_date"
    PERSON_NAME = "person_name"
    SCHOOL_CLASS = "school_class"
    SNS_ID = "sns_id"


KIND_LABELS: dict[Kind, Promise] = {
    Kind.PHONE: gettext_lazy("電話番号"),
    Kind.EMAIL: gettext_lazy("メールアドレス"),
    Kind.POSTAL_CODE: gettext_lazy("郵便番号"),
    Kind.ADDRESS: gettext_lazy("住所（番地・号など）"),
    Kind.MY_NUMBER: gettext_lazy("マイナンバー（個人番号）"),
    Kind.INSURANCE_NUMBER: gettext_lazy("保険証の記号・番号"),
    Kind.PENSION_NUMBER: gettext_lazy("年金の番号"),
    Kind.BANK_ACCOUNT: gettext_lazy("口座番号"),
    Kind.LICENSE_NUMBER: gettext_lazy("運転免許証の番号"),
    Kind.CAR_PLATE: gettext_lazy("自動車のナンバー"),
    Kind.BIRTH_DATE: gettext_lazy("生年月日"),
    Kind.PERSON_NAME: gettext_lazy("人の名前"),
    Kind.SCHOOL_CLASS: gettext_lazy("学校のクラスと名前"),
    Kind.SNS_ID: gettext_lazy("SNSやLINEのID"),
}
